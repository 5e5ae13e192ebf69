"""`gen simulate --json` gives the same bytes on every run: timings left out, log timestamps masked."""
from __future__ import annotations

import json

import pytest

from harness.report import results
from harness.trace.scenario import ScenarioTrace
from tests.conftest import run_gen


def test_json_leaves_out_seconds_and_masks_log_times():
    trace = ScenarioTrace(scenario="s", description="", workflow="wf.yml", event="push", triggered=True,
                          trigger_reason="why")
    trace.seconds = 1.234
    trace.description = "crane said 2026/12/02 01:02:03 pushed"
    data = json.loads(results.as_json([trace]))[0]
    assert "seconds" not in data
    assert data["description"] == "crane said <time> pushed"


@pytest.mark.docker
def test_two_runs_give_the_same_json():
    first, second = (run_gen("simulate", "happy-path", "--json") for _ in range(2))
    assert first.returncode == 0, first.stderr
    assert '"seconds"' not in first.stdout and first.stdout == second.stdout
