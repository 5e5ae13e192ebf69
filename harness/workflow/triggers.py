"""Does an event trigger the workflow, and in which concurrency group? `on.workflow_run` filters and
`workflow_dispatch`, as GitHub applies them (act matches by event name only)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from generator.vocabulary import RUN_ACTIONS
from harness import expressions

from . import concurrency
from .contexts import Contexts
from .events import Dispatch, Event, WorkflowRun
from .model import Workflow


@dataclass(frozen=True)
class Decision:
    triggered: bool
    reason: str


def decide(workflow: Workflow, event: Event) -> Decision:
    if isinstance(event, Dispatch):
        if "workflow_dispatch" not in workflow.on:
            return Decision(False, "the workflow has no `workflow_dispatch` trigger")
        refused = dispatch_refusal(workflow.on.get("workflow_dispatch") or {}, event.inputs)
        if refused:
            return Decision(False, f"the dispatch API answers HTTP 422: {refused}")
        return Decision(True, "workflow_dispatch")
    return _workflow_run(workflow.on.get("workflow_run"), event)


def dispatch_refusal(spec: dict, given: dict) -> str | None:
    """Why POST .../dispatches answers 422 for these inputs, in GitHub's words, or None."""
    declared = dict(spec.get("inputs") or {}) if isinstance(spec, dict) else {}
    unexpected = sorted(set(given) - set(declared))
    if unexpected:
        return f"Unexpected inputs provided: {json.dumps(unexpected)}"
    for name, definition in declared.items():
        definition = definition or {}
        if definition.get("required") and name not in given and "default" not in definition:
            return f"Required input '{name}' not provided"
        options = [str(o) for o in definition.get("options") or []]
        if definition.get("type") == "choice" and name in given and str(given[name]) not in options:
            return f"Provided value '{given[name]}' for input '{name}' not in the list of allowed values"
    return None


def concurrency_group(workflow: Workflow, contexts: Contexts) -> str | None:
    """The run's concurrency group, if any."""
    return concurrency.evaluate(workflow, contexts).group


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _workflow_run(spec, event: WorkflowRun) -> Decision:
    if spec is None:
        return Decision(False, "the workflow has no `workflow_run` trigger")
    spec = spec or {}
    names = _as_list(spec.get("workflows"))
    if not any(pattern_match(n, event.workflow) for n in names):
        return Decision(False, f"workflow_run from {event.workflow!r}, which `workflows:` does not list")
    types = _as_list(spec.get("types")) or list(RUN_ACTIONS)
    if event.action not in types:
        return Decision(False, f"workflow_run type {event.action!r} is not in `types: {types}`")
    if not branch_allowed(spec, event.head_branch):
        return Decision(False, f"workflow_run on branch {event.head_branch!r} is filtered out by the branch filters")
    return Decision(True, f"workflow_run {event.action} of {event.workflow!r} on {event.head_branch}")


def branch_allowed(spec: dict, branch: str) -> bool:
    if "branches" in spec:
        return filter_match(_as_list(spec["branches"]), branch)
    if "branches-ignore" in spec:
        return not filter_match(_as_list(spec["branches-ignore"]), branch)
    return True


def filter_match(patterns: list[str], value: str) -> bool:
    """GitHub's filter lists: later `!pattern` entries exclude what earlier ones included."""
    matched = False
    for pattern in patterns:
        if pattern.startswith("!"):
            if pattern_match(pattern[1:], value):
                matched = False
        elif pattern_match(pattern, value):
            matched = True
    return matched


def pattern_match(pattern: str, value: str) -> bool:
    return re.fullmatch(_regex(pattern), value) is not None


def _regex(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch in "?+" and out:
            out.append(ch)
        elif ch == "[":
            end = pattern.find("]", i)
            out.append(pattern[i:end + 1] if end > i else re.escape(ch))
            i = end if end > i else i
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)
