"""Every scenario the README shows is complete: it loads, its event triggers the rendered workflow
(so a first scenario never silently reads "not triggered"), and it passes when run."""
from __future__ import annotations

import re

import pytest
from ruamel.yaml import YAML

from generator.configfile import load_config
from harness.library import loader
from harness.play import workflows
from harness.play.plan import plan, scenario_event
from harness.world.build import scenario_world
from tests.conftest import CONFIG, ROOT

WORKFLOW = ROOT / ".github/workflows/auto-promote-on-e2e.yml"


def _scenario_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    return [b for b in blocks if isinstance(data := YAML(typ="safe").load(b), dict) and "event" in data]


BLOCKS = _scenario_blocks()


def test_the_readme_shows_a_scenario():
    assert BLOCKS


@pytest.fixture(params=range(len(BLOCKS)), ids=lambda i: f"block{i}")
def scenario(request, tmp_path):
    path = tmp_path / "example.yaml"
    path.write_text(BLOCKS[request.param], encoding="utf-8")
    kind, items = loader.load(path)
    assert kind is loader.SCENARIOS and len(items) == 1
    return items[0]


def test_it_names_its_branch_and_triggers(scenario):
    assert "default_branch" in scenario.repository.model_fields_set
    world = scenario_world(scenario)
    decided = plan(workflows.load(WORKFLOW), world, scenario_event(scenario, world)).decision
    assert decided.triggered, decided.reason
    assert scenario.expect.triggered in (None, decided.triggered)


@pytest.mark.docker
def test_it_passes_when_run(scenario, pod_images):
    from harness.play.pods import run_scenarios

    trace = run_scenarios([scenario], WORKFLOW, lambda line: None, load_config(CONFIG))[0]
    assert trace.passed, [c.text for c in trace.checks if not c.ok]
