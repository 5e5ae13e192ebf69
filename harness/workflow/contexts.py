"""The expression environment, built in one place (as act builds it in pkg/runner/expression.go).

`Contexts` holds what `${{ }}` can read at one point of a run. `for_run` makes the workflow-level
one (what `concurrency`, `env` and the job's `if` see); the runner narrows it per step with
`dataclasses.replace`. The truth table, the plan and the runner all start from `for_run`, so an
expression reads the same values wherever it is evaluated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .events import API, SERVER, Dispatch, Event, Repository, name_of, payload
from .keys import RUNNER_LABELS

if TYPE_CHECKING:  # the model reads YAML (pydantic, ruamel); the pod's layout imports this module for HOME
    from .model import Workflow

RUN_ID = 7000000001
HOME = "/home/runner"
TEMP = f"{HOME}/work/_temp"
EVENT_PATH = f"{TEMP}/_github_workflow/event.json"
TOOL_CACHE = "/opt/hostedtoolcache"
RUNNER = {"os": "Linux", "arch": "X64", "name": "GitHub Actions 1", "temp": TEMP, "tool_cache": TOOL_CACHE,
          "environment": "github-hosted"}


@dataclass(frozen=True)
class Contexts:
    github: dict
    inputs: dict
    secrets: dict
    env: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)
    job: dict = field(default_factory=dict)
    runner: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)  # direct needs: id → {result, outputs}

    def mapping(self) -> dict:
        """Every context name the evaluator knows; the ones a run here never fills are empty."""
        return {"github": self.github, "env": self.env, "vars": {}, "secrets": self.secrets, "job": self.job,
                "steps": self.steps, "runner": self.runner, "strategy": {}, "matrix": {}, "needs": self.needs,
                "inputs": self.inputs}


def workspace(repo: Repository) -> str:
    """Where the runner checks out the repository: `/home/runner/work/<name>/<name>`."""
    name = repo.repository.split("/")[1]
    return f"{HOME}/work/{name}/{name}"


def for_run(workflow: Workflow, event: Event, repo: Repository, job_id: str = "") -> Contexts:
    workflow_file = Path(workflow.path).name
    github = github_context(event, repo, workflow.name or workflow_file, workflow_file, job_id)
    secrets = {**getattr(repo, "secrets", {}), "GITHUB_TOKEN": repo.token}
    return Contexts(github=github, inputs=typed_inputs(workflow, event), secrets=secrets)


def only(contexts: Contexts, *names: str) -> dict:
    """The mapping with just the contexts GitHub allows at one place (an unknown name is then an error)."""
    full = contexts.mapping()
    return {name: full[name] for name in names}


def github_context(event: Event, repo: Repository, workflow_name: str, workflow_file: str, job_id: str) -> dict:
    owner = repo.repository.split("/")[0]
    branch = event.ref if isinstance(event, Dispatch) else repo.default_branch
    return {
        "event_name": name_of(event), "event": payload(event, repo, workflow_file), "event_path": EVENT_PATH,
        "repository": repo.repository, "repository_owner": owner, "repository_id": "610000001",
        "actor": repo.actor, "actor_id": "90000002", "triggering_actor": repo.actor,
        "sha": repo.head, "ref": f"refs/heads/{branch}", "ref_name": branch, "ref_type": "branch",
        "ref_protected": True, "base_ref": "", "head_ref": "", "workflow": workflow_name,
        "workflow_ref": f"{repo.repository}/.github/workflows/{workflow_file}@refs/heads/{branch}",
        "run_id": str(RUN_ID), "run_number": "1", "run_attempt": "1", "job": job_id,
        "server_url": SERVER, "api_url": API, "graphql_url": f"{API}/graphql",
        "token": repo.token, "workspace": workspace(repo), "action": "", "action_path": "",
        "retention_days": "90", "secret_source": "Actions",
    }


def typed_inputs(workflow: Workflow, event: Event) -> dict:
    """`inputs`: a dispatch's values, typed and defaulted by the workflow's input definitions."""
    if not isinstance(event, Dispatch):
        return {}
    spec = (workflow.on.get("workflow_dispatch") or {}).get("inputs") or {}
    out = {}
    for name, definition in spec.items():
        definition = definition or {}
        raw = event.inputs.get(name, definition.get("default", ""))
        kind = definition.get("type", "string")
        out[name] = (str(raw).lower() == "true") if kind == "boolean" else (
            float(raw) if kind == "number" and str(raw) else str(raw))
    return out


def runner_env(github: dict, runs_on: str = "ubuntu-latest") -> dict[str, str]:
    """The variables a step sees on GitHub's hosted Ubuntu runner: the runner's own (actions/runner,
    "Default environment variables"), and the image's: ImageOS and RUNNER_TOOL_CACHE from its
    /etc/environment (actions/runner-images, images/ubuntu/scripts/build/configure-environment.sh,
    ImageOS from the template's image_os: ubuntu24, ubuntu22), SHELL the runner user's login shell."""
    workspace_dir = github["workspace"]
    return {
        "SHELL": "/bin/bash", "ImageOS": RUNNER_LABELS[runs_on],
        "CI": "true", "GITHUB_ACTIONS": "true", "HOME": HOME,
        "GITHUB_WORKFLOW": github["workflow"], "GITHUB_WORKFLOW_REF": github["workflow_ref"],
        "GITHUB_RUN_ID": github["run_id"], "GITHUB_RUN_NUMBER": github["run_number"],
        "GITHUB_RUN_ATTEMPT": github["run_attempt"], "GITHUB_JOB": github["job"],
        "GITHUB_ACTOR": github["actor"], "GITHUB_ACTOR_ID": github["actor_id"],
        "GITHUB_TRIGGERING_ACTOR": github["triggering_actor"], "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_REPOSITORY_OWNER": github["repository_owner"], "GITHUB_REPOSITORY_ID": github["repository_id"],
        "GITHUB_EVENT_NAME": github["event_name"], "GITHUB_EVENT_PATH": github["event_path"],
        "GITHUB_WORKSPACE": workspace_dir, "GITHUB_SHA": github["sha"], "GITHUB_REF": github["ref"],
        "GITHUB_REF_NAME": github["ref_name"], "GITHUB_REF_TYPE": github["ref_type"],
        "GITHUB_REF_PROTECTED": "true", "GITHUB_BASE_REF": "", "GITHUB_HEAD_REF": "",
        "GITHUB_SERVER_URL": github["server_url"], "GITHUB_API_URL": github["api_url"],
        "GITHUB_GRAPHQL_URL": github["graphql_url"], "GITHUB_RETENTION_DAYS": "90",
        "RUNNER_OS": RUNNER["os"], "RUNNER_ARCH": RUNNER["arch"], "RUNNER_NAME": RUNNER["name"],
        "RUNNER_ENVIRONMENT": RUNNER["environment"], "RUNNER_TEMP": TEMP,
        "RUNNER_TOOL_CACHE": TOOL_CACHE, "RUNNER_WORKSPACE": workspace_dir.rsplit("/", 1)[0],
    }
