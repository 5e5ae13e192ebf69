"""Scenarios and timelines from one queue over two pods: every trace as it is when each kind runs
alone (the snapshots are taken that way), in the order asked for."""
from __future__ import annotations

import pytest

from harness.library import selection
from harness.report import results
from tests.conftest import CONFIG, ROOT

WORKFLOW = ROOT / ".github/workflows/auto-promote-on-e2e.yml"
SCENARIOS = ["happy-path", "gate-api-500", "retag-second-fails-split"]
TIMELINES = ["burst-one-sha", "outage-fails-open"]


def _text(trace) -> str:
    return "\n".join(line for line in results.text(trace).splitlines() if "seconds" not in line)


@pytest.mark.docker
def test_one_queue_over_two_pods_gives_the_traces_each_kind_gives_alone(pod_images):
    from generator.configfile import load_config
    from harness.play.library_run import run_library
    from harness.play.pods import run_scenarios
    from harness.play.timelines import prepare, run_timelines

    config = load_config(CONFIG)
    chosen = selection.select(SCENARIOS + TIMELINES)
    quiet = lambda line: None  # noqa: E731
    together = run_library(chosen.scenarios, prepare(chosen.timelines, WORKFLOW, config, quiet), WORKFLOW, quiet,
                           config, pods=2)
    alone = (run_scenarios(chosen.scenarios, WORKFLOW, quiet, config)
             + run_timelines(chosen.timelines, WORKFLOW, config, quiet))
    assert [t.scenario for t in together] == [t.scenario for t in alone] == SCENARIOS + [
        "burst-one-sha[as-is]", "outage-fails-open[as-is]", "outage-fails-open[on-api-error-abort]"]
    for mixed, single in zip(together, alone):
        assert mixed.passed and _text(mixed) == _text(single)
