"""Compare a timeline's trace with its expectations: invariants, where the target tag ends, summaries."""
from __future__ import annotations

from harness.library.invariant_names import INVARIANTS
from harness.library.timeline import TimelineExpect
from harness.trace.check import Check
from harness.trace.timeline import TimelineTrace


def check(trace: TimelineTrace, expect: TimelineExpect) -> list[Check]:
    checks = _invariants(trace, expect)
    for repo, commit in expect.latest.items():
        rev = trace.events[-1].latest.get(repo) if trace.events else trace.initial.get(repo)
        want = trace.world.sha(commit)
        checks.append(Check(rev == want, f"{repo}:{trace.target} ends on {commit}"
                            + ("" if rev == want else f", but is on {trace.world.label(rev) if rev else 'nothing'}")))
    for text in expect.summaries_exclude:
        checks.append(Check(text not in trace.summaries, f"no step summary contains {text!r}"))
    for text in expect.summaries_include:
        checks.append(Check(text in trace.summaries, f"a step summary contains {text!r}"))
    return checks


def _invariants(trace: TimelineTrace, expect: TimelineExpect) -> list[Check]:
    broken = trace.broken()
    checks = []
    for name in INVARIANTS:
        want = expect.invariants.get(name)
        if want is None:
            continue
        where = broken.get(name)
        got = "hold" if where is None else "broken"
        at = "" if where is None else (" at the end" if where == 0 else f" at event {where}")
        checks.append(Check(got == want, f"{name} {want}" + ("" if got == want else f": but it is {got}{at}")))
    return checks
