"""The world a run meets: commit graph, workflow runs, registry contents, faults.

Scenario files describe it with commit names; this resolves names to SHAs and produces what the
pod serves. Timelines mutate one World across many runs.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from . import oci
from .scenario import SHA, Fault, Scenario

WORKFLOW_ID_BASE = 4242
RUN_ID_BASE = 9000
BASE_TIME = (2026, 5, 5, 2, 0)


@dataclass
class RunRecord:
    id: int
    workflow_id: int
    head_sha: str
    head_branch: str
    status: str
    conclusion: str | None
    event: str = "push"

    def api(self, workflow_name: str, run_number: int) -> dict:
        y, mo, d, h, mi = BASE_TIME
        minute = mi + (self.id - RUN_ID_BASE)
        stamp = f"{y:04d}-{mo:02d}-{d:02d}T{h + minute // 60:02d}:{minute % 60:02d}:00Z"
        return {"id": self.id, "workflow_id": self.workflow_id, "head_sha": self.head_sha,
                "head_branch": self.head_branch, "event": self.event, "status": self.status,
                "conclusion": self.conclusion, "run_number": run_number, "created_at": stamp,
                "name": workflow_name, "display_title": f"{workflow_name} on {self.head_sha[:7]}"}


@dataclass
class WorkflowRecord:
    id: int
    file: str
    name: str
    state: str = "active"
    runs: list[RunRecord] = field(default_factory=list)


@dataclass
class ImageRecord:
    tags: list[str]
    revision: str | None
    format: str


@dataclass
class World:
    repository: str
    default_branch: str
    commits: dict[str, list[str]]  # sha → parent shas, oldest first
    names: dict[str, str]  # name → sha
    head: str
    actor: str
    token: str
    workflows: list[WorkflowRecord] = field(default_factory=list)
    registry: dict[str, list[ImageRecord]] = field(default_factory=dict)
    faults: list[dict] = field(default_factory=list)
    private: bool = False

    def sha(self, ref: str) -> str:
        return self.names.get(ref, ref)

    def label(self, sha: str | None) -> str:
        """`name (abc1234)` for traces."""
        if not sha:
            return "-"
        for name, value in self.names.items():
            if value == sha:
                return f"{name} ({sha[:7]})"
        return sha[:7] if SHA.match(sha) else sha

    def workflow(self, name_or_file: str) -> WorkflowRecord | None:
        return next((w for w in self.workflows if name_or_file in (w.name, w.file)), None)

    def add_run(self, workflow: WorkflowRecord, sha: str, status: str, conclusion: str | None,
                branch: str | None = None, event: str = "push") -> RunRecord:
        run_id = RUN_ID_BASE + 1 + sum(len(w.runs) for w in self.workflows)
        run = RunRecord(run_id, workflow.id, sha, branch or self.default_branch, status, conclusion, event)
        workflow.runs.append(run)
        return run

    def api_state(self, token_permissions: dict | None = None) -> dict:
        """What the API stub serves; `token_permissions` are the running job's `permissions:`."""
        runs = []
        for wf in self.workflows:
            runs += [r.api(wf.name, n + 1) for n, r in enumerate(wf.runs)]
        return {
            "token": self.token, "repository": self.repository,
            "workflows": [{"id": w.id, "name": w.name, "path": f".github/workflows/{w.file}", "state": w.state}
                          for w in self.workflows],
            "runs": runs, "commits": self.commits, "faults": self.faults,
            "private": self.private, "token_permissions": token_permissions,
        }

    def pushes(self) -> list[dict]:
        """Admin-API push requests that recreate the registry contents."""
        return [push_request(repo, image) for repo, images in self.registry.items() for image in images]

    def copy(self) -> "World":
        return copy.deepcopy(self)


def push_request(repository: str, image: ImageRecord) -> dict:
    """The admin-API request that pushes `image` (children first) and points its tags at it."""
    built = oci.build(repository, image.revision, image.format)
    manifests = [{"reference": oci.digest(body), "media_type": media, "body": body}
                 for media, body in built.manifests[:-1]]
    top_media, top_body = built.top
    manifests += [{"reference": tag, "media_type": top_media, "body": top_body} for tag in image.tags]
    return {"repository": repository, "blobs": built.blobs, "manifests": manifests}


def base_world(repository, registry: dict, actor: str, token: str) -> World:
    """Commit graph, head and registry from a scenario's or timeline's `repository:` and `registry:`."""
    names = {c.name: c.sha for c in repository.commits}
    commits: dict[str, list[str]] = {}
    previous = None
    for c in repository.commits:
        commits[c.sha] = [names[p] for p in c.parents] if c.parents is not None else ([previous] if previous else [])
        previous = c.sha
    head = names.get(repository.head or "", repository.head) or repository.commits[-1].sha
    world = World(repository.name, repository.default_branch, commits, names, head, actor, token,
                  private=repository.private)
    for repo, images in registry.items():
        world.registry[repo] = [ImageRecord(list(im.tags), world.sha(im.revision) if im.revision else im.label,
                                            im.format) for im in images]
    return world


def from_scenario(s: Scenario) -> World:
    world = base_world(s.repository, s.registry, s.actor, s.token)
    for i, wf in enumerate(s.workflows):
        world.workflows.append(WorkflowRecord(WORKFLOW_ID_BASE + i, wf.file, wf.name, wf.state))
    for i, wf in enumerate(s.workflows):
        for run in wf.runs:
            world.add_run(world.workflows[i], world.sha(run.commit), run.status, run.conclusion, run.branch, run.event)
    world.faults = [fault_dict(f, i) for i, f in enumerate(s.faults)]
    return world


def fault_dict(fault: Fault, index: int) -> dict:
    out = {k: v for k, v in fault.model_dump().items() if v is not None}
    out.setdefault("name", f"{fault.service}-{fault.route or 'path'}-{fault.kind}-{index + 1}")
    return out
