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
    plan = _Plan(config)
    sha = _target(config, event)
    plan.ran("sha", True)
    decision = _gate(config, world, event, sha)
    plan.ran("gate", decision.action != "abort", proceed="true" if decision.proceed else "false")
    if not decision.proceed:
        return plan.expect("failure" if decision.action == "abort" else "success")
    plan.ran("setup", True)
    plan.ran("login", True)
    candidate = config.tags.candidate.format(short=sha[:config.tags.short_sha_length], sha=sha)
    verified = bool(sha) and all(_has_tag(world, im.ref, candidate) for im in config.images)
    plan.ran("verify", verified)
    if not verified:
        return plan.expect("failure")
    if dispatch and config.ancestry.on_dispatch == "skip":
        plan.skip("ancestry")
    else:
        decision_text, ok = _ancestry(config, world, sha)
        plan.ran("ancestry", ok, decision=decision_text)
        if not ok:
            return plan.expect("failure")
    if _registry_faults(world):
        return plan.expect(None)  # which retag fails depends on the fault; the scenario says
    for image in config.images:
        plan.ran(f"retag:{image.name}", True)
        plan.registry[image.ref.split("/", 1)[1]] = {config.tags.target: candidate}
    plan.ran("summary", True)
    return plan.expect("success")


class _Plan:
    """Step expectations keyed by the titles the config gives its steps; unlisted steps are skipped."""

    def __init__(self, config: Config):
        self.titles = step_titles(config)
        self.steps: dict[str, StepExpect] = {}
        self.registry: dict[str, dict[str, str]] = {}
        self.unchanged = {im.ref.split("/", 1)[1]: {config.tags.target: "unchanged"} for im in config.images}

    def ran(self, role: str, ok: bool, **outputs: str) -> None:
        self.steps[self.titles[role]] = StepExpect(ran=True, outcome="success" if ok else "failure",
                                                   exit=None if role == "setup" else (0 if ok else 1),
                                                   outputs=outputs or None)

    def skip(self, role: str) -> None:
        self.steps[self.titles[role]] = StepExpect(ran=False, outcome="skipped")

    def expect(self, conclusion: str | None) -> Expect:
        if conclusion is not None:
            for title in self.titles.values():
                self.steps.setdefault(title, StepExpect(ran=False, outcome="skipped"))
        return Expect(triggered=True, job="ran", conclusion=conclusion, steps=self.steps,
                      registry=self.registry or ({} if conclusion is None else self.unchanged))


_TITLES: dict[int, dict[str, str]] = {}


def step_titles(config: Config) -> dict[str, str]:
    """role → the step's title as the runner shows it (setup-crane has no name: `Run <action>`)."""
    if id(config) not in _TITLES:
        from generator import scripts, steps

        built = steps.build(config, scripts.environment())
        roles = ["sha", "gate", "setup", "login", "verify", "ancestry",
                 *[f"retag:{im.name}" for im in config.images], "summary"]
        _TITLES[id(config)] = {role: step.name or f"Run {step.uses.split('@')[0]}" for role, step in zip(roles, built)}
    return _TITLES[id(config)]


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


def _denied(config: Config, world: World, scope: str) -> bool:
    """A private repository answers 403 when the token's permissions leave `scope` out."""
    return world.private and config.permissions.get(scope, "none") not in ("read", "write")


def e2e_state(config: Config, world: World, sha: str) -> str:
    """What `gh run list … --jq` prints for the gate, or gate.API_ERROR when gh fails."""
    if _api_faults(world, ("workflow", "runs")) or _denied(config, world, "actions"):
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
    if _api_faults(world, ("compare",)) or _denied(config, world, "contents"):
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
