"""Expectations derived from the config: what the gate table and ancestry policy say must happen.

The config is the spec; this predicts, without running anything, what a workflow implementing it
does in a given world. The harness then checks that the bash really does it.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator import gate, steps, templating
from generator.config import Config
from harness.library import repository_keys
from harness.library.scenario import ScenarioExpect, StepExpect
from harness.workflow import events

from .registry_access import absorbed, login_fails, push_refused, read_fails
from harness.world.world import World

RETRIED_AWAY = ("drop", "delay")  # gh silently retries a GET once on a dropped kept-alive connection


@dataclass(frozen=True)
class Prediction:
    """What the config says must happen: the expectations, and the intent they amount to."""

    expect: ScenarioExpect
    intent: str


def derive(config: Config, world: World, event: events.Event) -> ScenarioExpect:
    return predict(config, world, event).expect


def predict(config: Config, world: World, event: events.Event) -> Prediction:
    if not _triggered(config, event):
        return Prediction(ScenarioExpect(triggered=False), "not-triggered")
    dispatch = isinstance(event, events.Dispatch)
    if not dispatch and event.conclusion != "success":
        return Prediction(ScenarioExpect(triggered=True, job="skipped", conclusion="skipped"), "skip")
    plan = _Plan(config)
    sha = _target(config, event)
    plan.ran("sha", True)
    plan.requests = None if world.faults and any(f.hits_api() for f in world.faults) else []
    decision = _gate(config, world, event, sha)
    if decision.value != "(not asked)":
        plan.asked_gate(world, config, sha)
    plan.ran("gate", decision.action != "abort", proceed="true" if decision.proceed else "false")
    if not decision.proceed:
        return Prediction(plan.expect("failure" if decision.action == "abort" else "success"), decision.action)
    plan.ran("setup-crane", True)
    for host, login in config.logins:
        failed = login_fails(world, host, login)
        plan.ran(f"login:{host}", not failed)
        if failed:
            return Prediction(plan.expect("failure"), "abort")
    return _promotion(config, world, plan, sha, dispatch)


def _promotion(config: Config, world: World, plan: "_Plan", sha: str, dispatch: bool) -> Prediction:
    """From Verify on: the candidate check, the ancestry check, the retags."""
    candidate = config.tags.candidate.format(short=sha[:config.tags.short_sha_length], sha=sha)
    verified = bool(sha) and all(world.has_tag(_repository(im.ref), candidate)
                                 and not read_fails(world, config, im, candidate) for im in config.images)
    plan.ran("verify", verified)
    if not verified:
        return Prediction(plan.expect("failure"), "abort")
    if dispatch and config.ancestry.on_dispatch == "skip":
        plan.skip("ancestry")
    else:
        decision_text, ok = _ancestry(config, world, sha)
        plan.ran("ancestry", ok, decision=decision_text)
        current = world.revision_tagged(_repository(config.images[0].ref), config.tags.target,
                                        config.tags.revision_label)
        if current and current != sha:
            plan.request(f"GET /repos/{world.repository}/compare/{current}...{sha}")
        if not ok:
            return Prediction(plan.expect("failure"), "refuse")
    if config.retag.protect_split:
        plan.ran("record", True)
    refused = _refused_retag(config, world)
    if refused is not None:
        return Prediction(_refusal(config, plan, candidate, refused), "abort")
    if any(f.hits_registry and not absorbed(f) for f in world.faults):
        return Prediction(plan.expect(None), "promote")  # where else it strikes, the scenario says
    for image in config.images:
        plan.ran(f"retag:{image.name}", True)
        plan.registry[_repository(image.ref)] = {config.tags.target: candidate}
    if config.retag.protect_split:
        plan.ran("split-check", True)
    plan.ran("summary", True)
    return Prediction(plan.expect("success"), "promote")


def _refused_retag(config: Config, world: World) -> int | None:
    """The index of the first image whose target-tag push the registry refuses for good, if any."""
    return next((index for index, image in enumerate(config.images)
                 if push_refused(world, config, image, config.tags.target)), None)


def _refusal(config: Config, plan: "_Plan", candidate: str, refused: int) -> ScenarioExpect:
    """One image's retag refused: those before it moved (rolled back again under protect_split)."""
    for index, image in enumerate(config.images[:refused + 1]):
        plan.ran(f"retag:{image.name}", index < refused)
        if index < refused and not config.retag.protect_split:
            plan.registry[_repository(image.ref)] = {config.tags.target: candidate}
    if config.retag.protect_split:
        plan.steps[plan.titles["split-check"]] = StepExpect(ran=True, outcome="failure")
    expect = plan.expect("failure")
    registry = {**plan.unchanged, **plan.registry}
    return expect.model_copy(update={"registry": registry})


