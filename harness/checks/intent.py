"""A scenario's intent (what it is meant to show) against what the run did and what the config predicts.

The run's outcome is read from the trace by the step ids every rendering of the workflow shares
(`gate`, `ancestry`), so the hand-written seed is classified the same way as a rendered workflow.
"""
from __future__ import annotations

from collections import Counter

from harness.library.scenario import INTENTS
from harness.trace.check import Check
from harness.trace.job import run_conclusion
from harness.trace.scenario import ScenarioTrace

ANCESTRY_ID = "ancestry"
GATE_ID = "gate"


def observed(trace: ScenarioTrace) -> str:
    """The intent the run's outcome amounts to."""
    if not trace.triggered:
        return "not-triggered"
    if not any(job.ran for job in trace.jobs):
        return "skip"
    steps = {s.id: s for s in trace.steps() if s.id}
    gate = steps.get(GATE_ID)
    if gate is not None and gate.ran and gate.outputs.get("proceed") != "true":
        return "defer" if gate.outcome == "success" else "abort"
    ancestry = steps.get(ANCESTRY_ID)
    if ancestry is not None and ancestry.outcome == "failure":
        return "refuse"
    # The run's conclusion, not the first job's: in a gate/promote split the gate succeeds either way.
    return "promote" if run_conclusion(trace.jobs) == "success" else "abort"


def checks(stated: str | None, seen: str, predicted: str | None) -> list[Check]:
    """The run must match the stated intent, and so must the config's prediction (when there is a config)."""
    if stated is None:
        return [Check(False, f"the scenario states no intent (intent: {' | '.join(INTENTS)}); the run was {seen}")]
    out = [Check(seen == stated, f"intent {stated}: the run was {seen}")]
    if predicted is not None:
        out.append(Check(predicted == stated, f"intent {stated}: the config predicts {predicted}"
                         + ("" if predicted == stated else " — the scenario itself is wrong for this config")))
    return out


def counts(traces: list) -> Counter:
    """Scenarios per stated intent (traces without one count as `none`)."""
    return Counter(getattr(t, "intent", None) or "none" for t in traces if isinstance(t, ScenarioTrace))


def counts_line(traces: list) -> str:
    found = counts(traces)
    if not found:
        return ""
    order = [i for i in INTENTS if found[i]] + (["none"] if found["none"] else [])
    return "intents: " + ", ".join(f"{name} {found[name]}" for name in order)


def library_problems(traces: list, config) -> list[str]:
    """What makes a whole library vacuous for this config: nothing promotes, or a configured trigger
    never fires a run of the job."""
    scenarios = [t for t in traces if isinstance(t, ScenarioTrace)]
    if not scenarios:
        return []
    problems = []
    if not any(t.outcome == "promote" for t in scenarios):
        problems.append("no scenario promoted: the library proves nothing about a promotion")
    for trigger in config.triggers:
        if not any(t.upstream == trigger.name and t.triggered and t.jobs and t.jobs[0].ran for t in scenarios):
            problems.append(f"the trigger {trigger.name!r} never fired a run of the job")
    return problems
