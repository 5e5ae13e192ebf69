"""The workflow model: a workflow file parsed into the parts the runner needs, with file:line:col errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from generator.loader import InputError, read_yaml, where

from . import validate

SCOPES = ("actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token", "issues",
          "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses")
SHELLS = {
    None: "bash -e {0}",
    "bash": "bash --noprofile --norc -eo pipefail {0}",
    "sh": "sh -e {0}",
}


@dataclass(frozen=True)
class Step:
    index: int
    name: str | None
    id: str | None
    if_: Any
    uses: str | None
    with_: dict
    env: dict
    run: str | None
    shell: str | None
    continue_on_error: Any
    timeout_minutes: Any
    working_directory: str | None = None
    where: str = ""  # file:line:col of the step, for errors found later

    @property
    def title(self) -> str:
        """What GitHub shows for the step."""
        if self.name:
            return self.name
        if self.uses:
            return f"Run {self.uses.split('@')[0]}"
        first = (self.run or "").strip().splitlines()
        return f"Run {first[0]}" if first else f"step {self.index}"


@dataclass(frozen=True)
class Job:
    id: str
    name: str | None
    if_: Any
    needs: tuple[str, ...]
    env: dict
    shell: str | None  # defaults.run.shell: the job's, else the workflow's (may hold `${{ }}`)
    steps: tuple[Step, ...]
    permissions: Any = None
    outputs: dict = field(default_factory=dict)  # name → `${{ }}` template, evaluated when the job ends
    runs_on: str = "ubuntu-latest"
    working_directory: str | None = None  # defaults.run.working-directory: the job's, else the workflow's
    timeout_minutes: Any = None


@dataclass(frozen=True)
class Workflow:
    path: str
    name: str | None
    on: dict
    env: dict
    concurrency: Any
    jobs: tuple[Job, ...]
    shell: str | None = None
    permissions: Any = None

    def token_permissions(self, job: "Job") -> dict | None:
        """The GITHUB_TOKEN's scopes for `job`, or None when neither level sets `permissions:`."""
        value = job.permissions if job.permissions is not None else self.permissions
        if value is None:
            return None
        if value in ("read-all", "write-all"):
            level = value.split("-")[0]
            return {scope: level for scope in SCOPES}
        return {str(k): str(v) for k, v in dict(value).items()}


def load(path: Path) -> Workflow:
    doc = read_yaml(path)
    return parse(doc, str(path))


def parse(doc: Any, path: str) -> Workflow:
    jobs_node = doc.get("jobs") if isinstance(doc, dict) else None
    where = _Where(path, [str(j) for j in jobs_node] if isinstance(jobs_node, dict) else [])
    top = where.mapping(doc, (), "a workflow mapping with `on` and `jobs`")
    validate.check(top, path)
    on = _triggers(where, top)
    jobs_node = where.mapping(top.get("jobs"), ("jobs",), "a mapping of job ids to jobs", parent=top)
    defaults = _default_run(top)
    jobs = tuple(_job(where, job_id, node, defaults) for job_id, node in jobs_node.items())
    return Workflow(path=path, name=top.get("name"), on=on, env=_strings(where, top, "env", ()),
                    concurrency=top.get("concurrency"), jobs=jobs, shell=defaults.get("shell"),
                    permissions=top.get("permissions"))


def _triggers(where: "_Where", top: CommentedMap) -> dict:
    if "on" not in top:
        where.fail(top, (), "an `on:` key naming the events that trigger the workflow")
    on = top["on"]
    if isinstance(on, str):
        return {on: {}}
    if isinstance(on, list):
        return {str(event): {} for event in on}
    if isinstance(on, dict):
        return {str(k): (v if v is not None else {}) for k, v in on.items()}
    where.fail(top, ("on",), "an event name, a list of them, or a mapping")


def _default_run(node: Any) -> dict:
    """`defaults.run` (shell, working-directory); validate has checked its shape."""
    defaults = node.get("defaults") if isinstance(node, dict) else None
    run = defaults.get("run") if isinstance(defaults, dict) else None
    return dict(run) if isinstance(run, dict) else {}


