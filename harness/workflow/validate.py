"""What GitHub refuses before a run starts, and what the harness refuses because it does not model
it: each a `file:line:col: where: what` line, before anything runs.

Sources: GitHub's workflow syntax reference (job ids, `needs`, `uses` refs, `runs-on`), actionlint's
job-graph rules (unknown and cyclic `needs`), and the context availability table for `defaults`.
"""
from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap

from generator.loader import InputError, where

from . import keys

# "must start with a letter or _ and contain only alphanumeric characters, -, or _" (workflow syntax).
JOB_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
ACTION_REF = re.compile(r"^[^@\s]+@[^@\s]+$")


class Checker:
    def __init__(self, path: str):
        self.path = path

    def fail(self, node: Any, key: Any, loc: tuple, message: str) -> None:
        line, col = _position(node, key)
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        raise InputError(f"{where(self.path, line, col)}: {dotted}: {message}")

    def keys(self, node: dict, loc: tuple, modelled: dict, refused: dict, level: str) -> None:
        for key in node:
            if key in modelled:
                continue
            if key in refused:
                self.fail(node, key, loc + (key,), f"refused: {refused[key]}")
            self.fail(node, key, loc + (key,), f"not a {level} key GitHub knows "
                                               f"(known: {', '.join(sorted(modelled | refused))})")


def check(doc: Any, path: str) -> None:
    """Raise InputError on the first problem; the model may then trust the file's shape."""
    c = Checker(path)
    if not isinstance(doc, dict):
        return  # the model reports the shape
    c.keys(doc, (), keys.WORKFLOW_MODELLED, keys.WORKFLOW_REFUSED, "workflow")
    _defaults(c, doc, (), expressions_allowed=False)
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict):
        return
    for job_id, job in jobs.items():
        if not JOB_ID.match(str(job_id)):
            c.fail(jobs, job_id, ("jobs", job_id), "a job id starting with a letter or `_`, then only letters, "
                                                   "digits, `-` and `_` (GitHub refuses the file)")
        if isinstance(job, dict):
            if "runs-on" not in job and "uses" not in job:
                c.fail(jobs, job_id, ("jobs", job_id), "a `runs-on:` key (GitHub refuses a job without one)")
            _job(c, job, ("jobs", job_id))
    _needs(c, jobs)


def _job(c: Checker, job: dict, loc: tuple) -> None:
    c.keys(job, loc, keys.JOB_MODELLED, keys.JOB_REFUSED, "job")
    _runs_on(c, job, loc)
    _defaults(c, job, loc, expressions_allowed=True)
    outputs = job.get("outputs")
    if outputs is not None and not (isinstance(outputs, dict) and all(isinstance(v, str) for v in outputs.values())):
        c.fail(job, "outputs", loc + ("outputs",), "a mapping of output names to strings")
    steps = job.get("steps")
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(step, dict):
            _step(c, step, loc + ("steps", i))


def _step(c: Checker, step: dict, loc: tuple) -> None:
    c.keys(step, loc, keys.STEP_MODELLED, keys.STEP_REFUSED, "step")
    uses = step.get("uses")
    if isinstance(uses, str) and not uses.startswith(("./", "docker://")) and not ACTION_REF.match(uses):
        c.fail(step, "uses", loc + ("uses",), f"`{uses}` needs a ref: `owner/repo@ref` (GitHub refuses an "
                                              "action without one)")


def _runs_on(c: Checker, job: dict, loc: tuple) -> None:
    if "runs-on" not in job:
        return  # a reusable workflow's call, refused as such
    value = job["runs-on"]
    labels = value if isinstance(value, list) else [value]
    loc = loc + ("runs-on",)
    if isinstance(value, dict) or not labels or not all(isinstance(v, str) for v in labels):
        c.fail(job, "runs-on", loc, "refused: runner groups and label mappings are not modelled; "
                                    f"use one of {', '.join(keys.RUNNER_LABELS)}")
    for label in labels:
        if "${{" in label:
            c.fail(job, "runs-on", loc, f"refused: `{label}` picks the runner at run time; the harness models "
                                        f"only {', '.join(keys.RUNNER_LABELS)}")
        if label.lower().startswith(keys.OTHER_OS):
            c.fail(job, "runs-on", loc, f"refused: `{label}` is another OS; the harness runs steps on Linux "
                                        f"only ({', '.join(keys.RUNNER_LABELS)})")
    if len(labels) != 1 or labels[0] not in keys.RUNNER_LABELS:
        c.fail(job, "runs-on", loc, f"refused: `{', '.join(labels)}` is not a hosted Ubuntu x64 runner the "
                                    f"harness models ({', '.join(keys.RUNNER_LABELS)})")


def _defaults(c: Checker, node: dict, loc: tuple, expressions_allowed: bool) -> None:
    defaults = node.get("defaults")
    if defaults is None:
        return
    loc = loc + ("defaults",)
    if not isinstance(defaults, dict) or set(defaults) - {"run"} or not isinstance(defaults.get("run"), dict):
        c.fail(node, "defaults", loc, "a mapping with `run:` (GitHub's only defaults)")
    run = defaults["run"]
    for key, value in run.items():
        if key not in keys.DEFAULTS_RUN:
            c.fail(run, key, loc + ("run", key), f"one of {', '.join(keys.DEFAULTS_RUN)}")
        if not isinstance(value, str):
            c.fail(run, key, loc + ("run", key), "a string")
        if not expressions_allowed and "${{" in value:
            c.fail(run, key, loc + ("run", key), "no `${{ }}`: GitHub allows no context in workflow-level "
                                                 "defaults (jobs.<id>.defaults may use github, needs, env, "
                                                 "vars, inputs)")


def _needs(c: Checker, jobs: dict) -> None:
    by_lower = {str(j).lower(): str(j) for j in jobs}
    graph: dict[str, list[str]] = {}
    for job_id, job in jobs.items():
        needs = job.get("needs") if isinstance(job, dict) else None
        if needs is None:
            graph[str(job_id)] = []
            continue
        loc = ("jobs", job_id, "needs")
        names = [needs] if isinstance(needs, str) else needs
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            c.fail(job, "needs", loc, "a job id or a list of job ids")
        for name in names:
            if name.lower() not in by_lower:
                c.fail(job, "needs", loc, f"`{name}` is not a job in this workflow "
                                          f"(jobs: {', '.join(map(str, jobs))}); GitHub refuses the file")
            if by_lower[name.lower()] == str(job_id):
                c.fail(job, "needs", loc, f"job `{job_id}` needs itself; GitHub refuses the file")
        graph[str(job_id)] = [by_lower[n.lower()] for n in names]
    cycle = find_cycle(graph)
    if cycle:
        c.fail(jobs[cycle[0]], "needs", ("jobs", cycle[0], "needs"),
               f"a cycle: {' → '.join(cycle + [cycle[0]])}; GitHub refuses the file")


def find_cycle(graph: dict[str, list[str]]) -> list[str]:
    """One cycle in `job → needs`, in file order, or []."""
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = 1
        for need in graph.get(node, []):
            if state.get(need) == 1:
                return path[path.index(need):] if need in path else [need]
            if not state.get(need):
                found = visit(need, path + [need])
                if found:
                    return found
        state[node] = 2
        return []

    for start in graph:
        if not state.get(start):
            found = visit(start, [start])
            if found:
                return found
    return []


def _position(node: Any, key: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1, 1
    if key is not None and isinstance(node, CommentedMap) and key in node:
        line, col = lc.key(key)
        return line + 1, col + 1
    return lc.line + 1, lc.col + 1
