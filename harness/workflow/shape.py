"""A workflow file's shape, checked the way GitHub checks it when the file is pushed: known keys,
the right kinds of values, job and step ids, `uses: owner/repo@ref`, and the syntax of every
`${{ }}` expression with the contexts its place allows. Each problem is one `file:line:col` line,
found before anything runs; the first in the file is the one reported.

Job-graph semantics (which job ids `needs:` may name, outputs) are the model's; this is the shape.
"""
from __future__ import annotations

import re
from typing import Any

from generator.loader import InputError, position, suggest, where

from .shape_text import Problems, condition, expressions_in, is_expression

ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
USES = re.compile(r"^(\./.+|docker://.+|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[^@\s]+)$")
LEVELS = ("read", "write", "none")
SCOPES = ("actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token", "issues",
          "models", "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses")
EVENTS = ("branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment",
          "deployment_status", "discussion", "discussion_comment", "fork", "gollum", "issue_comment", "issues",
          "label", "merge_group", "milestone", "page_build", "project", "project_card", "project_column", "public",
          "pull_request", "pull_request_review",
          "pull_request_review_comment", "pull_request_target", "push", "registry_package", "release",
          "repository_dispatch", "schedule", "status", "watch", "workflow_call", "workflow_dispatch",
          "workflow_run")
INPUT_TYPES = ("string", "boolean", "choice", "number", "environment")
TOP_KEYS = ("name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs")
JOB_KEYS = ("name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs", "env",
            "defaults", "steps", "timeout-minutes", "strategy", "continue-on-error", "container", "services",
            "uses", "with", "secrets")
STEP_KEYS = ("id", "if", "name", "uses", "run", "working-directory", "shell", "with", "env", "continue-on-error",
             "timeout-minutes")
INPUT_KEYS = ("description", "required", "default", "type", "options", "deprecationMessage")

# Which contexts each place may use (GitHub's "context availability" table).
_JOB_IF = ("github", "needs", "vars", "inputs")
_STEP = ("github", "needs", "strategy", "matrix", "job", "runner", "env", "vars", "secrets", "steps", "inputs")
_STEP_IF = tuple(c for c in _STEP if c != "secrets")
_JOB = ("github", "needs", "strategy", "matrix", "vars", "inputs")
_JOB_ENV = _JOB + ("secrets",)
_WORKFLOW_CONCURRENCY = ("github", "inputs", "vars")
_WORKFLOW_ENV = ("github", "secrets", "inputs", "vars")


def check(doc: Any, path: str, text: str | None = None) -> None:
    """Raise InputError for the first problem in the file's shape."""
    found = Problems(doc, path, text)
    if not isinstance(doc, dict):
        kind = "nothing" if doc is None else "a list" if isinstance(doc, list) else "text"
        raise InputError(f"{where(path, *position(doc, ()))}: (top level): a mapping expected (got {kind})")
    _keys(found, doc, (), TOP_KEYS)
    for key, need in (("on", "the events that trigger the workflow"), ("jobs", "the jobs to run")):
        if key not in doc:
            found.add_at((1, 1), (key,), f"a `{key}:` key with {need}", None)
    if "on" in doc:
        _triggers(found, doc["on"], ("on",))
    _permissions(found, doc, ())
    _env(found, doc, (), _WORKFLOW_ENV)
    _defaults(found, doc, ())
    _concurrency(found, doc, (), _WORKFLOW_CONCURRENCY)
    for key in ("name", "run-name"):
        if key in doc and isinstance(doc[key], (dict, list)):
            found.add((key,), "text", doc[key])
    expressions_in(found, doc, ("name",))
    expressions_in(found, doc, ("run-name",), ("github", "inputs", "vars"))
    jobs = doc.get("jobs")
    if "jobs" in doc:
        if not isinstance(jobs, dict) or not jobs:
            found.add(("jobs",), "a mapping of job ids to jobs, at least one", jobs)
        else:
            for job_id, job in jobs.items():
                _job(found, job, ("jobs", job_id))
    found.raise_first()


