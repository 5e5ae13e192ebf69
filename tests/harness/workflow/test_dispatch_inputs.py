"""A dispatch the API refuses never runs: POST /repos/{owner}/{repo}/actions/workflows/{id}/dispatches
answers 422 for inputs the workflow does not declare ("Unexpected inputs provided: [...]"), a
required input left out, or a choice outside its options (REST docs, "Create a workflow dispatch
event"; the 422 bodies as GitHub words them)."""
from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from harness.workflow import events, model, triggers

WORKFLOW = """\
on:
  workflow_dispatch:
    inputs:
      sha: {type: string, required: true}
      level: {type: choice, options: [patch, minor], default: patch}
      dry: {type: boolean, required: true, default: false}
jobs:
  a: {runs-on: ubuntu-latest, steps: [{run: 'true'}]}
"""


@pytest.fixture(scope="module")
def workflow():
    return model.parse(YAML(typ="rt").load(WORKFLOW), "wf.yml")


@pytest.mark.parametrize("inputs, reason", [
    ({"sha": "abc"}, None),
    ({"sha": "abc", "level": "minor", "dry": "true"}, None),
    ({"sha": "abc", "force": "1", "extra": "2"}, 'HTTP 422: Unexpected inputs provided: ["extra", "force"]'),
    ({}, "HTTP 422: Required input 'sha' not provided"),
    ({"sha": "abc", "level": "major"}, "HTTP 422: Provided value 'major' for input 'level' not in the list"),
])
def test_dispatch_inputs_as_the_api_checks_them(workflow, inputs, reason):
    decision = triggers.decide(workflow, events.Dispatch(inputs, "main"))
    assert decision.triggered is (reason is None)
    assert reason is None or reason in decision.reason


def test_a_workflow_without_inputs_refuses_any():
    workflow = model.parse(YAML(typ="rt").load("on: workflow_dispatch\n" + WORKFLOW.split("\n", 6)[-1]), "wf.yml")
    decision = triggers.decide(workflow, events.Dispatch({"sha": "abc"}, "main"))
    assert not decision.triggered and 'Unexpected inputs provided: ["sha"]' in decision.reason
