"""Typed events → webhook-shaped payloads and the `github` context, all from the scenario's world.

Shapes follow GitHub's webhook payloads (octokit/webhooks examples). `github.sha` and `github.ref`
come from the repository's default branch, never from the host's git.
"""
from __future__ import annotations

from dataclasses import dataclass

from .world import World

RUN_ID = 7000000001
SERVER = "https://github.com"


@dataclass(frozen=True)
class WorkflowRun:
    workflow: str
    action: str
    conclusion: str | None
    head_sha: str
    head_branch: str
    event: str = "push"
    run_id: int = 5500000001


@dataclass(frozen=True)
class Dispatch:
    inputs: dict
    ref: str


Event = WorkflowRun | Dispatch


def name_of(event: Event) -> str:
    return "workflow_run" if isinstance(event, WorkflowRun) else "workflow_dispatch"


def _repository(world: World) -> dict:
    owner, name = world.repository.split("/")
    return {"id": 610000001, "node_id": "R_kgDOpromote", "name": name, "full_name": world.repository,
            "private": True, "owner": {"login": owner, "id": 90000001, "type": "Organization"},
            "html_url": f"{SERVER}/{world.repository}", "url": f"https://api.github.com/repos/{world.repository}",
            "default_branch": world.default_branch}


def payload(event: Event, world: World, workflow_file: str = "auto-promote-on-e2e.yml") -> dict:
    repo = _repository(world)
    sender = {"login": world.actor, "id": 90000002, "type": "User"}
    if isinstance(event, Dispatch):
        return {"inputs": dict(event.inputs), "ref": f"refs/heads/{event.ref}", "repository": repo,
                "organization": repo["owner"], "sender": sender,
                "workflow": f".github/workflows/{workflow_file}"}
    wf = world.workflow(event.workflow)
    workflow_id = wf.id if wf else 4299
    path = f".github/workflows/{wf.file}" if wf else ".github/workflows/upstream.yml"
    run = {
        "id": event.run_id, "name": event.workflow, "node_id": "WFR_kwLOpromote", "head_branch": event.head_branch,
        "head_sha": event.head_sha, "path": path, "display_title": f"{event.workflow} on {event.head_sha[:7]}",
        "run_number": 42, "event": event.event, "status": "completed" if event.action == "completed" else event.action,
        "conclusion": event.conclusion if event.action == "completed" else None, "workflow_id": workflow_id,
        "url": f"https://api.github.com/repos/{world.repository}/actions/runs/{event.run_id}",
        "html_url": f"{SERVER}/{world.repository}/actions/runs/{event.run_id}",
        "created_at": "2026-05-05T02:00:00Z", "updated_at": "2026-05-05T02:10:00Z",
        "run_attempt": 1, "run_started_at": "2026-05-05T02:00:00Z",
        "head_commit": {"id": event.head_sha, "tree_id": event.head_sha[::-1], "message": "commit message",
                        "timestamp": "2026-05-05T01:59:00Z"},
        "repository": repo, "head_repository": repo,
    }
    return {"action": event.action, "workflow_run": run, "repository": repo, "organization": repo["owner"],
            "sender": sender, "workflow": {"id": workflow_id, "name": event.workflow, "path": path, "state": "active"}}


def github_context(event: Event, world: World, workflow_name: str, workflow_file: str, job_id: str,
                   workspace: str, event_path: str) -> dict:
    owner = world.repository.split("/")[0]
    branch = event.ref if isinstance(event, Dispatch) else world.default_branch
    return {
        "event_name": name_of(event), "event": payload(event, world, workflow_file), "event_path": event_path,
        "repository": world.repository, "repository_owner": owner, "repository_id": "610000001",
        "actor": world.actor, "actor_id": "90000002", "triggering_actor": world.actor,
        "sha": world.head, "ref": f"refs/heads/{branch}", "ref_name": branch, "ref_type": "branch",
        "ref_protected": True, "base_ref": "", "head_ref": "", "workflow": workflow_name,
        "workflow_ref": f"{world.repository}/.github/workflows/{workflow_file}@refs/heads/{branch}",
        "run_id": str(RUN_ID), "run_number": "1", "run_attempt": "1", "job": job_id,
        "server_url": SERVER, "api_url": "https://api.github.com", "graphql_url": "https://api.github.com/graphql",
        "token": world.token, "workspace": workspace, "action": "", "action_path": "",
        "retention_days": "90", "secret_source": "Actions",
    }


def env_for(github: dict, runner_temp: str, home: str) -> dict[str, str]:
    """The variables GitHub's runner sets for every step."""
    workspace = github["workspace"]
    return {
        "CI": "true", "GITHUB_ACTIONS": "true", "HOME": home,
        "GITHUB_WORKFLOW": github["workflow"], "GITHUB_WORKFLOW_REF": github["workflow_ref"],
        "GITHUB_RUN_ID": github["run_id"], "GITHUB_RUN_NUMBER": github["run_number"],
        "GITHUB_RUN_ATTEMPT": github["run_attempt"], "GITHUB_JOB": github["job"],
        "GITHUB_ACTOR": github["actor"], "GITHUB_ACTOR_ID": github["actor_id"],
        "GITHUB_TRIGGERING_ACTOR": github["triggering_actor"], "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_REPOSITORY_OWNER": github["repository_owner"], "GITHUB_REPOSITORY_ID": github["repository_id"],
        "GITHUB_EVENT_NAME": github["event_name"], "GITHUB_EVENT_PATH": github["event_path"],
        "GITHUB_WORKSPACE": workspace, "GITHUB_SHA": github["sha"], "GITHUB_REF": github["ref"],
        "GITHUB_REF_NAME": github["ref_name"], "GITHUB_REF_TYPE": github["ref_type"],
        "GITHUB_REF_PROTECTED": "true", "GITHUB_BASE_REF": "", "GITHUB_HEAD_REF": "",
        "GITHUB_SERVER_URL": github["server_url"], "GITHUB_API_URL": github["api_url"],
        "GITHUB_GRAPHQL_URL": github["graphql_url"], "GITHUB_RETENTION_DAYS": "90",
        "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_NAME": "GitHub Actions 1",
        "RUNNER_ENVIRONMENT": "github-hosted", "RUNNER_TEMP": runner_temp,
        "RUNNER_TOOL_CACHE": "/opt/hostedtoolcache", "RUNNER_WORKSPACE": workspace.rsplit("/", 1)[0],
    }
