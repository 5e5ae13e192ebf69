"""Timeline files: a day of pushes, builds, E2E runs, outages and dispatches, with the invariants
the promotion must keep. Validated like scenarios and the config."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from generator.history import BUGS
from generator.vocabulary import RUN_CONCLUSIONS

from .common import (IMAGE_FORMATS, LABEL_KEY, NAME, REVISION_LABEL, SHA, LibraryItem, Model, RegistryImage,
                     RegistryRepository, regex)
from .fault import KINDS, ROUTES
from .invariant_names import INVARIANTS

Conclusion = Literal[RUN_CONCLUSIONS]
OUTAGE_KINDS = tuple(kind for kind in KINDS if kind != "drop")  # an outage lasts; a drop is one request
EVENT_KINDS = ("push", "publish", "e2e", "outage", "registry_fault", "dispatch", "together")


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
    kind: Literal[OUTAGE_KINDS] = "status"
    status: int = Field(500, ge=400, le=599)
    routes: list[Literal[ROUTES]] = ["workflow", "runs", "compare"]


class RegistryFaultEvent(Model):
    state: Literal["start", "end"] = "start"
    method: str = "PUT"
    path: str = Field(".*", description="Regex on the request path.")
    status: int = Field(500, ge=400, le=599)
    body: str | None = None
    times: int | None = Field(None, ge=1)
    host: str | None = Field(None, description="The registry host it hits (`index.docker.io`, "
                                               "`registry.example.com:5000`); default every host.")

    _path_is_a_regex = field_validator("path")(regex)


class OperatorDispatch(Model):
    sha: str = Field("", description="Commit name, 40-hex SHA, or empty (the input left blank).")


class Interleave(Model):
    orders: Literal["search", "sample", "all"] = Field(
        "search", description="`search`: one order per class of equivalent orders (steps of different runs "
                              "that touch no tag or content in common commute), learnt from the orders played; "
                              "`sample`: a seeded sample of orders; `all`: every order.")
    limit: int = Field(24, ge=2, le=200, description="How many orders at most (the two serial ones included).")
    seed: int = Field(1, description="Seeds the sample (for `search`, only when a shape has too many orders "
                                     "to look at each).")


class TimelineEvent(Model):
    note: str | None = Field(None, description="Shown next to the event in the timeline.")
    push: PushEvent | None = None
    publish: PublishEvent | None = None
    e2e: E2EEvent | None = None
    outage: OutageEvent | None = None
    registry_fault: RegistryFaultEvent | None = None
    dispatch: OperatorDispatch | None = None
    together: list["TimelineEvent"] | None = Field(
        None, min_length=2, max_length=26,
        description="Events whose workflow runs overlap: they arrive in this order while the runs already "
                    "queued still run, and GitHub's concurrency queue decides which run, wait or are cancelled.")
    interleave: Interleave = Interleave()

    @model_validator(mode="after")
    def _exactly_one(self):
        if len([kind for kind in EVENT_KINDS if getattr(self, kind) is not None]) != 1:
            raise ValueError(f"exactly one of {', '.join(EVENT_KINDS)}")
        return self


class TimelineExpect(Model):
    invariants: dict[Literal[INVARIANTS], Literal["hold", "broken"]] = Field(default_factory=dict)
    latest: dict[RegistryRepository, str] = Field(default_factory=dict,
                                                  description="repository → commit name :latest ends on.")
    summaries_exclude: list[str] = Field(default_factory=list, description="Text no step summary may contain.")
    summaries_include: list[str] = Field(default_factory=list, description="Text some step summary must contain.")


class Edit(Model):
    find: str
    replace: str


class Variant(Model):
    name: str = Field(pattern=NAME)
    description: str = ""
    config: dict[str, Any] = Field(default_factory=dict, description="Config overrides, dotted keys.")
    history: list[Literal[tuple(BUGS)]] = Field(
        default_factory=list, description="Bugs of the seed's past to render on purpose (generator/history.py): "
                                          "the workflow without the fix, for any config.")
    edits: list[Edit] = Field(default_factory=list, description="Text edits on the workflow under test.")
    expect: TimelineExpect = TimelineExpect()


class Publisher(Model):
    workflow: str = "publish-workspace-server-image"
    file: str = "publish-workspace-server-image.yml"
    images: list[RegistryRepository] = ["molecule-ai/platform", "molecule-ai/platform-tenant"]
    candidate: str = "staging-{short}"
    format: Literal[IMAGE_FORMATS] = "oci"
    label_key: str = Field(REVISION_LABEL, pattern=LABEL_KEY,
                           description="The config label its images carry the revision under (`tags.revision_label`).")


class E2EWorkflow(Model):
    workflow: str = "E2E Staging SaaS (full lifecycle)"
    file: str = "e2e-staging-saas.yml"


class Timeline(LibraryItem):
    publisher: Publisher = Publisher()
    e2e: E2EWorkflow = E2EWorkflow()
    registry: dict[RegistryRepository, list[RegistryImage]] = Field(default_factory=dict)
    events: list[TimelineEvent] = Field(min_length=1)
    assumes: dict[str, Any] = Field(
        default_factory=dict, description="Config settings (dotted keys) the as-is expectations assume. Where the "
        "config differs, the as-is run and every variant are rendered from the config with these settings.")
    assumes_render: bool = Field(
        False, description="The as-is expectations hold for the workflow the generator renders (a fix it always "
        "renders, not a setting): a workflow under test that differs from the config's render (the hand-written "
        "seed) is replaced by the render for the as-is run, and the trace says so.")
    expect: TimelineExpect = TimelineExpect()
    variants: list[Variant] = Field(default_factory=list)


TimelineEvent.model_rebuild()


class TimelineSuite(Model):
    shared: Any = None
    timelines: list[Timeline] = Field(min_length=1)


def references(t: Timeline) -> list[tuple[tuple, str, object]]:
    """Commit names used before they are pushed, or never declared; a SHA two commits share."""
    known = [c.name for c in t.repository.commits]
    shas = {c.sha: c.name for c in t.repository.commits}
    problems = []
    for i, commit in enumerate(t.repository.commits):
        if shas[commit.sha] != commit.name:
            problems.append((("repository", "commits", i, "sha"),
                             f"a SHA no other commit has ({shas[commit.sha]} has it)", commit.sha))
        if known.index(commit.name) != i:
            problems.append((("repository", "commits", i, "name"), "a unique commit name", commit.name))

    def check(loc, name, allow_empty=False):
        if (allow_empty and name == "") or name in known or SHA.match(name):
            return
        problems.append((loc, f"a commit pushed earlier ({', '.join(known)}) or a 40-hex SHA", name))

    def walk(events: list[TimelineEvent], base: tuple):
        for i, event in enumerate(events):
            loc = base + (i,)
            if event.push:
                push = event.push
                for j, parent in enumerate(push.parents or []):
                    if parent not in known and parent not in shas:
                        what = "the commit itself" if parent in (push.commit, push.sha) else "no commit"
                        problems.append((loc + ("push", "parents", j), f"a commit pushed earlier ({', '.join(known)}); "
                                         f"this names {what}", parent))
                if push.commit in known:
                    problems.append((loc + ("push", "commit"), "a new commit name", push.commit))
                if push.sha in shas:
                    problems.append((loc + ("push", "sha"), f"a SHA no other commit has ({shas[push.sha]} has it)",
                                     push.sha))
                known.append(push.commit)
                shas.setdefault(push.sha, push.commit)
            for kind in ("publish", "e2e"):
                if getattr(event, kind):
                    check(loc + (kind, "commit"), getattr(event, kind).commit)
            if event.dispatch:
                check(loc + ("dispatch", "sha"), event.dispatch.sha, allow_empty=True)
            if event.together:
                walk(event.together, loc + ("together",))

    walk(t.events, ("events",))
    return problems
