"""The decision table: coverage of every run state, first-match order, and `gen explain`."""
from __future__ import annotations

import pytest

from generator import explain, gate
from generator.configfile import load_config
from tests.conftest import CONFIG, run_gen

SEED_ACTIONS = {
    "completed/success": "proceed",
    "completed/failure": "abort",
    "completed/timed_out": "abort",
    "completed/cancelled": "defer",
    "in_progress/": "defer",
    "queued/": "defer",
    "requested/": "defer",
    "waiting/": "defer",
    "pending/": "defer",
    "none/none": "proceed",
    "completed/neutral": "abort",
    "completed/skipped": "abort",
    "completed/action_required": "abort",
    "completed/stale": "abort",
    "completed/startup_failure": "abort",
    gate.API_ERROR: "proceed",  # the seed's fail-open
}


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


def test_universe_size():
    assert len(gate.universe()) == 6 * 10 + 1


@pytest.mark.parametrize("value", sorted(SEED_ACTIONS))
def test_molecule_config_decides_like_the_seed(config, value):
    assert gate.decide(config.gate, value).action == SEED_ACTIONS[value]


def test_every_state_has_an_arm(config):
    assert gate.uncovered(config.gate.arms) == []
    assert gate.unreachable(config.gate.arms) == []


def test_api_error_mode_changes_only_the_failure_path(config):
    strict = config.gate.model_copy(update={"on_api_error": "abort"})
    assert gate.decide(strict, gate.API_ERROR).action == "abort"
    assert gate.decide(strict, gate.API_ERROR).exit_code == 1
    assert gate.decide(strict, "none/none").action == "proceed"


def test_explain_markdown(config, text_snapshot):
    text = explain.markdown(config)
    assert "| `gh run list` fails | (folded into `none/none`) | proceed — fail-open" in text
    assert text == text_snapshot


def test_explain_cli_starts_with_the_tables(config):
    proc = run_gen("explain")
    assert proc.returncode == 0
    assert proc.stdout.startswith(explain.markdown(config))


def test_schema_cli_is_json_schema():
    import json

    proc = run_gen("schema")
    schema = json.loads(proc.stdout)
    assert schema["additionalProperties"] is False
    assert {"gate", "ancestry", "images", "tags", "triggers"} <= set(schema["properties"])


@pytest.mark.parametrize("command", ["render", "check", "explain", "schema", "images", "simulate", "bench"])
def test_help_explains_each_command(command):
    proc = run_gen(command, "--help")
    assert proc.returncode == 0
    assert len(proc.stdout.split()) > 20
