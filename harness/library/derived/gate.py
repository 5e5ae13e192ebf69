"""Derived gate scenarios: one per class of run state (which covers every arm of the config's table,
a `*` arm included), the no-run case, each kind of API failure under `on_api_error`, re-runs for the
same commit, and a private repository's token. Only a publish trigger's completion asks the gate, so a
config without one gets none of these (its gate is never asked)."""
from __future__ import annotations

from generator import gate
from generator.vocabulary import RUN_CONCLUSIONS, RUN_STATUSES

from ..scenario import Scenario
from .base import COMMITS, Names, completed, gate_intent, run_for, scenario, workflow_run

AREA = "gate"
# How each kind of failure reaches `gh run list` (the API stub's faults).
API_FAILURES = [
    ("gate-api-500", "the runs lookup answers 500", {"route": "runs", "status": 500}),
    ("gate-api-401", "the workflow lookup answers 401 (a bad token)", {"route": "workflow", "status": 401}),
    ("gate-api-rate-limited", "the runs lookup is rate-limited (403)", {"route": "runs", "kind": "rate_limit"}),
    ("gate-api-not-json", "the runs lookup answers a body that is not JSON", {"route": "runs", "kind": "non_json"}),
    ("gate-api-timeout", "the runs lookup hangs, then the connection drops", {"route": "runs", "kind": "delay",
                                                                              "delay": 0.3}),
]


def states() -> list[str]:
    """One value per class of run state: each conclusion of a completed run, each unfinished status, no run."""
    return ([f"completed/{c}" for c in RUN_CONCLUSIONS] + [f"{s}/" for s in RUN_STATUSES if s != "completed"]
            + [gate.NO_RUN])


def scenario_name(value: str) -> str:
    """The derived scenario of a run state (`completed/timed_out` → `gate-completed-timed-out`)."""
    return "gate-no-run" if value == gate.NO_RUN else f"gate-{value.rstrip('/').replace('/', '-').replace('_', '-')}"


def scenarios(names: Names) -> list[Scenario]:
    if not names.gate_asked:
        return []
    config = names.config
    event = workflow_run(names.upstream)
    chosen = states()
    reached = {gate.arm_for(config.gate.arms, v) for v in chosen}
    # An arm only unrealistic states reach (`queued/success`) still gets its scenario.
    chosen += [next(v for v in gate.universe() if gate.arm_for(config.gate.arms, v) == i)
               for i in range(len(config.gate.arms)) if i not in reached]
    out = []
    for value in chosen:
        decision = gate.decide(config.gate, value)
        arm = config.gate.arms[decision.arm]
        label = "no E2E run" if value == gate.NO_RUN else f"E2E `{value}`"
        out.append(scenario(names, AREA, scenario_name(value), gate_intent(config, value),
                            f"{names.upstream} completed; {label} for the commit: arm {decision.arm + 1} "
                            f"(`{' | '.join(arm.match)}`) decides {decision.action}.",
                            event, runs=run_for(value), expect=_summary(names, arm.summary, value)))
    api = gate_intent(config, gate.API_ERROR)
    for name, what, fault in API_FAILURES:
        out.append(scenario(names, AREA, name, api,
                            f"{what} while E2E is red for the commit: on_api_error is {config.gate.on_api_error}, "
                            f"so the gate does: {api}.",
                            event, runs=[completed(conclusion="failure")], faults=[fault]))
    out.append(scenario(names, AREA, "gate-rerun-green-after-red", gate_intent(config, "completed/success"),
                        "E2E failed for the commit, then its re-run passed: the newest run decides.",
                        event, runs=[completed(conclusion="failure"), completed()]))
    out.append(scenario(names, AREA, "gate-rerun-running-after-green", gate_intent(config, "in_progress/"),
                        "E2E passed for the commit and a re-run is in progress: the newest run decides.",
                        event, runs=[completed(), {"commit": "target", "status": "in_progress"}]))
    readable = config.permissions.get("actions", "none") in ("read", "write")
    private_intent = gate_intent(config, "completed/failure" if readable else gate.API_ERROR)
    out.append(scenario(names, AREA, "gate-private-repo", private_intent,
                        "a private repository, E2E red for the commit: " + (
                            "the token may read runs (actions: read), so the red run decides."
                            if readable else "the token lacks actions: read, so the lookup is refused (403) "
                                             f"and on_api_error decides: {private_intent}."),
                        event, runs=[completed(conclusion="failure")], private=True))
    return out


def _summary(names: Names, lines: list[str], value: str) -> dict:
    """The arm's own summary lines, filled in, must reach the step summary."""
    fields = {"{short}": names.short("target"), "{sha}": COMMITS["target"], "{result}": value}
    filled = []
    for line in lines:
        for key, text in fields.items():
            line = line.replace(key, text)
        if line.strip():
            filled.append(line)
    return {"summary_contains": filled} if filled else {}
