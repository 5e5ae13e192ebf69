"""Scenario files meet the job-level model without Docker: a refused dispatch in the trace, the
scenario's secrets in the contexts, and expectations that name jobs."""
from __future__ import annotations

from types import SimpleNamespace

from harness.checks import expectations
from harness.library import loader
from harness.library.scenario import ScenarioExpect
from harness.play import scenario_run, workflows
from harness.report import scenario_text
from harness.trace.job import JobResult
from harness.trace.scenario import ScenarioTrace
from harness.workflow import contexts, events
from harness.world.build import scenario_world
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/auto-promote-on-e2e.yml"
SCENARIO = """\
name: dispatch-with-an-extra-input
intent: not-triggered
repository:
  commits: [{name: target, sha: 3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5}]
secrets: {SLACK_WEBHOOK: "https://hooks.example/abc"}
event:
  workflow_dispatch: {inputs: {sha: 3a7f12c, force: "yes"}}
expect: {triggered: false}
"""


def scenario(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    _, items = loader.load(path)
    return items[0]


def test_an_undeclared_dispatch_input_is_a_422_in_the_trace(tmp_path):
    pod = SimpleNamespace(images=SimpleNamespace(tools="(none)"))  # nothing runs: no pod is touched
    trace = scenario_run.run(pod, workflows.load(WORKFLOW), scenario(tmp_path), "wf.yml")
    assert trace.passed and not trace.jobs
    assert ('trigger: not triggered (the dispatch API answers HTTP 422: Unexpected inputs provided: ["force"])'
            in scenario_text.render(trace))


def test_scenario_secrets_reach_the_secrets_context(tmp_path):
    world = scenario_world(scenario(tmp_path))
    secrets = contexts.for_run(workflows.load(WORKFLOW), events.Dispatch({}, "main"), world).secrets
    assert secrets == {"SLACK_WEBHOOK": "https://hooks.example/abc", "GITHUB_TOKEN": world.token}


def test_expectations_name_jobs_and_the_run_concludes_from_them():
    gate = JobResult("gate", "", True, "success", outputs={"proceed": "false"})
    promote = JobResult("promote", "needs.gate.outputs.proceed == 'true'", False, "skipped", needs=["gate"])
    trace = ScenarioTrace("s", "", "wf.yml", "dispatch", True, "workflow_dispatch", jobs=[gate, promote])
    expect = ScenarioExpect.model_validate({
        "job": "ran", "conclusion": "success",
        "jobs": {"gate": {"conclusion": "success", "outputs": {"proceed": "true"}},
                 "promote": {"ran": False, "conclusion": "skipped"}, "notify": {"ran": True}}})
    checks = {c.text: c.ok for c in expectations.check(trace, expect)}
    assert checks["run = 'ran'"] and checks["run conclusion = 'success'"]
    assert checks["job promote ran = False"] and checks["job promote conclusion = 'skipped'"]
    assert not checks["job gate outputs: expected {'proceed': 'true'}, got {'proceed': 'false'}"]
    assert not checks["job 'notify': the run has no such job (gate, promote)"]
