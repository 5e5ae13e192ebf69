"""The API world the harness sets with `PUT /world`, and the agent's shared state."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from .faults import FaultSet
from .history import CommitGraph
from .requestlog import RequestLog

_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
DEFAULT_ACTOR = "octocat"


@dataclass
class ApiWorld:
    token: str = ""
    repository: str = ""
    workflows: list[dict] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)
    graph: CommitGraph = field(default_factory=lambda: CommitGraph({}))
    faults: FaultSet = field(default_factory=lambda: FaultSet([]))
    actor: str = DEFAULT_ACTOR
    private: bool = False
    token_permissions: dict | None = None  # the job's `permissions:`; None: the token may do anything
    registries: dict = field(default_factory=dict)  # host → {"auth": kind, "accounts": [...]}

    def workflow(self, selector: str) -> dict | None:
        """By numeric id, or by file name (the basename of `path`)."""
        for wf in self.workflows:
            if selector == str(wf["id"]) or selector == wf["path"].rsplit("/", 1)[-1]:
                return wf
        return None

    def workflow_by_id(self, workflow_id: int) -> dict | None:
        return next((wf for wf in self.workflows if wf["id"] == workflow_id), None)


def _require(obj: dict, key: str, kind, where: str):
    value = obj.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"{where}: {key} is missing or not a {getattr(kind, '__name__', kind)}")
    return value


def _workflow(raw: dict, i: int) -> dict:
    where = f"workflows[{i}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object")
    wf = dict(raw)
    _require(wf, "id", int, where)
    _require(wf, "name", str, where)
    _require(wf, "path", str, where)
    wf.setdefault("state", "active")
    return wf


def _run(raw: dict, i: int) -> dict:
    where = f"runs[{i}]"
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object")
    run = dict(raw)
    for key, kind in (("id", int), ("workflow_id", int), ("head_sha", str), ("created_at", str)):
        _require(run, key, kind, where)
    run.setdefault("status", "completed")
    run.setdefault("conclusion", None)
    run.setdefault("head_branch", "main")
    run.setdefault("event", "push")
    run.setdefault("run_number", 1)
    return run


def _commits(raw) -> dict[str, list[str]]:
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise ValueError("commits must map each SHA to a list of parent SHAs")
    return raw


def parse_world(doc: dict) -> ApiWorld:
    if not isinstance(doc, dict):
        raise ValueError("the world must be a JSON object")
    repository = _require(doc, "repository", str, "world")
    if not _REPO.match(repository):
        raise ValueError(f"world: repository {repository!r} is not owner/name")
    workflows = [_workflow(w, i) for i, w in enumerate(doc.get("workflows") or [])]
    runs = [_run(r, i) for i, r in enumerate(doc.get("runs") or [])]
    refs = doc.get("branches") or {}
    return ApiWorld(token=_require(doc, "token", str, "world"), repository=repository, workflows=workflows,
                 runs=runs, graph=CommitGraph(_commits(doc.get("commits") or {}), refs),
                 faults=FaultSet.parse(doc.get("faults") or []), actor=str(doc.get("actor") or DEFAULT_ACTOR),
                 private=bool(doc.get("private", False)), token_permissions=_permissions(doc.get("token_permissions")),
                    registries=_registries(doc.get("registries")))


def _registries(raw) -> dict:
    out = {}
    for i, item in enumerate(raw or []):
        host = _require(item, "host", str, f"registries[{i}]")
        accounts = [{"username": str(a["username"]), "password": str(a["password"]), "push": bool(a.get("push", True))}
                    for a in item.get("accounts") or []]
        out[host] = {"auth": str(item.get("auth") or "basic"), "accounts": accounts}
    return out


def _permissions(raw) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(v in ("read", "write", "none") for v in raw.values()):
        raise ValueError("token_permissions must map scopes to read, write or none")
    return dict(raw)


class State:
    """What the three servers share. The world is swapped whole, so readers need no lock."""

    def __init__(self) -> None:
        self.world = ApiWorld()
        self.log = RequestLog()
        self._lock = threading.Lock()

    def set_world(self, world: ApiWorld, reset_log: bool = False) -> None:
        with self._lock:
            self.world = world
            if reset_log:
                self.log.reset()
