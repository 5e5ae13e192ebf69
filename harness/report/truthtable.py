"""The `if` truth table: for each kind of event, does the workflow trigger, does the job run, and
which steps run when the gate proceeds and when it does not. Computed from the workflow itself
with the harness's expression evaluator and contexts, so it cannot drift from the YAML."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from generator.markdown import cell, code
from harness import expressions
from harness.library.derived.base import Names
from harness.workflow import contexts, events, triggers
from harness.workflow.model import Step, Workflow
from harness.world.world import World

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
        out.append((f"{code(trigger.name)} completed: success", events.WorkflowRun(trigger.name, "completed", "success", SHA, branch)))
        out.append((f"{code(trigger.name)} completed: failure, cancelled, …",
                    events.WorkflowRun(trigger.name, "completed", "failure", SHA, branch)))
    first = config.triggers[0].name
    out += [
        (f"{code(first)} completed on another branch",
         events.WorkflowRun(first, "completed", "success", SHA, Names(config).other_branch())),
        (f"{code(first)} requested or in progress", events.WorkflowRun(first, "requested", None, SHA, branch)),
        ("a workflow not listed completes", events.WorkflowRun("lint", "completed", "success", SHA, branch)),
        ("workflow_dispatch with a sha", events.Dispatch({config.dispatch.input: SHA}, branch)),
        ("workflow_dispatch with the sha left empty", events.Dispatch({config.dispatch.input: ""}, branch)),
    ]
    return out


def rows(workflow: Workflow, config) -> list[Row]:
    world = _world(Names(config).repository, config.branch)
    return [_row(workflow, label, event, world) for label, event in cases(config)]


def _row(workflow: Workflow, label: str, event: events.Event, world: World) -> Row:
    decision = triggers.decide(workflow, event)
    job = workflow.jobs[0]
    ctx = replace(contexts.for_run(workflow, event, world, job.id), job={"status": "success"})
    runs = decision.triggered and (job.if_ is None or expressions.evaluate_if(job.if_, ctx.mapping()))
    group = (triggers.concurrency_group(workflow, ctx) or "") if decision.triggered else ""
    group = re.sub(r"[0-9a-f]{40}", "<sha>", group)
    return Row(label, decision.triggered, bool(runs), group,
               _steps(job.steps, ctx, "true") if runs else [], _steps(job.steps, ctx, "false") if runs else [])


def _steps(steps: tuple[Step, ...], ctx: contexts.Contexts, proceed: str) -> list[str]:
    ran = []
    step_ctx = {}
    for step in steps:
        if step.if_ is None or expressions.evaluate_if(step.if_, replace(ctx, steps=step_ctx).mapping()):
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
        cells = [r.event, "yes" if r.triggered else "no", "yes" if r.job_runs else "no",
                 code(r.group) if r.group else "—", ", ".join(r.proceeding) or "—", ", ".join(r.stopping) or "—"]
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
