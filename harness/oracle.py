"""Expectations derived from the config: what the gate table and ancestry policy say must happen.

The config is the spec; this predicts, without running anything, what a workflow implementing it
does in a given world. The harness then checks that the bash really does it.
"""
from __future__ import annotations

from generator import gate
from generator.config import Config

from . import events
from .podagent.history import CommitGraph, NoCommonAncestor, UnknownCommit
from .scenario import Expect, StepExpect
from .world import World

RETRIED_AWAY = ("drop", "delay")  # gh silently retries a GET once on a dropped kept-alive connection


def derive(config: Config, world: World, event: events.Event) -> Expect:
    if not _triggered(config, event):
        return Expect(triggered=False)
    dispatch = isinstance(event, events.Dispatch)
    if not dispatch and event.conclusion != "success":
        return Expect(triggered=True, job="skipped", conclusion="skipped")
    sha = _target(config, event)
    decision = _gate(config, world, event, sha)
    steps = {"gate": StepExpect(outcome="failure" if decision.action == "abort" else "success",
                                outputs={"proceed": "true" if decision.proceed else "false"})}
    unchanged = {im.ref.split("/", 1)[1]: {config.tags.target: "unchanged"} for im in config.images}
    if not decision.proceed:
        return Expect(triggered=True, job="ran", conclusion="failure" if decision.action == "abort" else "success",
                      steps=steps, registry=unchanged)
    return _after_gate(config, world, dispatch, sha, steps, unchanged)


def _after_gate(config: Config, world: World, dispatch: bool, sha: str, steps: dict, unchanged: dict) -> Expect:
    candidate = config.tags.candidate.format(short=sha[:config.tags.short_sha_length], sha=sha)
    if not sha or not all(_has_tag(world, im.ref, candidate) for im in config.images):
        steps["Verify"] = StepExpect(outcome="failure")
        return Expect(triggered=True, job="ran", conclusion="failure", steps=steps, registry=unchanged)
    if not (dispatch and config.ancestry.on_dispatch == "skip"):
        decision, ok = _ancestry(config, world, sha)
        steps["ancestry"] = StepExpect(outcome="success" if ok else "failure", outputs={"decision": decision})
        if not ok:
            return Expect(triggered=True, job="ran", conclusion="failure", steps=steps, registry=unchanged)
    registry = None if _registry_faults(world) else {
        im.ref.split("/", 1)[1]: {config.tags.target: candidate} for im in config.images}
    return Expect(triggered=True, job="ran", conclusion=None if registry is None else "success",
                  steps=steps, registry=registry or {})


def _triggered(config: Config, event: events.Event) -> bool:
    if isinstance(event, events.Dispatch):
        return True
    names = {t.name for t in config.triggers}
    return event.workflow in names and event.action == "completed" and event.head_branch == config.branch


def _target(config: Config, event: events.Event) -> str:
    if isinstance(event, events.Dispatch):
        given = event.inputs.get(config.dispatch.input, "")
        if given:
            return given
        return ""
    return event.head_sha


def _gate(config: Config, world: World, event: events.Event, sha: str) -> gate.Decision:
    if isinstance(event, events.Dispatch) or event.workflow == config.e2e_trigger.name:
        return gate.Decision("(not asked)", "proceed", None)
    return gate.decide(config.gate, e2e_state(config, world, sha))


def e2e_state(config: Config, world: World, sha: str) -> str:
    """What `gh run list … --jq` prints for the gate, or gate.API_ERROR when gh fails."""
    if _api_faults(world, ("workflow", "runs")):
        return gate.API_ERROR
    workflow = next((w for w in world.workflows if w.file == config.e2e.workflow_file), None)
    if workflow is None:
        return gate.API_ERROR  # gh: HTTP 404 workflow … not found
    runs = [r for r in workflow.runs if r.head_sha == sha and r.head_branch == config.branch]
    if not runs:
        return gate.NO_RUN
    newest = max(runs, key=lambda r: r.id)
    return f"{newest.status}/{newest.conclusion or ''}"


def _ancestry(config: Config, world: World, sha: str) -> tuple[str, bool]:
    primary = config.images[0].ref.split("/", 1)[1]
    current = _label(world, primary, config.tags.target)
    if not current:
        return ("skip-no-label", True) if config.ancestry.no_label == "skip" else ("no-label", False)
    if current == sha:
        return "identical", True
    if _api_faults(world, ("compare",)):
        return "error", False
    try:
        status = CommitGraph(world.commits).compare(current, sha).status
    except (UnknownCommit, NoCommonAncestor):
        return "error", False
    return status, status in ("ahead", "identical")


def _label(world: World, repository: str, tag: str) -> str | None:
    for image in world.registry.get(repository, []):
        if tag in image.tags:
            return image.revision
    return None


def _has_tag(world: World, ref: str, tag: str) -> bool:
    return any(tag in image.tags for image in world.registry.get(ref.split("/", 1)[1], []))


def _api_faults(world: World, routes: tuple[str, ...]) -> bool:
    for fault in world.faults:
        if fault.get("service", "api") != "api" or fault.get("route") not in routes:
            continue
        if fault.get("kind") in RETRIED_AWAY and fault.get("times") == 1:
            continue
        return True
    return False


def _registry_faults(world: World) -> bool:
    return any(f.get("service") == "registry" for f in world.faults)


def merge(explicit: Expect, derived: Expect) -> Expect:
    """Explicit expectations win; derived ones fill the gaps."""
    fields = {}
    for name in ("triggered", "job", "conclusion", "annotations", "requests"):
        mine = getattr(explicit, name)
        fields[name] = mine if mine is not None else getattr(derived, name)
    fields["steps"] = {**derived.steps, **explicit.steps}
    fields["registry"] = {repo: {**derived.registry.get(repo, {}), **explicit.registry.get(repo, {})}
                          for repo in sorted(set(derived.registry) | set(explicit.registry))}
    fields["summary_contains"] = list(explicit.summary_contains)
    return Expect(**fields)
