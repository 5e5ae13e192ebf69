"""The composite action at the repository root and its example workflow: lint-clean, pinned, and
running the commands the README promises."""
from __future__ import annotations

import re

from ruamel.yaml import YAML

from generator import lint
from tests.conftest import ROOT

ACTION = ROOT / "action.yml"
EXAMPLE = ROOT / "examples/auto-promote-check.yml"
PINNED = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")


def test_action_and_example_are_zizmor_clean():
    assert lint.zizmor(ACTION.read_text(encoding="utf-8"), "action.yml") == []
    assert lint.zizmor(EXAMPLE.read_text(encoding="utf-8"), ".github/workflows/auto-promote-check.yml") == []


def test_example_is_actionlint_clean():
    assert lint.actionlint(EXAMPLE.read_text(encoding="utf-8"), ".github/workflows/auto-promote-check.yml") == []


def test_the_linters_would_see_an_unpinned_step():
    text = EXAMPLE.read_text(encoding="utf-8")
    unpinned = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v4", text)
    assert any("unpinned-uses" in f for f in lint.zizmor(unpinned, ".github/workflows/x.yml"))


def test_the_action_runs_check_and_optionally_simulate_with_pinned_steps():
    action = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert all(PINNED.match(s["uses"]) for s in steps if "uses" in s)
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert '/bin/gen" check "${args[@]}"' in scripts and "args+=(--strict)" in scripts
    simulate = next(s for s in steps if s.get("name") == "gen simulate")
    assert simulate["if"] == "inputs.simulate == 'true'"
    assert "${{" not in scripts  # inputs reach bash through env only
    assert set(action["inputs"]) == {"config", "strict", "simulate", "python-version"}


def test_the_example_uses_the_action_in_one_pinned_step():
    example = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))
    uses = [s["uses"] for s in example["jobs"]["check"]["steps"] if "uses" in s]
    ours = [u for u in uses if u.split("@")[0].endswith("/promote-gen")]
    assert len(ours) == 1 and PINNED.match(ours[0])
    assert not str(EXAMPLE.relative_to(ROOT)).startswith(".github/workflows")  # this repo's CI must not run it