def _keys(found: Problems, node: dict, loc: tuple, known: tuple[str, ...]) -> None:
    for key in node:
        if key not in known:
            found.add(loc + (key,), f"one of the keys {', '.join(known)}{suggest(str(key), known)}", key, at_key=True)


def _triggers(found: Problems, on: Any, loc: tuple) -> None:
    if isinstance(on, str):
        events = {on: None}
    elif isinstance(on, list):
        events = {}
        for i, event in enumerate(on):
            if not isinstance(event, str):
                found.add(loc + (i,), "an event name", event)
            else:
                events[event] = None
    elif isinstance(on, dict):
        events = on
    else:
        found.add(loc, "an event name, a list of them, or a mapping of events", on)
        return
    for event, body in events.items():
        here = loc + (event,) if isinstance(on, dict) else loc
        if event not in EVENTS:
            found.add(here, f"a GitHub event{suggest(str(event), EVENTS)}", event, at_key=isinstance(on, dict))
        if body is not None and event != "schedule" and not isinstance(body, dict):
            found.add(here, f"a mapping of `{event}`'s settings", body)
    dispatch = events.get("workflow_dispatch")
    if isinstance(dispatch, dict) and "inputs" in dispatch:
        _dispatch_inputs(found, dispatch["inputs"], loc + ("workflow_dispatch", "inputs"))


def _dispatch_inputs(found: Problems, inputs: Any, loc: tuple) -> None:
    if inputs is None:
        return
    if not isinstance(inputs, dict):
        found.add(loc, "a mapping of input names to their settings (`sha: {type: string}`)", inputs)
        return
    for name, spec in inputs.items():
        here = loc + (name,)
        if not ID.match(str(name)):
            found.add(here, "an input name of letters, digits, `_` and `-`", name, at_key=True)
        if spec is None:
            continue
        if not isinstance(spec, dict):
            found.add(here, "a mapping (description, required, default, type, options)", spec)
            continue
        _keys(found, spec, here, INPUT_KEYS)
        if "type" in spec and spec["type"] not in INPUT_TYPES:
            found.add(here + ("type",), f"one of {', '.join(INPUT_TYPES)}{suggest(str(spec['type']), INPUT_TYPES)}",
                      spec["type"])
        if "required" in spec and not isinstance(spec["required"], bool):
            found.add(here + ("required",), "true or false", spec["required"])
        if spec.get("type") == "choice" and not (isinstance(spec.get("options"), list) and spec["options"]):
            found.add(here, "`options:`, a list of the choices (type: choice)", spec.get("options"), show=False)


def _permissions(found: Problems, node: dict, loc: tuple) -> None:
    if "permissions" not in node:
        return
    here = loc + ("permissions",)
    value = node["permissions"]
    if value in ("read-all", "write-all"):
        return
    if not isinstance(value, dict):
        found.add(here, "read-all, write-all, or a mapping of scopes to read, write or none", value)
        return
    for scope, level in value.items():
        if scope not in SCOPES:
            found.add(here + (scope,), f"a permission scope{suggest(str(scope), SCOPES)}", scope, at_key=True)
        elif level not in LEVELS or (scope == "id-token" and level == "read"):
            levels = "write or none" if scope == "id-token" else "read, write or none"
            found.add(here + (scope,), f"a level the {scope} scope takes: {levels}", level)


def _env(found: Problems, node: dict, loc: tuple, contexts: tuple[str, ...]) -> None:
    if "env" not in node:
        return
    here = loc + ("env",)
    env = node["env"]
    if isinstance(env, str) and is_expression(env):
        expressions_in(found, node, loc + ("env",), contexts)
        return
    if not isinstance(env, dict):
        found.add(here, "a mapping of variable names to values", env)
        return
    for name, value in env.items():
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(name)):
            found.add(here + (name,), "a variable name of letters, digits and `_`", name, at_key=True)
        if isinstance(value, (dict, list)):
            found.add(here + (name,), "a text, number or boolean value", value)
        else:
            expressions_in(found, env, here + (name,), contexts, node_loc=(name,))


