"""Derived trigger scenarios: each configured trigger completed with success and without, another
branch, a `requested` type, an unlisted workflow, a dispatch with and without a SHA."""
from __future__ import annotations

from ..scenario import Scenario
from .base import COMMITS, Names, completed, dispatch, gate_intent, scenario, slug, workflow_run

AREA = "triggers"


def scenarios(names: Names) -> list[Scenario]:
    config = names.config
    out = []
    for trigger in config.triggers:
        what = "E2E" if trigger.role == "e2e" else "publish"
        conclusions = ("success", "failure") if trigger.role == "e2e" else ("success", "failure", "cancelled")
        for conclusion in conclusions:
            green = conclusion == "success"
            intent = "skip" if not green else "promote" if trigger.role == "e2e" else \
                gate_intent(config, "completed/success")
            out.append(scenario(
                names, AREA, f"trigger-{slug(trigger.name)}-{conclusion}", intent,
                f"{trigger.name} ({what}) completed with {conclusion} on {config.branch}: "
                + (f"the workflow runs; E2E is green for the commit, so it does: {intent}." if green
                   else "the job's `if` skips the run; the target tag stays put."),
                workflow_run(trigger.name, conclusion=conclusion)))
    e2e = config.e2e_trigger.name
    out.append(scenario(names, AREA, "trigger-other-branch", "not-triggered",
                        f"{e2e} completed green on {names.other_branch()}, not {config.branch}: the branch filter "
                        "keeps the workflow from running.",
                        workflow_run(e2e, branch=names.other_branch()),
                        runs=[{**completed(), "branch": names.other_branch()}]))
    out.append(scenario(names, AREA, "trigger-requested-type", "not-triggered",
                        f"{e2e} was requested (it starts): only `completed` fires the workflow.",
                        {"workflow_run": {"workflow": e2e, "action": "requested", "conclusion": None,
                                          "commit": "target"}},
                        runs=[{"commit": "target", "status": "in_progress"}]))
    out.append(scenario(names, AREA, "trigger-unlisted-workflow", "not-triggered",
                        f"{names.unlisted_workflow()}, a workflow the config does not list, completed: nothing runs.",
                        workflow_run(names.unlisted_workflow())))
    out.append(scenario(names, AREA, "dispatch-with-sha", "promote",
                        f"an operator dispatches the target commit with `{config.dispatch.input}`: the gate is "
                        f"skipped (operator override) and the commit is promoted.",
                        dispatch(names, COMMITS["target"])))
    out.append(scenario(names, AREA, "dispatch-empty-sha", "abort",
                        f"a dispatch with `{config.dispatch.input}` left empty: no candidate can be named, so Verify "
                        "stops the run red.",
                        dispatch(names, "")))
    return out
