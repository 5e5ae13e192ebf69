"""Scenario → plan → pod → trace: run one scenario's event against a workflow in a warm pod."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from harness import expressions

from . import actions, events, expect, oci, oracle, triggers
from .pod import Pod
from .runner import JobRunner
from .scenario import Scenario
from .trace import Trace
from .workflow_file import Workflow
from .world import World, from_scenario


class UnsupportedWorkflow(Exception):
    """The workflow needs something the harness does not run; reported before any step runs."""


@dataclass(frozen=True)
class Plan:
    world: World
    event: events.Event
    decision: triggers.Decision
    concurrency: str | None


def to_event(s: Scenario, world: World) -> events.Event:
    if s.event.workflow_dispatch is not None:
        d = s.event.workflow_dispatch
        return events.Dispatch(dict(d.inputs), d.ref or world.default_branch)
    r = s.event.workflow_run
    return events.WorkflowRun(r.workflow, r.action, r.conclusion, world.sha(r.commit), r.branch or world.default_branch,
                              r.event)


def describe(event: events.Event, world: World) -> str:
    if isinstance(event, events.Dispatch):
        inputs = ", ".join(f"{k}={v!r}" for k, v in sorted(event.inputs.items())) or "no inputs"
        return f"workflow_dispatch on {event.ref} ({inputs}) by {world.actor}"
    outcome = f" concluded {event.conclusion}" if event.action == "completed" else ""
    return f"workflow_run {event.action}: {event.workflow!r}{outcome} for {world.label(event.head_sha)} on {event.head_branch}"


def check_supported(workflow: Workflow) -> None:
    for job in workflow.jobs:
        for step in job.steps:
            if step.uses:
                try:
                    actions.lookup(step.uses)
                except actions.UnknownAction as exc:
                    raise UnsupportedWorkflow(f"{workflow.path}: job {job.id}, step {step.index} "
                                              f"({step.title}): {exc}") from None


def plan(workflow: Workflow, world: World, event: events.Event) -> Plan:
    decision = triggers.decide(workflow, event)
    group = None
    if decision.triggered and isinstance(workflow.concurrency, dict) and "group" in workflow.concurrency:
        ctx = {"github": events.github_context(event, world, workflow.name or "", "workflow.yml", "", "", ""),
               "inputs": {}, "vars": {}}
        group = expressions.interpolate(str(workflow.concurrency["group"]), ctx)
    elif decision.triggered and isinstance(workflow.concurrency, str):
        group = workflow.concurrency
    return Plan(world, event, decision, group)


def seed(pod: Pod, world: World, token_permissions: dict | None = None) -> dict[str, dict[str, str]]:
    """Reset the registry and API to `world` (the API sees `token_permissions` as the job token's);
    returns the registry's tag → digest map.

    The first time a registry layout is seen it is pushed over HTTP; later scenarios with the same
    layout get the stored result of that push back.
    """
    expected = _static_registry(world)
    key = hashlib.sha256(json.dumps(expected, sort_keys=True).encode()).hexdigest()[:16]
    if not pod.restore_registry(key):
        pod.wipe_registry()
        pushed: dict[str, dict[str, str]] = {}
        for request in world.pushes():
            digests = pod.push(request)
            for m in request["manifests"]:
                if not m["reference"].startswith("sha256:"):
                    pushed.setdefault(request["repository"], {})[m["reference"]] = digests[m["reference"]]
        if pushed != expected:
            raise RuntimeError(f"the registry stored other digests than the scenario's content: {pushed}")
        pod.save_registry(key)
    pod.set_world(world.api_state(token_permissions), reset_log=True)
    return expected


def digest_names(world: World) -> dict[str, str]:
    names = {}
    for repo, images in world.registry.items():
        for image in images:
            built = oci.build(repo, image.revision, image.format)
            what = f"image of {world.label(image.revision)}" if image.revision else "image without revision label"
            names[built.top_digest] = f"[{what}, {image.format}]"
    return names


def expectations(scenario: Scenario, world: World, event: events.Event, config) -> tuple:
    """The scenario's expectations, completed from the config when it asks for that."""
    if not scenario.expect.from_config:
        return scenario.expect, []
    if config is None:
        return scenario.expect, [expect.Check(False, "expect.from_config needs a config (--config)")]
    return oracle.merge(scenario.expect, oracle.derive(config, world, event)), []


def run(pod: Pod, workflow: Workflow, scenario: Scenario, display_path: str, crane_kind: str,
        config=None) -> Trace:
    started = time.monotonic()
    world = from_scenario(scenario)
    p = plan(workflow, world, to_event(scenario, world))
    trace = Trace(scenario.name or "scenario", scenario.description, display_path, describe(p.event, world),
                  p.decision.triggered, p.decision.reason, p.concurrency, digest_names=digest_names(world))
    if p.decision.triggered:
        trace.registry_before = seed(pod, world, workflow.token_permissions(workflow.jobs[0]))
        for index, job in enumerate(workflow.jobs):
            if index:  # a later job may hold another token
                pod.set_world(world.api_state(workflow.token_permissions(job)), reset_log=False)
            trace.jobs.append(JobRunner(pod, workflow, job, p.event, world, crane_kind=crane_kind).run())
        trace.registry_after = pod.tags(sorted(world.registry))
        trace.requests = pod.log()
    else:
        trace.registry_before = trace.registry_after = _static_registry(world)
    wanted, problems = expectations(scenario, world, p.event, config)
    trace.checks = problems + expect.check(trace, wanted)
    trace.seconds = time.monotonic() - started
    return trace


def _static_registry(world: World) -> dict[str, dict[str, str]]:
    state: dict[str, dict[str, str]] = {}
    for repo, images in world.registry.items():
        for image in images:
            digest = oci.build(repo, image.revision, image.format).top_digest
            for tag in image.tags:
                state.setdefault(repo, {})[tag] = digest
    return state
