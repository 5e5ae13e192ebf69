"""Timeline files: a day of pushes, builds, E2E runs, outages and dispatches, with the invariants
the promotion must keep. Validated like scenarios and the config."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from generator import loader

from .scenario import NAME, SHA, Image, Model, Repository

INVARIANTS = ("no-backwards", "never-red", "one-revision", "not-stuck", "no-false-alarm")
Conclusion = Literal["success", "failure", "neutral", "cancelled", "skipped", "timed_out",
                     "action_required", "stale", "startup_failure"]


class PushEvent(Model):
    commit: str = Field(pattern=NAME, description="Name of the new commit.")
    sha: str = Field(pattern=SHA.pattern)
    parents: list[str] | None = Field(None, description="Commit names; default: the current head of main.")


class PublishEvent(Model):
    commit: str
    conclusion: Conclusion = "success"


class E2EEvent(Model):
    commit: str
    status: Literal["queued", "in_progress", "completed"] = "completed"
    conclusion: Conclusion | None = None
    rerun: bool = Field(False, description="A new run for the commit rather than an update of its open one.")

    @model_validator(mode="after")
    def _conclusion(self):
        if (self.status == "completed") != (self.conclusion is not None):
            raise ValueError("a conclusion exactly when the status is completed")
        return self


class OutageEvent(Model):
    state: Literal["start", "end"]
    kind: Literal["status", "rate_limit", "non_json", "delay"] = "status"
    status: int = Field(500, ge=400, le=599)
    routes: list[Literal["workflow", "runs", "compare", "workflows"]] = ["workflow", "runs", "compare"]


class RegistryFaultEvent(Model):
    state: Literal["start", "end"] = "start"
    method: str = "PUT"
    path: str = Field(".*", description="Regex on the request path.")
    status: int = Field(500, ge=400, le=599)
    body: str | None = None
    times: int | None = Field(None, ge=1)


class DispatchEvent(Model):
    sha: str = Field("", description="Commit name, 40-hex SHA, or empty (the input left blank).")


class Interleave(Model):
    orders: Literal["sample", "all"] = "sample"
    limit: int = Field(8, ge=2, le=200, description="How many orders (the two serial ones included).")
    seed: int = 1


class Event(Model):
    note: str | None = Field(None, description="Shown next to the event in the timeline.")
    push: PushEvent | None = None
    publish: PublishEvent | None = None
    e2e: E2EEvent | None = None
    outage: OutageEvent | None = None
    registry_fault: RegistryFaultEvent | None = None
    dispatch: DispatchEvent | None = None
    together: list["Event"] | None = Field(None, description="Events whose workflow runs overlap.")
    interleave: Interleave = Interleave()

    @model_validator(mode="after")
    def _exactly_one(self):
        kinds = [k for k in ("push", "publish", "e2e", "outage", "registry_fault", "dispatch", "together")
                 if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("exactly one of push, publish, e2e, outage, registry_fault, dispatch, together")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("push", "publish", "e2e", "outage", "registry_fault", "dispatch", "together")
                    if getattr(self, k) is not None)


class Expect(Model):
    invariants: dict[Literal[INVARIANTS], Literal["hold", "broken"]] = Field(default_factory=dict)
    latest: dict[str, str] = Field(default_factory=dict, description="repository → commit name :latest ends on.")
    summaries_exclude: list[str] = Field(default_factory=list, description="Text no step summary may contain.")
    summaries_include: list[str] = Field(default_factory=list, description="Text some step summary must contain.")


class Edit(Model):
    find: str
    replace: str


class Variant(Model):
    name: str = Field(pattern=NAME)
    description: str = ""
    config: dict[str, Any] = Field(default_factory=dict, description="Config overrides, dotted keys.")
    edits: list[Edit] = Field(default_factory=list, description="Text edits on the workflow under test.")
    expect: Expect = Expect()


class Publisher(Model):
    workflow: str = "publish-workspace-server-image"
    file: str = "publish-workspace-server-image.yml"
    images: list[str] = ["molecule-ai/platform", "molecule-ai/platform-tenant"]
    candidate: str = "staging-{short}"
    format: Literal["docker", "oci", "oci-index"] = "oci"


class E2EWorkflow(Model):
    workflow: str = "E2E Staging SaaS (full lifecycle)"
    file: str = "e2e-staging-saas.yml"


class Timeline(Model):
    name: str | None = Field(None, pattern=NAME)
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    repository: Repository
    actor: str = "octo-operator"
    token: str = "ghs_promoteGenHarnessToken0000000000000"
    publisher: Publisher = Publisher()
    e2e: E2EWorkflow = E2EWorkflow()
    registry: dict[str, list[Image]] = Field(default_factory=dict)
    events: list[Event] = Field(min_length=1)
    expect: Expect = Expect()
    variants: list[Variant] = Field(default_factory=list)


Event.model_rebuild()


def looks_like_timeline(data: Any) -> bool:
    return isinstance(data, dict) and ("events" in data or "timelines" in data)


class Suite(Model):
    shared: Any = None
    timelines: list[Timeline] = Field(min_length=1)


def load(path: Path) -> list[Timeline]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(loader.read_text(path))
    is_suite = isinstance(data, dict) and "timelines" in data
    model, positioned = loader.load_model(path, Suite if is_suite else Timeline)
    timelines = model.timelines if is_suite else [model]
    problems = []
    for i, timeline in enumerate(timelines):
        base = ("timelines", i) if is_suite else ()
        problems += [(base + loc, expected, got) for loc, expected, got in references(timeline)]
        if is_suite and timeline.name is None:
            problems.append((base, "a `name:` for each timeline in a suite", None))
    loader.raise_first(path, positioned, problems)
    if not is_suite and model.name is None:
        timelines = [model.model_copy(update={"name": path.stem})]
    return timelines


def references(t: Timeline) -> list[tuple[tuple, str, object]]:
    """Commit names used before they are pushed, or never declared."""
    known = [c.name for c in t.repository.commits]
    problems = []

    def check(loc, name, allow_empty=False):
        if (allow_empty and name == "") or name in known or SHA.match(name):
            return
        problems.append((loc, f"a commit pushed earlier ({', '.join(known)}) or a 40-hex SHA", name))

    def walk(events: list[Event], base: tuple):
        for i, event in enumerate(events):
            loc = base + (i,)
            if event.push:
                for j, parent in enumerate(event.push.parents or []):
                    check(loc + ("push", "parents", j), parent)
                if event.push.commit in known:
                    problems.append((loc + ("push", "commit"), "a new commit name", event.push.commit))
                known.append(event.push.commit)
            for kind in ("publish", "e2e"):
                if getattr(event, kind):
                    check(loc + (kind, "commit"), getattr(event, kind).commit)
            if event.dispatch:
                check(loc + ("dispatch", "sha"), event.dispatch.sha, allow_empty=True)
            if event.together:
                walk(event.together, loc + ("together",))

    walk(t.events, ("events",))
    return problems
