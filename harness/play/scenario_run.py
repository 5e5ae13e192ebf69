"""Scenario → plan → pod → trace → checks: run one scenario's event against a workflow in a warm pod."""
from __future__ import annotations

import time

from generator.config import Config
from harness.checks import expectations, intent, oracle
from harness.library.scenario import Scenario, ScenarioExpect
from harness.report import wording
from harness.runner.run import WorkflowRunner
from harness.trace.check import Check
from harness.trace.scenario import ScenarioTrace
from harness.workflow import events
from harness.workflow.model import Workflow
from harness.world.build import scenario_world, with_registries
from harness.world.world import World

from .plan import plan, scenario_event
from .seeding import digest_names, seed


def run(pod, workflow: Workflow, scenario: Scenario, display_path: str,
        config: Config | None = None) -> ScenarioTrace:
    started = time.monotonic()
    world = with_registries(scenario_world(scenario), config, scenario)
    planned = plan(workflow, world, scenario_event(scenario, world))
    trace = ScenarioTrace(scenario.name or "scenario", scenario.description, display_path,
                          wording.github_event(planned.event, world), planned.decision.triggered,
                          planned.decision.reason, planned.concurrency, tools=pod.images.tools,
                          digest_names=digest_names(world))
    if planned.decision.triggered:
        _run_jobs(pod, workflow, world, planned.event, trace)
    else:
        trace.registry_before = trace.registry_after = world.registry_state()
    prediction = oracle.predict(config, world, planned.event) if config is not None else None
    wanted, problems = _expectations(scenario, prediction)
    trace.intent, trace.outcome = scenario.intent, intent.observed(trace)
    trace.upstream = scenario.event.workflow_run.workflow if scenario.event.workflow_run else None
    # The config's prediction must agree with the intent where the scenario takes the config as its spec.
    predicted = prediction.intent if prediction is not None and scenario.expect.from_config else None
    trace.checks = (intent.checks(scenario.intent, trace.outcome, predicted)
                    + problems + expectations.check(trace, wanted))
    trace.seconds = time.monotonic() - started
    return trace


def _run_jobs(pod, workflow: Workflow, world: World, event: events.Event, trace: ScenarioTrace) -> None:
    trace.registry_before = seed(pod, world, workflow.token_permissions(workflow.jobs[0]))

    def before_job(index, job):
        if index:  # a later job may hold another token
            pod.set_world(world.api_state(workflow.token_permissions(job)), reset_log=False,
                          fault_counts=pod.fault_counts())

    trace.jobs = WorkflowRunner(pod, workflow, event, world, before_job=before_job).run()
    trace.registry_after = pod.tags(sorted(world.registry))
    trace.requests = pod.log()


def _expectations(scenario: Scenario, prediction: oracle.Prediction | None) -> tuple[ScenarioExpect, list[Check]]:
    """The scenario's expectations, completed from the config's prediction when it asks for that."""
    if not scenario.expect.from_config:
        return scenario.expect, []
    if prediction is None:
        return scenario.expect, [Check(False, "expect.from_config needs a config (--config)")]
    return oracle.merge(scenario.expect, prediction.expect), []
