"""Run one job like GitHub's runner: a long-lived container, one `docker exec` per step, fresh
file-command files per step, workflow commands read from stdout and stderr.

A JobRunner advances one step at a time, so two jobs can be interleaved at step boundaries.
"""
from __future__ import annotations

import json
from dataclasses import replace

from harness import expressions
from harness.trace.job import JobResult, StepResult
from harness.workflow import contexts, events
from harness.workflow.contexts import HOME, RUNNER, Contexts
from harness.workflow.model import Job, Step, Workflow

from . import actions, script
from .script import JobState


def _text(condition) -> str:
    return expressions.condition_text(condition).strip() if condition is not None else ""


def _str(value) -> str:
    return value if isinstance(value, str) else str(value)


class JobRunner:
    def __init__(self, pod, workflow: Workflow, job: Job, event: events.Event, repo: events.Repository,
                 slot: int = 0, step_timeout: float = 300):
        self.pod, self.workflow, self.job, self.slot = pod, workflow, job, slot
        self.step_timeout = step_timeout
        self.base = contexts.for_run(workflow, event, repo, job.id)
        self.state = JobState(masks=[repo.token])
        self.next_index = 0
        self.result = JobResult(job.id, _text(job.if_), False, "skipped")

    # contexts ------------------------------------------------------------------------------------

    def job_env(self) -> dict:
        """The workflow's env, then the job's, each evaluated with what came before; then GITHUB_ENV."""
        env = {k: _str(expressions.interpolate(str(v), self.base.mapping())) for k, v in self.workflow.env.items()}
        with_workflow_env = replace(self.base, env=env).mapping()
        env |= {k: _str(expressions.interpolate(str(v), with_workflow_env)) for k, v in self.job.env.items()}
        return {**env, **self.state.env}

    def contexts(self) -> Contexts:
        """What a step's `if`, `env`, `with` and `run` see."""
        return replace(self.base, env=self.job_env(), steps=self.state.steps, runner=RUNNER,
                       job={"status": "failure" if self.state.failed else "success"})

    # job -----------------------------------------------------------------------------------------

    def start(self) -> bool:
        if self.job.if_ is not None and not expressions.evaluate_if(self.job.if_, self.contexts().mapping()):
            self.next_index = len(self.job.steps)
            return False
        self.result.ran, self.result.conclusion = True, "success"
        self.pod.reset_runner(self.slot)
        home = self.pod.runner_home(self.slot)
        for sub in ("work/_temp/_github_workflow", "work/_temp/_runner_file_commands",
                    self.base.github["workspace"].removeprefix(HOME + "/")):
            (home / sub).mkdir(parents=True, exist_ok=True)
        (home / "work/_temp/_github_workflow/event.json").write_text(json.dumps(self.base.github["event"], indent=2))
        return True

    def pending(self) -> bool:
        return self.next_index < len(self.job.steps)

    def run(self) -> JobResult:
        if self.start():
            while self.pending():
                self.step()
        return self.finish()

    def finish(self) -> JobResult:
        if self.result.ran:
            self.result.conclusion = "failure" if self.state.failed else "success"
        return self.result

    # steps ---------------------------------------------------------------------------------------

    def step(self) -> StepResult:
        step = self.job.steps[self.next_index]
        self.next_index += 1
        result = StepResult(step.index, step.title, step.id, _text(step.if_), False, "skipped", "skipped",
                            uses=step.uses)
        failed = self.state.failed
        try:
            should_run = expressions.evaluate_if(step.if_, self.contexts().mapping(),
                                                 status={"success": not failed, "failure": failed, "cancelled": False})
        except expressions.ExpressionError as exc:
            should_run = False
            result.outcome = result.conclusion = "failure"
            result.notes.append(f"`if` could not be evaluated: {exc}")
            self.state.failed = True
        if should_run:
            self._execute(step, result)
        elif result.outcome == "skipped":
            result.skip_reason = self._why_skipped(step)
        self._record(step, result)
        return result

    def _why_skipped(self, step: Step) -> str:
        text = _text(step.if_)
        implicit = not expressions.calls_status_function(_parsed(text, self.contexts().mapping()))
        if self.state.failed and implicit:
            return "an earlier step failed (implicit success())"
        return f"if {text} → false" if text else "no reason recorded"

    def _record(self, step: Step, result: StepResult) -> None:
        if result.ran:
            # GitHub's conclusion is the outcome, except that continue-on-error turns a failure into success.
            failed = result.outcome == "failure" and not self._continue_on_error(step)
            result.conclusion = "failure" if failed else "success"
            self.state.failed = self.state.failed or failed
        if step.id:
            self.state.steps[step.id] = {"outputs": dict(result.outputs), "outcome": result.outcome,
                                         "conclusion": result.conclusion}
        self.result.steps.append(result)

    def _continue_on_error(self, step: Step) -> bool:
        value = step.continue_on_error
        if isinstance(value, str):
            return expressions.truthy(expressions.evaluate_template(value, self.contexts().mapping()))
        return bool(value)

    def _execute(self, step: Step, result: StepResult) -> None:
        result.ran = True
        ctx = self.contexts().mapping()
        step_env = {k: _str(expressions.interpolate(str(v), ctx)) for k, v in step.env.items()}
        if step.uses:
            plan = self._apply_action(step, result, ctx)
            result.log += [("stdout", line) for line in plan.log]
            if plan.script is None:
                result.outcome = "success"
                return
            body, shell, step_env = plan.script, "bash", {**step_env, **plan.env}
        else:
            body, shell = expressions.interpolate(step.run, ctx), step.shell or self.job.shell
        timeout = float(step.timeout_minutes) * 60 if step.timeout_minutes else self.step_timeout
        job_script = script.Script(step.index, step.id or f"__run_{step.index}", body, shell,
                                   {**self.job_env(), **step_env}, timeout)
        script.run(self.pod, self.slot, self.base.github, self.state, job_script, result)

    def _apply_action(self, step: Step, result: StepResult, ctx: dict) -> actions.ActionPlan:
        """What a known action does to the job (PATH, masks); its plan says whether a script follows."""
        action = actions.lookup(step.uses)
        given = {k: expressions.interpolate(str(v), ctx) for k, v in step.with_.items()}
        inputs = actions.resolve_inputs(action, given)
        plan = action.plan(inputs, self.base.github, self.pod.images.crane)
        self.state.path = list(reversed(plan.path)) + self.state.path
        result.notes.append(f"action {action.repository}: PATH += {', '.join(plan.path)}; inputs {inputs}")
        self.state.masks += list(plan.env.values())
        return plan


def _parsed(text: str, contexts: dict):
    """The parsed `if` (without `${{ }}`) for inspection, or None when it cannot be parsed."""
    body = text.strip()
    if body.startswith("${{") and body.endswith("}}"):
        body = body[3:-2]
    try:
        return expressions.parse(body, contexts)
    except expressions.ExpressionError:
        return None
