"""The world a run meets: the commit graph, the upstream workflows and their runs, the registry's
contents and the faults. Names are resolved to SHAs; the pod serves what `api_state` returns, and a
timeline changes one World across many runs."""
from __future__ import annotations

from dataclasses import dataclass, field

from harness.library.common import SHA
from harness.library.fault import Fault
from harness.podagent.history import CommitGraph, NoCommonAncestor, UnknownCommit
from harness.workflow.events import WorkflowRun

from . import oci
from .registries import GHCR, HostPlay

RUN_ID_BASE = 9000
BASE_TIME = (2026, 5, 5, 2, 0)


@dataclass
class UpstreamRun:
    """A run of another workflow (E2E, publish), as the Actions API lists it."""

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
class UpstreamWorkflow:
    id: int
    file: str
    name: str
    state: str = "active"
    runs: list[UpstreamRun] = field(default_factory=list)


@dataclass
class ImageRecord:
    tags: list[str]
    revision: str | None
    format: str
    label_key: str = oci.REVISION_LABEL


@dataclass
class World:
    repository: str
    default_branch: str
    commits: dict[str, list[str]]  # sha → parent shas, oldest first
    names: dict[str, str]  # name → sha
    head: str
    actor: str
    token: str
    workflows: list[UpstreamWorkflow] = field(default_factory=list)
    registry: dict[str, list[ImageRecord]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    private: bool = False
    secrets: dict[str, str] = field(default_factory=dict)  # `secrets:` of the scenario or timeline
    registry_hosts: dict[str, HostPlay] = field(default_factory=lambda: {GHCR: HostPlay(GHCR, "ghcr")})

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

    # upstream workflows ------------------------------------------------------------------------

    def workflow(self, name_or_file: str) -> UpstreamWorkflow | None:
        return next((w for w in self.workflows if name_or_file in (w.name, w.file)), None)

    def add_run(self, workflow: UpstreamWorkflow, sha: str, status: str, conclusion: str | None,
                branch: str | None = None, event: str = "push") -> UpstreamRun:
        run_id = RUN_ID_BASE + 1 + sum(len(w.runs) for w in self.workflows)
        run = UpstreamRun(run_id, workflow.id, sha, branch or self.default_branch, status, conclusion, event)
        workflow.runs.append(run)
        return run

    def newest_run(self, file: str, sha: str) -> UpstreamRun | None:
        workflow = self.workflow(file)
        runs = [r for r in (workflow.runs if workflow else []) if r.head_sha == sha]
        return max(runs, key=lambda r: r.id) if runs else None

    def run_event(self, workflow: str, action: str, conclusion: str | None, sha: str,
                  branch: str | None = None, event: str = "push") -> WorkflowRun:
        """The `workflow_run` event of an upstream workflow, carrying its id and file when the world knows it."""
        known = self.workflow(workflow)
        where = {"workflow_id": known.id, "workflow_path": f".github/workflows/{known.file}"} if known else {}
        return WorkflowRun(workflow, action, conclusion, sha, branch or self.default_branch, event, **where)

    # history -------------------------------------------------------------------------------------

    def is_ancestor(self, older: str, newer: str) -> bool:
        """True when `older` is a proper ancestor of `newer`."""
        try:
            return older != newer and older in CommitGraph(self.commits).ancestors(newer)
        except UnknownCommit:
            return False

    def compare(self, base: str, head: str) -> str | None:
        """GitHub's compare status of `head` against `base`, or None where GitHub answers 404."""
        try:
            return CommitGraph(self.commits).compare(base, head).status
        except (UnknownCommit, NoCommonAncestor):
            return None

    def history(self) -> list[str]:
        """Commits reachable from the head of the default branch, newest first (first parents before merges)."""
        out, seen, queue = [], set(), [self.head]
        while queue:
            sha = queue.pop(0)
            if sha in seen or sha not in self.commits:
                continue
            seen.add(sha)
            out.append(sha)
            queue += self.commits[sha]
        return out

    # what the pod serves -------------------------------------------------------------------------

    def revision_tagged(self, repository: str, tag: str, label_key: str = oci.REVISION_LABEL) -> str | None:
        """The revision the image `tag` points at carries under `label_key`, as the scenario wrote it."""
        for image in self.registry.get(repository, []):
            if tag in image.tags:
                return image.revision if image.label_key == label_key else None
        return None

    def has_tag(self, repository: str, tag: str) -> bool:
        return any(tag in image.tags for image in self.registry.get(repository, []))

    def api_state(self, token_permissions: dict | None = None) -> dict:
        """What the API stub serves; `token_permissions` are the running job's `permissions:`."""
        runs = []
        for wf in self.workflows:
            runs += [r.api(wf.name, n + 1) for n, r in enumerate(wf.runs)]
        return {
            "token": self.token, "repository": self.repository,
            "workflows": [{"id": w.id, "name": w.name, "path": f".github/workflows/{w.file}", "state": w.state}
                          for w in self.workflows],
            "runs": runs, "commits": self.commits, "faults": [f.model_dump(exclude_none=True) for f in self.faults],
            "private": self.private, "token_permissions": token_permissions,
            "registries": [play.state() for _, play in sorted(self.registry_hosts.items())],
        }

    def registry_state(self) -> dict[str, dict[str, str]]:
        """repository → tag → digest, computed from the contents without the registry."""
        state: dict[str, dict[str, str]] = {}
        for repo, images in self.registry.items():
            for image in images:
                digest = oci.build(repo, image.revision, image.format, image.label_key).top_digest
                for tag in image.tags:
                    state.setdefault(repo, {})[tag] = digest
        return state

    def pushes(self) -> list[dict]:
        """Admin-API push requests that recreate the registry contents."""
        return [push_request(repo, image) for repo, images in self.registry.items() for image in images]


def push_request(repository: str, image: ImageRecord) -> dict:
    """The admin-API request that pushes `image` (children first) and points its tags at it."""
    built = oci.build(repository, image.revision, image.format, image.label_key)
    manifests = [{"reference": oci.digest(body), "media_type": media, "body": body}
                 for media, body in built.manifests[:-1]]
    top_media, top_body = built.top
    manifests += [{"reference": tag, "media_type": top_media, "body": top_body} for tag in image.tags]
    return {"repository": repository, "blobs": built.blobs, "manifests": manifests}
