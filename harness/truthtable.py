"""The `if` truth table: for each kind of event, does the workflow trigger, does the job run, and
which steps run when the gate proceeds and when it does not. Computed from the workflow itself
with the harness's expression evaluator, so it cannot drift from the YAML."""
from __future__ import annotations

import re
from dataclasses import dataclass

from harness import expressions

from . import events, triggers
from .workflow_file import Step, Workflow
from .world import World

SHA = "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"


@dataclass(frozen=True)
class Row:
    event: str
    triggered: bool
    job_runs: bool
    group: str
    proceeding: list[str]
    stopping: list[str]


def _world(repository: str, branch: str) -> World:
    return World(repository, branch, {SHA: []}, {}, SHA, "octo-operator", "ghs_token")


def cases(config) -> list[tuple[str, events.Event]]:
    branch = config.branch
    out = []
    for trigger in config.triggers:
        out.append((f"`{trigger.name}` completed: success", events.WorkflowRun(trigger.name, "completed", "success", SHA, branch)))
        out.append((f"`{trigger.name}` completed: failure, cancelled, …",
                    events.WorkflowRun(trigger.name, "completed", "failure", SHA, branch)))
    first = config.triggers[0].name
    out += [
        (f"`{first}` completed on another branch", events.WorkflowRun(first, "completed", "success", SHA, "staging")),
        (f"`{first}` requested or in progress", events.WorkflowRun(first, "requested", None, SHA, branch)),
        ("a workflow not listed completes", events.WorkflowRun("lint", "completed", "success", SHA, branch)),
        ("workflow_dispatch with a sha", events.Dispatch({config.dispatch.input: SHA}, branch)),
        ("workflow_dispatch with the sha left empty", events.Dispatch({config.dispatch.input: ""}, branch)),
    ]
    return out


def rows(workflow: Workflow, config) -> list[Row]:
    world = _world("molecule-ai/molecule-core", config.branch)
    out = []
    for label, event in cases(config):
        decision = triggers.decide(workflow, event)
        ctx = _contexts(workflow, event, world)
        job = workflow.jobs[0]
        runs = decision.triggered and (job.if_ is None or expressions.evaluate_if(job.if_, ctx))
        group = expressions.interpolate(str((workflow.concurrency or {}).get("group", "")), ctx) if decision.triggered else ""
        group = re.sub(r"[0-9a-f]{40}", "<sha>", group)
        out.append(Row(label, decision.triggered, bool(runs), group,
                       _steps(job.steps, ctx, "true") if runs else [], _steps(job.steps, ctx, "false") if runs else []))
    return out


def _contexts(workflow: Workflow, event: events.Event, world: World) -> dict:
    github = events.github_context(event, world, workflow.name or "", "workflow.yml", "promote", "/w", "/e.json")
    inputs = dict(event.inputs) if isinstance(event, events.Dispatch) else {}
    return {"github": github, "inputs": inputs, "vars": {}, "needs": {}, "env": {}, "secrets": {"GITHUB_TOKEN": "t"},
            "steps": {}, "job": {"status": "success"}, "runner": {}, "strategy": {}, "matrix": {}}


def _steps(steps: tuple[Step, ...], ctx: dict, proceed: str) -> list[str]:
    ran = []
    step_ctx = {}
    for step in steps:
        local = {**ctx, "steps": step_ctx}
        if step.if_ is None or expressions.evaluate_if(step.if_, local):
            ran.append(short_name(step))
            outcome = "success"
        else:
            outcome = "skipped"
        if step.id:
            step_ctx[step.id] = {"outputs": {"proceed": proceed} if step.id == "gate" else {},
                                 "outcome": outcome, "conclusion": outcome}
    return ran


def short_name(step: Step) -> str:
    if step.id:
        return step.id
    if step.uses:
        return step.uses.split("@")[0].split("/")[-1]
    return re.split(r" :| —", step.name or step.title)[0]


def markdown(workflow: Workflow, config) -> str:
    lines = ["| event | triggers | job runs | concurrency group | steps when the gate proceeds | steps when it does not |",
             "|---|---|---|---|---|---|"]
    for r in rows(workflow, config):
        lines.append(f"| {r.event} | {'yes' if r.triggered else 'no'} | {'yes' if r.job_runs else 'no'} | "
                     f"{('`' + r.group + '`') if r.group else '—'} | {', '.join(r.proceeding) or '—'} | "
                     f"{', '.join(r.stopping) or '—'} |")
    return "\n".join(lines) + "\n"
