"""What an event means before any step runs: the GitHub event, whether it triggers the workflow,
and the concurrency group the run lands in."""
from __future__ import annotations

from dataclasses import dataclass

from harness.library.scenario import Scenario
from harness.workflow import concurrency, contexts, events, triggers
from harness.workflow.model import Workflow
from harness.world.world import World


@dataclass(frozen=True)
class Plan:
    event: events.Event
    decision: triggers.Decision
    concurrency: str | None
    settings: concurrency.Concurrency = concurrency.Concurrency(None)


def plan(workflow: Workflow, world: World, event: events.Event) -> Plan:
    decision = triggers.decide(workflow, event)
    settings = concurrency.Concurrency(None)
    if decision.triggered:
        settings = concurrency.evaluate(workflow, contexts.for_run(workflow, event, world))
    return Plan(event, decision, settings.group, settings)


def scenario_event(scenario: Scenario, world: World) -> events.Event:
    if scenario.event.workflow_dispatch is not None:
        dispatch = scenario.event.workflow_dispatch
        return events.Dispatch(dict(dispatch.inputs), dispatch.ref or world.default_branch)
    run = scenario.event.workflow_run
    return world.run_event(run.workflow, run.action, run.conclusion, world.sha(run.commit), run.branch, run.event)
