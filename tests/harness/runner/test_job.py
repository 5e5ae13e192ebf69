"""The job runner through the pod: a step's `conclusion` as GitHub sets it, read by later steps."""
from __future__ import annotations

import textwrap

import pytest
from ruamel.yaml import YAML

from harness.runner.job import JobRunner
from harness.workflow import events, model
from harness.world.world import World

pytestmark = pytest.mark.docker

SHA = "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"
WORKFLOW = textwrap.dedent("""\
    on: workflow_dispatch
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - {id: ok, run: "echo fine"}
          - {id: tolerated, continue-on-error: true, run: "exit 3"}
          - id: reads
            if: steps.ok.conclusion == 'success' && steps.tolerated.outcome == 'failure' && steps.tolerated.conclusion == 'success'
            run: echo "conclusions as GitHub sets them"
          - {id: fails, run: "exit 4"}
    """)


def test_a_step_that_succeeds_concludes_success(pod):
    workflow = model.parse(YAML(typ="rt").load(WORKFLOW), "wf.yml")
    world = World("o/r", "main", {SHA: []}, {}, SHA, "octo", "ghs_token")
    job = JobRunner(pod, workflow, workflow.jobs[0], events.Dispatch({}, "main"), world).run()
    steps = {s.id: s for s in job.steps}
    assert (steps["ok"].outcome, steps["ok"].conclusion) == ("success", "success")
    assert (steps["tolerated"].outcome, steps["tolerated"].conclusion, steps["tolerated"].exit_code) == (
        "failure", "success", 3)
    assert steps["reads"].ran and steps["reads"].log == [("stdout", "conclusions as GitHub sets them")]
    assert (steps["fails"].outcome, steps["fails"].conclusion, job.conclusion) == ("failure", "failure", "failure")


ENV_WORKFLOW = textwrap.dedent("""\
    on: workflow_dispatch
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - {id: env, run: "env | sort"}
          - {id: again, run: "echo \\"::notice::$GITHUB_ACTION\\""}
    """)


def test_a_step_sees_the_container_environment_under_its_own(pod):
    """The worker starts each step as `docker exec` would: the image's ENV and HOME, then the
    runner's variables; nothing of the worker's own start leaks in."""
    workflow = model.parse(YAML(typ="rt").load(ENV_WORKFLOW), "wf.yml")
    world = World("o/r", "main", {SHA: []}, {}, SHA, "octo", "ghs_token")
    job = JobRunner(pod, workflow, workflow.jobs[0], events.Dispatch({}, "main"), world).run()
    env = dict(line.split("=", 1) for _, line in job.steps[0].log if "=" in line)
    assert (env["GH_TELEMETRY"], env["HOME"], env["GITHUB_ACTIONS"], env["GITHUB_ACTION"]) == (
        "0", "/home/runner", "true", "env")
    assert env["PATH"].endswith("/usr/bin:/sbin:/bin") and env["PWD"] == "/home/runner/work/r/r"
    assert not [name for name in env if name.startswith("PYTHON")]
    assert [a.message for a in job.steps[1].annotations] == ["again"]


CANCELLED = textwrap.dedent("""\
    on: workflow_dispatch
    jobs:
      j:
        runs-on: ubuntu-latest
        steps:
          - {id: first, run: "echo before the cancel"}
          - {id: plain, run: "echo never"}
          - {id: on-failure, if: "failure()", run: "echo never"}
          - {id: on-cancel, if: "cancelled()", run: 'echo "cancelled, job status ${{ job.status }}"'}
          - {id: always, if: "always()", run: "echo cleanup"}
    """)


def test_a_cancelled_job_runs_only_the_steps_that_ask_for_it(pod):
    """GitHub's concurrency queue cancels a run between steps: afterwards success() and failure() are
    false and cancelled() true (actions/runner compares the job's status, now Cancelled)."""
    workflow = model.parse(YAML(typ="rt").load(CANCELLED), "wf.yml")
    world = World("o/r", "main", {SHA: []}, {}, SHA, "octo", "ghs_token")
    runner = JobRunner(pod, workflow, workflow.jobs[0], events.Dispatch({}, "main"), world)
    assert runner.start() and runner.step().ran
    runner.cancel()
    job = runner.finish()
    steps = {s.id: s for s in job.steps}
    assert job.conclusion == "cancelled"
    assert [sid for sid, s in steps.items() if s.ran] == ["first", "on-cancel", "always"]
    assert steps["plain"].skip_reason == "the run was cancelled (implicit success())"
    assert steps["on-cancel"].log == [("stdout", "cancelled, job status cancelled")]