class _Plan:
    """Step expectations keyed by the titles the config gives its steps; unlisted steps are skipped."""

    def __init__(self, config: Config):
        self.requests: list[str] | None = []  # None: not predicted (an API fault may retry or cut them)
        self.titles = step_titles(config)
        self.actions = {step.role for step in steps.build(config, templating.environment()) if step.uses}
        self.steps: dict[str, StepExpect] = {}
        self.registry: dict[str, dict[str, str]] = {}
        self.unchanged = {_repository(im.ref): {config.tags.target: "unchanged"} for im in config.images}

    def ran(self, role: str, ok: bool, **outputs: str) -> None:
        self.steps[self.titles[role]] = StepExpect(ran=True, outcome="success" if ok else "failure",
                                                   exit=None if role in self.actions else (0 if ok else 1),
                                                   outputs=outputs or None)

    def request(self, line: str) -> None:
        if self.requests is not None:
            self.requests.append(line)

    def asked_gate(self, world: World, config: Config, sha: str) -> None:
        """The gate's `gh run list`: the workflow by file, then its runs for the SHA on the branch."""
        base = f"GET /repos/{world.repository}/actions/workflows"
        self.request(f"{base}/{config.e2e.workflow_file}")
        workflow = next((w for w in world.workflows if w.file == config.e2e.workflow_file), None)
        if workflow is not None and not _denied(config, world, "actions"):
            self.request(f"{base}/{workflow.id}/runs?branch={config.branch}&exclude_pull_requests=true"
                         f"&head_sha={sha}&per_page=1")

    def skip(self, role: str) -> None:
        self.steps[self.titles[role]] = StepExpect(ran=False, outcome="skipped")

    def expect(self, conclusion: str | None) -> ScenarioExpect:
        if conclusion is not None:
            for title in self.titles.values():
                self.steps.setdefault(title, StepExpect(ran=False, outcome="skipped"))
        return ScenarioExpect(triggered=True, job="ran", conclusion=conclusion, steps=self.steps,
                              requests=None if conclusion is None else self.requests,
                              registry=self.registry or ({} if conclusion is None else self.unchanged))


def step_titles(config: Config) -> dict[str, str]:
    """role → the step's title as the runner shows it (setup-crane has no name: `Run <action>`)."""
    built = steps.build(config, templating.environment())
    return {step.role: step.name or f"Run {step.uses.split('@')[0]}" for step in built}


def _repository(ref: str) -> str:
    return repository_keys.of_ref(ref)


def _triggered(config: Config, event: events.Event) -> bool:
    if isinstance(event, events.Dispatch):
        return True
    names = {t.name for t in config.triggers}
    return event.workflow in names and event.action == "completed" and event.head_branch == config.branch


def _target(config: Config, event: events.Event) -> str:
    if isinstance(event, events.Dispatch):
        return event.inputs.get(config.dispatch.input, "")
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
    current = world.revision_tagged(_repository(config.images[0].ref), config.tags.target, config.tags.revision_label)
    if not current:
        return ("skip-no-label", True) if config.ancestry.no_label == "skip" else ("no-label", False)
    if current == sha:
        return "identical", True
    if _api_faults(world, ("compare",)) or _denied(config, world, "contents"):
        return "error", False
    status = world.compare(current, sha)
    if status is None:
        return "error", False
    return status, status in ("ahead", "identical")


def _api_faults(world: World, routes: tuple[str, ...]) -> bool:
    """A fault that reaches gh on these routes (one gh retries away does not)."""
    return any(f.hits_api(routes) and not (f.kind in RETRIED_AWAY and f.times == 1) for f in world.faults)


def merge(explicit: ScenarioExpect, derived: ScenarioExpect) -> ScenarioExpect:
    """Explicit expectations win; derived ones fill the gaps."""
    fields = {}
    for name in ("triggered", "job", "conclusion", "annotations", "requests"):
        mine = getattr(explicit, name)
        fields[name] = mine if mine is not None else getattr(derived, name)
    fields["steps"] = {**derived.steps, **explicit.steps}
    fields["registry"] = {repo: {**derived.registry.get(repo, {}), **explicit.registry.get(repo, {})}
                          for repo in sorted(set(derived.registry) | set(explicit.registry))}
    fields["summary_contains"] = list(explicit.summary_contains)
    return ScenarioExpect(**fields)
