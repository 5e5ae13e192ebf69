"""Scenario files: a described world, one event, and what must happen. Validated like the config."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator import loader

SHA = re.compile(r"^[0-9a-f]{40}$")
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Commit(Model):
    name: str = Field(pattern=NAME, description="How the rest of the file refers to this commit.")
    sha: str = Field(pattern=SHA.pattern)
    parents: list[str] | None = Field(None, description="Commit names; default: the commit listed before.")


class Repository(Model):
    name: str = Field("molecule-ai/molecule-core", pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    default_branch: str = "main"
    commits: list[Commit] = Field(min_length=1, description="The history, oldest first.")
    head: str | None = Field(None, description="Commit at the tip of the default branch; default: the last one.")
    private: bool = Field(False, description="A private repository: the API stub then enforces the job token's "
                                             "`permissions:` (actions: read for runs, contents: read for compare).")


class Run(Model):
    commit: str = Field(description="Commit name (or 40-hex SHA) the run built.")
    status: Literal["queued", "in_progress", "completed", "requested", "waiting", "pending"] = "completed"
    conclusion: Literal["success", "failure", "neutral", "cancelled", "skipped", "timed_out",
                        "action_required", "stale", "startup_failure"] | None = None
    branch: str | None = None
    event: str = "push"

    @model_validator(mode="after")
    def _conclusion_matches_status(self):
        if self.status == "completed" and self.conclusion is None:
            raise ValueError("a completed run needs a conclusion")
        return self


class WorkflowDef(Model):
    file: str = Field(pattern=r"^[A-Za-z0-9._-]+\.ya?ml$")
    name: str
    state: Literal["active", "disabled_manually", "disabled_inactivity"] = "active"
    runs: list[Run] = Field(default_factory=list, description="Oldest first; the API lists newest first.")


class Fault(Model):
    name: str | None = None
    service: Literal["api", "registry"] = "api"
    route: Literal["runs", "workflow", "workflows", "compare"] | None = None
    method: str | None = None
    path: str | None = Field(None, description="Regex on the request path.")
    kind: Literal["status", "non_json", "delay", "rate_limit", "drop"] = "status"
    status: int | None = Field(None, ge=100, le=599)
    body: str | None = None
    delay: float | None = Field(None, ge=0, le=120)
    times: int | None = Field(None, ge=1)


class Image(Model):
    tags: list[str] = Field(min_length=1)
    revision: str | None = Field(None, description="Commit name or SHA written as the revision label; none: no label.")
    label: str | None = Field(None, description="The revision label verbatim (e.g. an abbreviated SHA), instead of `revision`.")
    format: Literal["docker", "oci", "oci-index"] = "oci"

    @model_validator(mode="after")
    def _one_label(self):
        if self.revision is not None and self.label is not None:
            raise ValueError("at most one of revision and label")
        return self


class DispatchEvent(Model):
    inputs: dict[str, str] = Field(default_factory=dict)
    ref: str | None = Field(None, description="Branch the dispatch runs on; default: the default branch.")


class WorkflowRunEvent(Model):
    workflow: str = Field(description="The upstream workflow's name.")
    action: Literal["completed", "requested", "in_progress"] = "completed"
    conclusion: Literal["success", "failure", "neutral", "cancelled", "skipped", "timed_out",
                        "action_required", "stale", "startup_failure"] | None = "success"
    commit: str = Field(description="Commit name (or SHA) the upstream run built.")
    branch: str | None = None
    event: str = "push"


class Event(Model):
    workflow_run: WorkflowRunEvent | None = None
    workflow_dispatch: DispatchEvent | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.workflow_run is None) == (self.workflow_dispatch is None):
            raise ValueError("exactly one of workflow_run and workflow_dispatch")
        return self


class StepExpect(Model):
    ran: bool | None = None
    outcome: Literal["success", "failure", "skipped", "cancelled"] | None = None
    exit: int | None = None
    outputs: dict[str, str] | None = None


class Expect(Model):
    triggered: bool | None = None
    job: Literal["ran", "skipped"] | None = None
    conclusion: Literal["success", "failure", "skipped"] | None = None
    steps: dict[str, StepExpect] = Field(default_factory=dict, description="By step id, name, or name prefix.")
    annotations: list[str] | None = Field(None, description="Exactly these, as `level: message`.")
    summary_contains: list[str] = Field(default_factory=list)
    registry: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="repository → tag → what it must point at after the run: another tag's digest before "
        "the run (`staging-abc1234`), `unchanged`, or `absent`.")
    requests: list[str] | None = Field(None, description="Exactly these API requests, as `METHOD /path?query`.")
    from_config: bool = Field(False, description="Also derive expectations from the config's gate table and "
                                                "ancestry policy.")


class Scenario(Model):
    name: str | None = Field(None, pattern=NAME)
    description: str = ""
    tags: list[str] = Field(default_factory=list, description="Groups for `gen simulate --tag`.")
    repository: Repository
    actor: str = "octo-operator"
    token: str = "ghs_promoteGenHarnessToken0000000000000"
    event: Event
    workflows: list[WorkflowDef] = Field(default_factory=list)
    faults: list[Fault] = Field(default_factory=list)
    registry: dict[str, list[Image]] = Field(default_factory=dict, description="repository → images.")
    expect: Expect = Expect()


class Suite(Model):
    """Several scenarios in one file; `shared` is a place for YAML anchors they merge in."""

    shared: Any = None
    scenarios: list[Scenario] = Field(min_length=1)


def load(path: Path) -> list[Scenario]:
    """A file holds one scenario, or a suite under `scenarios:`."""
    is_suite = _looks_like_suite(path)
    model, positioned = loader.load_model(path, Suite if is_suite else Scenario)
    scenarios = model.scenarios if is_suite else [model]
    base = (lambda i: ("scenarios", i)) if is_suite else (lambda i: ())
    problems = [(base(i) + loc, expected, got) for i, sc in enumerate(scenarios) for loc, expected, got in references(sc)]
    if is_suite:
        problems += [(base(i), "a `name:` for each scenario in a suite", None)
                     for i, sc in enumerate(scenarios) if sc.name is None]
        names = [sc.name for sc in scenarios]
        problems += [(base(i) + ("name",), "a unique scenario name", n)
                     for i, n in enumerate(names) if n is not None and names.index(n) != i]
    loader.raise_first(path, positioned, problems)
    if not is_suite and model.name is None:
        scenarios = [model.model_copy(update={"name": path.stem})]
    return scenarios


def _looks_like_suite(path: Path) -> bool:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(loader.read_text(path))
    except YAMLError:
        return False  # the positioned loader reports the syntax error
    return isinstance(data, dict) and "scenarios" in data


def references(s: Scenario) -> list[tuple[tuple, str, object]]:
    """Commit names that do not exist, and other cross-field problems, with their locations."""
    names = [c.name for c in s.repository.commits]
    problems = []
    for i, commit in enumerate(s.repository.commits):
        if names.index(commit.name) != i:
            problems.append((("repository", "commits", i, "name"), "a unique commit name", commit.name))
        for j, parent in enumerate(commit.parents or []):
            if parent not in names[:i]:
                problems.append((("repository", "commits", i, "parents", j), "an earlier commit's name", parent))
    known = set(names) | {c.sha for c in s.repository.commits}

    def ref(loc, value, allow_unknown_sha=True):
        if value in known or (allow_unknown_sha and SHA.match(value or "")):
            return
        problems.append((loc, f"a commit name ({', '.join(names)}) or a 40-hex SHA", value))

    if s.repository.head:
        ref(("repository", "head"), s.repository.head, allow_unknown_sha=False)
    if s.event.workflow_run:
        ref(("event", "workflow_run", "commit"), s.event.workflow_run.commit)
    for i, wf in enumerate(s.workflows):
        for j, run in enumerate(wf.runs):
            ref(("workflows", i, "runs", j, "commit"), run.commit)
    for repo, images in s.registry.items():
        for i, image in enumerate(images):
            if image.revision:
                ref(("registry", repo, i, "revision"), image.revision)
    return problems
