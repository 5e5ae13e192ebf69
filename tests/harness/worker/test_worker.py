"""The job worker on the host's own python and bash: the step logic, its link, its capture."""
from __future__ import annotations

import socket
import threading

from harness.worker.__main__ import serve
from harness.worker.link import Link
from harness.worker.plan import JobPlan, StepPlan
from harness.worker.result import StepResult
from harness.worker.steps import JobSteps

BASH = "bash --noprofile --norc -eo pipefail {0}"


def plan_for(tmp_path, steps: list[StepPlan], env: dict | None = None) -> JobPlan:
    temp = tmp_path / "temp"
    (temp / "_runner_file_commands").mkdir(parents=True)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    github = {"workspace": str(workspace), "token": "ghs_secret", "sha": "abc"}
    contexts = {"github": github, "env": env or {}, "vars": {}, "secrets": {}, "job": {}, "steps": {},
                "runner": {}, "strategy": {}, "matrix": {}, "needs": {}, "inputs": {}}
    return JobPlan("j", contexts, {"CI": "true"}, {}, "/usr/bin:/bin", str(temp), ["ghs_secret"], "v0.20.1",
                   steps)


def test_steps_pass_outputs_env_and_conclusions_on(tmp_path):
    steps = [
        StepPlan(1, "first", id="a", shell=BASH, env={"WHO": "${{ env.GREETING }} world"},
                 run='echo "x=1" >> "$GITHUB_OUTPUT"; echo "LATER=yes" >> "$GITHUB_ENV"\n'
                     'echo "::notice title=t::$WHO ghs_secret"; echo "## sum" >> "$GITHUB_STEP_SUMMARY"; echo oops >&2'),
        StepPlan(2, "tolerated", id="b", shell=BASH, run="exit 3", continue_on_error=True),
        StepPlan(3, "reads", shell=BASH, condition="steps.a.outputs.x == '1' && steps.b.outcome == 'failure'",
                 run='echo "later=$LATER"'),
        StepPlan(4, "fails", shell=BASH, run="exit 4"),
        StepPlan(5, "skipped", shell=BASH, run="echo never"),
        StepPlan(6, "always", shell=BASH, condition="always()", run="echo ${{ job.status }}"),
    ]
    job = JobSteps(plan_for(tmp_path, steps, {"GREETING": "hello"}))
    results = [job.step() for _ in steps]
    first = results[0]
    assert (first.outputs, first.summary, first.exit_code) == ({"x": "1"}, "## sum\n", 0)
    assert [str(a) for a in first.annotations] == ["notice title=t: hello world ***"]
    assert first.log == [("stderr", "oops")]
    assert (results[1].outcome, results[1].conclusion) == ("failure", "success")
    assert results[2].ran and results[2].log == [("stdout", "later=yes")]
    assert (results[3].conclusion, results[4].ran) == ("failure", False)
    assert results[4].skip_reason == "an earlier step failed (implicit success())"
    assert results[5].log == [("stdout", "failure")] and job.state.failed


def test_a_result_survives_the_wire(tmp_path):
    job = JobSteps(plan_for(tmp_path, [StepPlan(1, "s", shell=BASH, run="echo '::warning file=a,line=2::w'")]))
    result = job.step()
    assert StepResult.from_wire(result.to_wire()) == result and result.annotations[0].properties == (
        ("file", "a"), ("line", "2"))


def test_the_worker_waits_between_steps_when_told(tmp_path):
    marker = tmp_path / "ws" / "ran"
    steps = [StepPlan(1, "one", shell=BASH, run="echo one"), StepPlan(2, "two", shell=BASH, run=f"touch {marker}")]
    plan = plan_for(tmp_path, steps)
    ours, theirs = socket.socketpair()
    link = Link(ours)
    worker = threading.Thread(target=serve, args=(Link(theirs),))
    worker.start()
    link.send({"job": plan.to_wire()})
    link.send({"run": 1})
    assert link.receive()["step"]["log"] == [["stdout", "one"]]
    worker.join(0.3)
    assert worker.is_alive() and not marker.exists()  # it waits for the next word
    link.send({"run": 1})
    assert link.receive()["step"]["exit_code"] == 0 and marker.exists()
    link.send({"finish": True})
    assert link.receive() == {"job": {"failed": False}}
    worker.join(5)
    assert not worker.is_alive()


def test_no_output_is_lost_from_short_steps(tmp_path):
    steps = [StepPlan(i, f"s{i}", shell=BASH, run=f'echo "out {i}"; echo "err {i}" >&2; echo "::notice::n{i}"')
             for i in range(1, 201)]
    job = JobSteps(plan_for(tmp_path, steps))
    for i in range(1, 201):
        result = job.step()
        assert sorted(result.log) == [("stderr", f"err {i}"), ("stdout", f"out {i}")]
        assert [a.message for a in result.annotations] == [f"n{i}"]


def test_a_late_step_is_stopped_as_timeout_stops_it(tmp_path):
    steps = [StepPlan(1, "late", shell=BASH, timeout=0.5, run="echo started; sleep 30 & sleep 30; echo never"),
             StepPlan(2, "deaf", shell=BASH, timeout=0.5, run="trap '' TERM; echo deaf; sleep 8")]
    job = JobSteps(plan_for(tmp_path, steps))
    late = job.step()
    assert (late.exit_code, late.log, late.notes) == (124, [("stdout", "started")], ["timed out after 0.5 s"])
    assert late.seconds < 3  # the background `sleep` in its group went too: nothing held the pipes
    job.state.failed = False
    deaf = job.step()
    assert deaf.exit_code == 137 and 5 <= deaf.seconds < 8 and deaf.log == [("stdout", "deaf")]
