"""Scenario files: a described world, one event, and what must happen. Validated like the config."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from generator.vocabulary import JOB_CONCLUSIONS, RUN_ACTIONS, RUN_CONCLUSIONS, RUN_STATUSES, STEP_OUTCOMES

from .common import SHA, LibraryItem, Model, RegistryHost, RegistryImage, RegistryRepository
from .fault import Fault


class Run(Model):
    commit: str = Field(description="Commit name (or 40-hex SHA) the run built.")
    status: Literal[RUN_STATUSES] = "completed"
    conclusion: Literal[RUN_CONCLUSIONS] | None = None
    branch: str | None = None
    event: str = "push"

    @model_validator(mode="after")
    def _conclusion_matches_status(self):
        if self.status == "completed" and self.conclusion is None:
            raise ValueError("a completed run needs a conclusion")
        return self


class UpstreamWorkflowSpec(Model):
    file: str = Field(pattern=r"^[A-Za-z0-9._-]+\.ya?ml$")
    name: str
    state: Literal["active", "disabled_manually", "disabled_inactivity"] = "active"
    runs: list[Run] = Field(default_factory=list, description="Oldest first; the API lists newest first.")


class DispatchEvent(Model):
    inputs: dict[str, str] = Field(default_factory=dict)
    ref: str | None = Field(None, description="Branch the dispatch runs on; default: the default branch.")


class WorkflowRunEvent(Model):
    workflow: str = Field(description="The upstream workflow's name.")
    action: Literal[RUN_ACTIONS] = "completed"
    conclusion: Literal[RUN_CONCLUSIONS] | None = "success"
    commit: str = Field(description="Commit name (or SHA) the upstream run built.")
    branch: str | None = None
    event: str = "push"


class ScenarioEvent(Model):
    workflow_run: WorkflowRunEvent | None = None
    workflow_dispatch: DispatchEvent | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.workflow_run is None) == (self.workflow_dispatch is None):
            raise ValueError("exactly one of workflow_run and workflow_dispatch")
        return self


class StepExpect(Model):
    ran: bool | None = None
    outcome: Literal[STEP_OUTCOMES] | None = None
    exit: int | None = None
    outputs: dict[str, str] | None = None


class JobExpect(Model):
    ran: bool | None = None
    conclusion: Literal[JOB_CONCLUSIONS] | None = Field(None, description="`needs.<id>.result`: success, "
                                                        "failure, cancelled or skipped.")
    outputs: dict[str, str] | None = Field(None, description="Exactly these job outputs.")
    steps: dict[str, StepExpect] = Field(default_factory=dict, description="This job's steps, by id, name, "
                                                                            "or name prefix.")


class ScenarioExpect(Model):
    triggered: bool | None = None
    job: Literal["ran", "skipped"] | None = Field(None, description="With one job, that job; with several, "
                                                  "`ran` when any job ran.")
    conclusion: Literal[JOB_CONCLUSIONS] | None = Field(None, description="With one job, its conclusion; with "
                                                        "several, the run's (failure when a job failed, skipped "
                                                        "when all were, else success).")
    jobs: dict[str, JobExpect] = Field(default_factory=dict, description="By job id.")
    steps: dict[str, StepExpect] = Field(default_factory=dict, description="By step id, name, or name prefix, "
                                                                            "in any job.")
    annotations: list[str] | None = Field(None, description="Exactly these, as `level: message`.")
    summary_contains: list[str] = Field(default_factory=list)
    registry: dict[RegistryRepository, dict[str, str]] = Field(
        default_factory=dict,
        description="repository → tag → what it must point at after the run: another tag's digest before "
        "the run (`staging-abc1234`), `unchanged`, or `absent`.")
    requests: list[str] | None = Field(None, description="Exactly these API requests, as `METHOD /path?query`.")
    from_config: bool = Field(False, description="Also derive expectations from the config's gate table and "
                                                "ancestry policy.")


class RegistryAccountSpec(Model):
    username: str = Field(min_length=1)
    password: str = Field(min_length=1)
    push: bool = Field(True, description="The token service grants push (token auth); false: pull only.")


class RegistryHostSpec(Model):
    auth: Literal["ghcr", "docker-hub", "basic", "token"] | None = Field(
        None, description="How the pod plays the host: ghcr.io's Basic-then-Bearer with the job token, Docker "
        "Hub's Bearer from auth.docker.io, distribution's htpasswd Basic, or its token auth. Default: by host "
        "(ghcr.io, index.docker.io, else basic).")
    accounts: list[RegistryAccountSpec] | None = Field(
        None, description="Who may log in; default: the account each config login's secrets open.")


# What a scenario is meant to show: the outcome the run must have, and the config's tables must predict.
INTENTS = ("promote", "defer", "abort", "refuse", "skip", "not-triggered")


class Scenario(LibraryItem):
    intent: Literal[INTENTS] | None = Field(
        None, description="What the scenario is meant to show: `promote` (the target tag moves), `defer` (the gate "
        "stops green), `abort` (the run stops red: gate, verify or retag), `refuse` (the ancestry check refuses), "
        "`skip` (the job's `if` skips it), `not-triggered`. The run must match it, and so must the config's "
        "prediction; a scenario without one fails.")
    event: ScenarioEvent
    workflows: list[UpstreamWorkflowSpec] = Field(default_factory=list)
    faults: list[Fault] = Field(default_factory=list)
    registry: dict[RegistryRepository, list[RegistryImage]] = Field(
        default_factory=dict, description="repository → images; `host/owner/name` for a host other than ghcr.io.")
    registry_hosts: dict[RegistryHost, RegistryHostSpec] = Field(
        default_factory=dict, description="host → how the pod plays it, over the defaults from the config.")
    expect: ScenarioExpect = ScenarioExpect()


class ScenarioSuite(Model):
    """Several scenarios in one file; `shared` is a place for YAML anchors they merge in."""

    shared: Any = None
    scenarios: list[Scenario] = Field(min_length=1)


def references(s: Scenario) -> list[tuple[tuple, str, object]]:
    """Commit names that do not exist, and other cross-field problems, with their locations."""
    names = [c.name for c in s.repository.commits]
    problems = []
    for i, commit in enumerate(s.repository.commits):
        if names.index(commit.name) != i:
            problems.append((("repository", "commits", i, "name"), "a unique commit name", commit.name))
        shas = [c.sha for c in s.repository.commits]
        if shas.index(commit.sha) != i:
            problems.append((("repository", "commits", i, "sha"),
                             f"a SHA no other commit has ({s.repository.commits[shas.index(commit.sha)].name} has it)",
                             commit.sha))
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