def _defaults(found: Problems, node: dict, loc: tuple) -> None:
    if "defaults" not in node:
        return
    here = loc + ("defaults",)
    value = node["defaults"]
    run = value.get("run") if isinstance(value, dict) else None
    if not isinstance(value, dict) or set(value) - {"run"} or not isinstance(run, dict):
        found.add(here, "a mapping `run:` with shell and working-directory", value)
        return
    _keys(found, run, here + ("run",), ("shell", "working-directory"))
    _shell(found, run, here + ("run",))


SHELL_NAMES = ("bash", "sh", "pwsh", "powershell", "cmd", "python")


def _shell(found: Problems, node: dict, loc: tuple) -> None:
    shell = node.get("shell")
    if "shell" in node and not (isinstance(shell, str) and (shell in SHELL_NAMES or "{0}" in shell)):
        found.add(loc + ("shell",), f"a shell ({', '.join(SHELL_NAMES)}) or a command with {{0}} for the script"
                  f"{suggest(str(shell), SHELL_NAMES)}", shell)


def _concurrency(found: Problems, node: dict, loc: tuple, contexts: tuple[str, ...]) -> None:
    if "concurrency" not in node:
        return
    here = loc + ("concurrency",)
    value = node["concurrency"]
    if isinstance(value, str):
        expressions_in(found, node, here, contexts)
        return
    if not isinstance(value, dict):
        found.add(here, "a group name, or a mapping with `group:` and `cancel-in-progress:`", value)
        return
    _keys(found, value, here, ("group", "cancel-in-progress"))
    if not isinstance(value.get("group"), str) or not value["group"].strip():
        found.add(here + ("group",) if "group" in value else here, "a group name", value.get("group"))
    else:
        expressions_in(found, value, here + ("group",), contexts, node_loc=("group",))
    _flag(found, value, here, "cancel-in-progress", contexts)


def _flag(found: Problems, node: dict, loc: tuple, key: str, contexts: tuple[str, ...]) -> None:
    if key not in node:
        return
    value = node[key]
    if isinstance(value, str) and is_expression(value):
        expressions_in(found, node, loc + (key,), contexts, node_loc=(key,))
    elif not isinstance(value, bool):
        found.add(loc + (key,), "true, false, or a `${{ }}` expression", value)


def _minutes(found: Problems, node: dict, loc: tuple, contexts: tuple[str, ...]) -> None:
    if "timeout-minutes" not in node:
        return
    value = node["timeout-minutes"]
    here = loc + ("timeout-minutes",)
    if isinstance(value, str) and is_expression(value):
        expressions_in(found, node, here, contexts, node_loc=("timeout-minutes",))
    elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        found.add(here, "a number of minutes above 0, or a `${{ }}` expression", value)


