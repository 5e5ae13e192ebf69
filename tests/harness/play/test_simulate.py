"""`gen simulate`: each built-in scenario's full trace as a snapshot, determinism, loud failures,
bad input, and the seed workflow running unchanged."""
from __future__ import annotations

import re
import textwrap

import pytest

from generator.configfile import load_config
from harness.library import selection
from harness.play import scenario_run, workflows
from harness.report import scenario_text
from tests.conftest import CONFIG, ROOT, SEED, run_gen

WORKFLOW = ROOT / ".github/workflows/auto-promote-on-e2e.yml"
SCENARIOS = {s.name: s for s in selection.builtin()}


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def rendered():
    return workflows.load(WORKFLOW)


def run(pod, pod_images, workflow, scenario, config, display=".github/workflows/auto-promote-on-e2e.yml"):
    return scenario_run.run(pod, workflow, scenario, display, config)


@pytest.mark.docker
@pytest.mark.parametrize("workflow", ["rendered", "seed"])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_trace(library_traces, workflow, name, text_snapshot):
    result = library_traces[workflow][name]
    text = scenario_text.render(result).replace(str(WORKFLOW), "<rendered>").replace(str(SEED), "<seed>")
    assert result.passed, text
    assert text == text_snapshot


@pytest.mark.docker
def test_traces_are_deterministic(pod, pod_images, rendered, config):
    first = scenario_text.render(run(pod, pod_images, rendered, SCENARIOS["happy-path"], config))
    second = scenario_text.render(run(pod, pod_images, rendered, SCENARIOS["happy-path"], config))
    assert first == second
    assert "/tmp/" not in first and "promote-gen-pg-" not in first


@pytest.mark.docker
def test_seed_runs_unchanged(pod, pod_images, config):
    seed = workflows.load(SEED)
    result = run(pod, pod_images, seed, SCENARIOS["happy-path"], config, display="seed")
    assert result.passed, scenario_text.render(result)
    assert [s.title for s in result.steps()][0] == "Compute short sha"


BROKEN = """\
name: wrong-on-purpose
repository:
  commits:
    - {name: prev, sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61}
    - {name: target, sha: 3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5}
event:
  workflow_run: {workflow: publish-workspace-server-image, conclusion: success, commit: target}
workflows:
  - file: e2e-staging-saas.yml
    name: E2E Staging SaaS (full lifecycle)
    runs: [{commit: target, status: completed, conclusion: failure}]
expect:
  steps:
    gate: {outputs: {proceed: "true"}}
"""


@pytest.mark.docker
def test_broken_expectation_fails_loudly(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    proc = run_gen("simulate", str(path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAIL step gate: proceed='true'; got proceed='false'" in proc.stdout
    assert re.search(r"^wrong-on-purpose +\(none\) +FAIL", proc.stdout, re.M)
    assert "FAIL the scenario states no intent" in proc.stdout
    assert "0/1 passed" in proc.stdout


@pytest.mark.parametrize("text, message", [
    (BROKEN.replace("conclusion: success, commit: target", "conclusion: success, commit: targte"),
     r"broken.yaml:7:\d+: event.workflow_run.commit: a commit name \(prev, target\) or a 40-hex SHA \(got 'targte'\)"),
    (BROKEN.replace("workflow_run:", "workflow_runn:"),
     r"broken.yaml:7:3: event.workflow_runn: unknown key.*did you mean 'workflow_run'"),
    (BROKEN.replace("status: completed, conclusion: failure", "status: done"),
     r"broken.yaml:11:\d+: workflows\[0\].runs\[0\].status: one of 'queued'"),
])
def test_bad_scenario_file_is_exit_2(tmp_path, text, message):
    import re

    path = tmp_path / "broken.yaml"
    path.write_text(text)
    proc = run_gen("simulate", str(path))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and re.search(message, proc.stderr), proc.stderr


def test_unknown_action_is_a_clear_error(tmp_path):
    workflow = tmp_path / "wf.yml"
    workflow.write_text(textwrap.dedent("""\
        on: workflow_dispatch
        jobs:
          x:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/cache@v4
        """))
    proc = run_gen("simulate", "happy-path", "--workflow", str(workflow))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"{workflow}:6:9: job x, step 1 (Run actions/cache): unknown action "
                                   "`actions/cache@v4`: the harness runs only docker/login-action, imjasonh/setup-crane")


def test_bad_workflow_file_is_exit_2(tmp_path):
    workflow = tmp_path / "wf.yml"
    workflow.write_text("on: workflow_dispatch\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: nope\n")
    proc = run_gen("simulate", "happy-path", "--workflow", str(workflow))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"{workflow}:5:12: jobs.x.steps: a list of steps, at least one (got 'nope')"


def test_unknown_scenario_name_is_exit_2():
    proc = run_gen("simulate", "no-such-scenario")
    assert proc.returncode == 2 and "no built-in scenario, timeline or suite by that name" in proc.stderr
