"""Typed events and the webhook-shaped payloads GitHub delivers for them.

Shapes follow GitHub's webhook payloads (octokit/webhooks examples). Everything comes from the
event and the repository it happens in, never from the host's git.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

SERVER = "https://github.com"
API = "https://api.github.com"
UPSTREAM_ID = 4299  # an upstream workflow the scenario's API does not list
UPSTREAM_PATH = ".github/workflows/upstream.yml"


class Repository(Protocol):
    """What an event and the contexts need to know about the repository (the harness's World has it)."""

    repository: str  # owner/name
    default_branch: str
    head: str  # the default branch's tip: `github.sha`
    actor: str
    token: str
    secrets: dict  # the scenario's `secrets:` (GITHUB_TOKEN is always the token)


@dataclass(frozen=True)
class WorkflowRun:
    workflow: str
    action: str
    conclusion: str | None
    head_sha: str
    head_branch: str
    event: str = "push"
    run_id: int = 5500000001
    workflow_id: int = UPSTREAM_ID  # the upstream workflow's id and file, as the payload names them
    workflow_path: str = UPSTREAM_PATH


@dataclass(frozen=True)
class Dispatch:
    inputs: dict
    ref: str


Event = WorkflowRun | Dispatch


def name_of(event: Event) -> str:
    return "workflow_run" if isinstance(event, WorkflowRun) else "workflow_dispatch"


def repository_payload(repo: Repository) -> dict:
    owner, name = repo.repository.split("/")
    return {"id": 610000001, "node_id": "R_kgDOpromote", "name": name, "full_name": repo.repository,
            "private": True, "owner": {"login": owner, "id": 90000001, "type": "Organization"},
            "html_url": f"{SERVER}/{repo.repository}", "url": f"{API}/repos/{repo.repository}",
            "default_branch": repo.default_branch}


def payload(event: Event, repo: Repository, workflow_file: str) -> dict:
    repository = repository_payload(repo)
    sender = {"login": repo.actor, "id": 90000002, "type": "User"}
    if isinstance(event, Dispatch):
        return {"inputs": dict(event.inputs), "ref": f"refs/heads/{event.ref}", "repository": repository,
                "organization": repository["owner"], "sender": sender,
                "workflow": f".github/workflows/{workflow_file}"}
    workflow = {"id": event.workflow_id, "name": event.workflow, "path": event.workflow_path, "state": "active"}
    return {"action": event.action, "workflow_run": _run(event, repo, repository), "repository": repository,
            "organization": repository["owner"], "sender": sender, "workflow": workflow}


def _run(event: WorkflowRun, repo: Repository, repository: dict) -> dict:
    completed = event.action == "completed"
    return {
        "id": event.run_id, "name": event.workflow, "node_id": "WFR_kwLOpromote", "head_branch": event.head_branch,
        "head_sha": event.head_sha, "path": event.workflow_path,
        "display_title": f"{event.workflow} on {event.head_sha[:7]}",  # GitHub abbreviates to 7, whatever the config
        "run_number": 42, "event": event.event, "status": "completed" if completed else event.action,
        "conclusion": event.conclusion if completed else None, "workflow_id": event.workflow_id,
        "url": f"{API}/repos/{repo.repository}/actions/runs/{event.run_id}",
        "html_url": f"{SERVER}/{repo.repository}/actions/runs/{event.run_id}",
        "created_at": "2026-05-05T02:00:00Z", "updated_at": "2026-05-05T02:10:00Z",
        "run_attempt": 1, "run_started_at": "2026-05-05T02:00:00Z",
        "head_commit": {"id": event.head_sha, "tree_id": event.head_sha[::-1], "message": "commit message",
                        "timestamp": "2026-05-05T01:59:00Z"},
        "repository": repository, "head_repository": repository,
    }