def _job(found: Problems, job: Any, loc: tuple) -> None:
    job_id = loc[-1]
    if not isinstance(job_id, str) or not ID.match(job_id):
        found.add(loc, "a job id: a letter or `_`, then letters, digits, `_` and `-`", job_id, at_key=True)
    if not isinstance(job, dict):
        found.add(loc, "a job mapping with `runs-on` and `steps`", job)
        return
    _keys(found, job, loc, JOB_KEYS)
    if "uses" not in job:
        for key in ("runs-on", "steps"):
            if key not in job:
                found.add(loc, f"a `{key}:` key (a job that runs steps needs one)", None, at_key=True, show=False)
    needs = job.get("needs")
    if "needs" in job and not (isinstance(needs, str) or (isinstance(needs, list)
                                                          and all(isinstance(n, str) for n in needs))):
        found.add(loc + ("needs",), "a job id or a list of job ids", needs)
    if "name" in job and isinstance(job["name"], (dict, list)):
        found.add(loc + ("name",), "text", job["name"])
    expressions_in(found, job, loc + ("name",), _JOB)
    condition(found, job, loc + ("if",), _JOB_IF)
    _permissions(found, job, loc)
    _env(found, job, loc, _JOB_ENV)
    _defaults(found, job, loc)
    _concurrency(found, job, loc, _JOB)
    _minutes(found, job, loc, _JOB)
    _flag(found, job, loc, "continue-on-error", _JOB)
    runs_on = job.get("runs-on")
    if "runs-on" in job and not (isinstance(runs_on, (str, list, dict)) and runs_on):
        found.add(loc + ("runs-on",), "a runner label, a list of labels, or a group mapping", runs_on)
    elif isinstance(runs_on, str):
        expressions_in(found, job, loc + ("runs-on",), _JOB)
    outputs = job.get("outputs")
    if "outputs" in job:
        if not isinstance(outputs, dict):
            found.add(loc + ("outputs",), "a mapping of output names to values", outputs)
        else:
            for name, value in outputs.items():
                expressions_in(found, outputs, loc + ("outputs", name), _STEP, node_loc=(name,))
    steps = job.get("steps")
    if "steps" in job:
        if not isinstance(steps, list) or not steps:
            found.add(loc + ("steps",), "a list of steps, at least one", steps)
        else:
            ids = {}
            for i, step in enumerate(steps):
                _step(found, step, loc + ("steps", i), ids)


def _step(found: Problems, step: Any, loc: tuple, ids: dict) -> None:
    if not isinstance(step, dict):
        found.add(loc, "a step mapping with `run:` or `uses:`", step)
        return
    _keys(found, step, loc, STEP_KEYS)
    if ("run" in step) == ("uses" in step):
        found.add(loc, "exactly one of `run:` and `uses:`", sorted(k for k in ("run", "uses") if k in step) or None)
    step_id = step.get("id")
    if "id" in step:
        if not isinstance(step_id, str) or not ID.match(step_id):
            found.add(loc + ("id",), "a step id: a letter or `_`, then letters, digits, `_` and `-`", step_id)
        elif step_id in ids:
            found.add(loc + ("id",), f"a step id not used before in the job (steps[{ids[step_id]}] has it)", step_id)
        else:
            ids[step_id] = loc[-1]
    if "uses" in step:
        uses = step["uses"]
        if not isinstance(uses, str) or not USES.match(uses.strip()):
            found.add(loc + ("uses",), "an action as owner/repo@ref (or owner/repo/path@ref, ./path, docker://image)",
                      uses)
        with_ = step.get("with")
        if "with" in step and not isinstance(with_, dict):
            found.add(loc + ("with",), "a mapping of the action's input names to values", with_)
        elif isinstance(with_, dict):
            for name, value in with_.items():
                if isinstance(value, (dict, list)):
                    found.add(loc + ("with", name), "a text, number or boolean value", value)
                else:
                    expressions_in(found, with_, loc + ("with", name), _STEP, node_loc=(name,))
    elif "with" in step:
        found.add(loc + ("with",), "`with:` only on a step that `uses:` an action", step["with"], at_key=True,
                  show=False)
    if "run" in step:
        if not isinstance(step["run"], str):
            found.add(loc + ("run",), "a script (text)", step["run"])
        else:
            expressions_in(found, step, loc + ("run",), _STEP)
    for key in ("name", "working-directory"):
        if key in step and isinstance(step[key], (dict, list)):
            found.add(loc + (key,), "text", step[key])
        else:
            expressions_in(found, step, loc + (key,), _STEP)
    _shell(found, step, loc)
    condition(found, step, loc + ("if",), _STEP_IF)
    _env(found, step, loc, _STEP)
    _minutes(found, step, loc, _STEP)
    _flag(found, step, loc, "continue-on-error", _STEP)