def _job(where: "_Where", job_id: str, node: Any, workflow_defaults: dict) -> Job:
    loc = ("jobs", job_id)
    job = where.mapping(node, loc, "a job mapping with `runs-on` and `steps`")
    for unsupported in ("strategy", "container", "services", "uses"):
        if unsupported in job:
            where.fail(job, loc + (unsupported,), f"a job without `{unsupported}` (the harness does not run it)")
    steps_node = job.get("steps")
    if not isinstance(steps_node, list):
        where.fail(job, loc + ("steps",), "a list of steps")
    needs = job.get("needs") or ()
    needs = (needs,) if isinstance(needs, str) else tuple(needs)
    steps = tuple(_step(where, loc + ("steps", i), s, i + 1) for i, s in enumerate(steps_node))
    defaults = {**workflow_defaults, **_default_run(job)}
    runs_on = job.get("runs-on")
    return Job(id=str(job_id), name=job.get("name"), if_=job.get("if"), needs=_real_ids(needs, where.job_ids),
               env=_strings(where, job, "env", loc), shell=defaults.get("shell"),
               steps=steps, permissions=job.get("permissions"), outputs=dict(job.get("outputs") or {}),
               runs_on=str(runs_on[0] if isinstance(runs_on, list) else runs_on or "ubuntu-latest"),
               working_directory=defaults.get("working-directory"), timeout_minutes=job.get("timeout-minutes"))


def _real_ids(needs: tuple, job_ids: list[str]) -> tuple[str, ...]:
    """Job ids are case-insensitive in `needs`; the model holds each as the job spells it."""
    by_lower = {j.lower(): j for j in job_ids}
    return tuple(by_lower.get(str(n).lower(), str(n)) for n in needs)


def _step(where: "_Where", loc: tuple, node: Any, index: int) -> Step:
    step = where.mapping(node, loc, "a step mapping with `run` or `uses`")
    if ("run" in step) == ("uses" in step):
        where.fail(step, loc, "exactly one of `run` and `uses`")
    if "run" in step and not isinstance(step["run"], str):
        where.fail(step, loc + ("run",), "a string script")
    with_ = step.get("with") or {}
    return Step(index=index, name=step.get("name"), id=step.get("id"), if_=step.get("if"),
                uses=step.get("uses"), with_=dict(with_), env=_strings(where, step, "env", loc),
                run=step.get("run"), shell=step.get("shell"),
                continue_on_error=step.get("continue-on-error", False),
                timeout_minutes=step.get("timeout-minutes"), working_directory=step.get("working-directory"),
                where=where.at(node))


def _strings(where: "_Where", node: dict, key: str, loc: tuple) -> dict:
    value = node.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        where.fail(node, loc + (key,), "a mapping of names to values")
    return {str(k): v for k, v in value.items()}


class _Where:
    """Turns a structural problem into `file:line:col: path: expected (got …)`."""

    def __init__(self, path: str, job_ids: list[str] = ()):
        self.path = path
        self.job_ids = list(job_ids)

    def at(self, node: Any) -> str:
        return where(self.path, *_position(node, ()))

    def mapping(self, node: Any, loc: tuple, expected: str, parent: Any = None) -> dict:
        if not isinstance(node, dict):
            self.fail(parent if parent is not None else node, loc, expected, got=node)
        return node

    def fail(self, node: Any, loc: tuple, expected: str, got: Any = "") -> None:
        line, col = _position(node, loc[-1:] if loc else ())
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        shown = "" if got == "" else f" (got {type(got).__name__ if got is not None else 'nothing'})"
        raise InputError(f"{self.path}:{line}:{col}: {dotted}: {expected}{shown}")


def _position(node: Any, last: tuple) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1, 1
    if last and isinstance(node, CommentedMap) and last[0] in node:
        line, col = lc.key(last[0])
        return line + 1, col + 1
    return lc.line + 1, lc.col + 1
