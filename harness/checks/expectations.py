"""Compare a scenario's trace with its expectations; every expectation becomes one named check."""
from __future__ import annotations

from harness.library.scenario import JobExpect, ScenarioExpect, StepExpect
from harness.trace.check import Check
from harness.trace.job import StepResult, run_conclusion
from harness.trace.scenario import ScenarioTrace


def check(trace: ScenarioTrace, expect: ScenarioExpect) -> list[Check]:
    checks: list[Check] = []
    if expect.triggered is not None:
        checks.append(_eq("triggered", trace.triggered, expect.triggered))
    ran = any(job.ran for job in trace.jobs)
    conclusion = run_conclusion(trace.jobs) if trace.jobs else "skipped"
    what = "job" if len(trace.jobs) <= 1 else "run"
    if expect.job is not None:
        checks.append(_eq(what, "ran" if ran else "skipped", expect.job))
    if expect.conclusion is not None:
        checks.append(_eq(f"{what} conclusion", conclusion, expect.conclusion))
    for job_id, want in expect.jobs.items():
        checks += _job_checks(trace, job_id, want)
    for key, want in expect.steps.items():
        checks += _step_checks(trace.steps(), key, want)
    if expect.annotations is not None:
        got = [f"{a.level}: {a.message}" for s in trace.steps() for a in s.annotations]
        checks.append(_eq("annotations", got, list(expect.annotations)))
    summary = "".join(job.summary for job in trace.jobs)
    for text in expect.summary_contains:
        checks.append(Check(text in summary, f"summary contains {text!r}"))
    for repo, tags in expect.registry.items():
        for tag, want in tags.items():
            checks.append(_registry_check(trace, repo, tag, want))
    checks.append(_rest_unchanged(trace, expect.registry))
    if expect.requests is not None:
        checks.append(_eq("API requests", trace.api_requests(), list(expect.requests)))
    checks.append(Check(not trace.unmatched, "no request hit an unmatched API route"))
    return checks


def _eq(what: str, got, want) -> Check:
    if got == want:
        return Check(True, f"{what} = {_show(want)}")
    return Check(False, f"{what}: expected {_show(want)}, got {_show(got)}")


def _show(value) -> str:
    if isinstance(value, list):
        return "[" + "; ".join(map(str, value)) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _job_checks(trace: ScenarioTrace, job_id: str, want: JobExpect) -> list[Check]:
    job = next((j for j in trace.jobs if j.id == job_id), None)
    if job is None:
        return [Check(False, f"job {job_id!r}: the run has no such job ({', '.join(j.id for j in trace.jobs)})")]
    checks = []
    if want.ran is not None:
        checks.append(_eq(f"job {job_id} ran", job.ran, want.ran))
    if want.conclusion is not None:
        checks.append(_eq(f"job {job_id} conclusion", job.conclusion, want.conclusion))
    if want.outputs is not None:
        checks.append(_eq(f"job {job_id} outputs", job.outputs, dict(want.outputs)))
    for key, step in want.steps.items():
        checks += _step_checks(job.steps, key, step, prefix=f"{job_id}.")
    return checks


def find_step(steps: list[StepResult], key: str) -> StepResult | None:
    for match in (lambda s: s.id == key, lambda s: s.title == key, lambda s: s.title.startswith(key)):
        found = [s for s in steps if match(s)]
        if len(found) == 1:
            return found[0]
    return None


def _step_checks(steps: list[StepResult], key: str, want: StepExpect, prefix: str = "") -> list[Check]:
    """One check per step: everything expected of it, and what differed."""
    step = find_step(steps, key)
    key = prefix + key
    if step is None:
        return [Check(False, f"step {key!r}: no single step has this id, name or name prefix")]
    expected, got = [], []
    for label, wanted, actual in _step_facts(step, want):
        expected.append(label(wanted))
        if wanted != actual:
            got.append(label(actual))
    text = f"step {key}: {', '.join(expected)}"
    return [Check(not got, text if not got else f"{text}; got {', '.join(got)}")]


def _step_facts(step: StepResult, want: StepExpect):
    if want.ran is not None:
        yield (lambda v: "ran" if v else "did not run"), want.ran, step.ran
    if want.outcome is not None:
        yield (lambda v: str(v)), want.outcome, step.outcome
    if want.exit is not None:
        yield (lambda v: f"exit {v}"), want.exit, step.exit_code
    for name, value in sorted((want.outputs or {}).items()):
        yield (lambda v, n=name: f"{n}={v!r}" if v is not None else f"no output {n}"), value, step.outputs.get(name)


def _rest_unchanged(trace: ScenarioTrace, named: dict[str, dict[str, str]]) -> Check:
    """Every tag the expectations do not name keeps its digest, and no other tag appears."""
    moved = []
    for repo in sorted(set(trace.registry_before) | set(trace.registry_after)):
        before, after = trace.registry_before.get(repo, {}), trace.registry_after.get(repo, {})
        for tag in sorted(set(before) | set(after)):
            if tag not in named.get(repo, {}) and before.get(tag) != after.get(tag):
                moved.append(f"{repo}:{tag}")
    count = sum(len(set(trace.registry_before.get(r, {})) | set(trace.registry_after.get(r, {})))
                for r in set(trace.registry_before) | set(trace.registry_after))
    text = f"every other tag unchanged ({count - sum(len(t) for t in named.values())} tags)"
    return Check(not moved, text if not moved else f"{text}: but {', '.join(moved)} changed")


def _registry_check(trace: ScenarioTrace, repo: str, tag: str, want: str) -> Check:
    after = trace.registry_after.get(repo, {}).get(tag)
    before = trace.registry_before.get(repo, {})
    label = f"{repo}:{tag}"
    if want == "absent":
        return Check(after is None, f"{label} is absent" + ("" if after is None else f", but points at {after[:19]}"))
    if want == "unchanged":
        return Check(after == before.get(tag), f"{label} is unchanged" +
                     ("" if after == before.get(tag) else f", but moved to {after and after[:19]}"))
    target = before.get(want)
    if target is None:
        return Check(False, f"{label} → {want}: the scenario's registry has no tag {want!r} in {repo}")
    return Check(after == target, f"{label} points at {want}'s digest" +
                 ("" if after == target else f", but points at {after[:19] if after else '(absent)'}"))
