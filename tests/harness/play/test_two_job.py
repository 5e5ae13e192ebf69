"""The promotion workflow as two jobs (a `gate` job with outputs, a `promote` job that needs it and
checks `needs.gate.outputs.proceed`) takes the same decisions as the one-job form, scenario by
scenario: the same registry afterwards, annotations, API requests, step summary and run conclusion."""
from __future__ import annotations

import pytest

from generator.configfile import load_config
from harness.checks import timeline_expectations
from harness.library import selection
from harness.play import variants
from harness.play.pods import run_scenarios
from harness.play.timeline_play import TimelinePlayer
from harness.pod.pod import Pod
from harness.report import scenario_text
from harness.trace.job import run_conclusion
from tests.conftest import CONFIG

from .two_job import RENDERED, two_job

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def two_job_traces(pod_images, tmp_path_factory):
    path = tmp_path_factory.mktemp("two-job") / "auto-promote-two-job.yml"
    path.write_text(two_job(RENDERED.read_text()))
    traces = run_scenarios(selection.builtin(), path, lambda line: None, load_config(CONFIG), pods=2)
    return {t.scenario: t for t in traces}


def decisions(trace) -> dict:
    gate = next((s for s in trace.steps() if s.id == "gate"), None)
    return {
        "triggered": trace.triggered, "conclusion": run_conclusion(trace.jobs) if trace.jobs else "skipped",
        "registry after": trace.registry_after, "requests": trace.api_requests(),
        "annotations": [f"{a.level}: {a.message}" for s in trace.steps() for a in s.annotations],
        "summary": "".join(j.summary for j in trace.jobs), "proceed": gate.outputs.get("proceed") if gate else None,
    }


def test_two_jobs_decide_as_one(library_traces, two_job_traces):
    one = library_traces["rendered"]
    assert set(one) == set(two_job_traces) and len(one) >= 45
    for name, trace in sorted(two_job_traces.items()):
        assert decisions(trace) == decisions(one[name]), scenario_text.render(trace)
        # The scenario's own expectations hold, but those naming the one job's later steps, which a
        # skipped promote job does not have.
        failed = [c.text for c in trace.checks if not c.ok and not c.text.startswith("step ")]
        assert not failed, scenario_text.render(trace)


def test_the_gate_job_output_decides_the_promote_job(two_job_traces):
    promoted = two_job_traces["happy-path"]
    gate, promote = promoted.jobs
    assert (gate.id, gate.outputs["proceed"], promote.id, promote.ran) == ("gate", "true", "promote", True)
    deferred = next(t for t in two_job_traces.values() if t.jobs and t.jobs[0].outputs.get("proceed") == "false"
                    and t.jobs[0].conclusion == "success")
    assert deferred.jobs[1].ran is False and deferred.jobs[1].skip_reason.startswith("if needs.gate.outputs.proceed")
    assert "job promote (needs gate): if needs.gate.outputs.proceed == 'true' → skipped" in \
        scenario_text.render(deferred)


def test_two_runs_of_the_two_job_form_still_interleave(pod_images, tmp_path):
    """Interleaving works per job: race-backwards (per-SHA concurrency, two completions at once)
    still breaks no-backwards and one-revision when each run is a gate job and a promote job."""
    timeline = next(t for t in selection.builtin_timelines() if t.name == "race-backwards")
    subject = variants._subject("as-is", two_job(RENDERED.read_text()), "two-job", timeline.expect,
                                load_config(CONFIG))
    with Pod(pod_images, runners=2) as pod:
        trace = TimelinePlayer(pod, timeline, subject).run()
    trace.checks = timeline_expectations.check(trace, subject.expect)
    assert trace.passed, [c.text for c in trace.checks if not c.ok]
    raced = trace.events[-1]
    assert len(raced.orders) > 2 and all([j.id for j in r.jobs] == ["gate", "promote"] for r in raced.runs)
