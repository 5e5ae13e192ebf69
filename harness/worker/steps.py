"""One job's steps, in order, as GitHub's runner takes them: each step's `if` against the job's
status, its `env`, `with` and `run` evaluated with what earlier steps left, its result recorded in
`steps.<id>`."""
from __future__ import annotations

import posixpath
import time

from harness import expressions
from harness.workflow import commands

from . import actions, script
from .plan import JobPlan, StepPlan
from .result import StepResult
from .script import JobState


def _text(condition) -> str:
    return expressions.condition_text(condition).strip() if condition is not None else ""


def _str(value) -> str:
    return value if isinstance(value, str) else str(value)


class JobSteps:
    def __init__(self, plan: JobPlan):
        self.plan = plan
        self.state = JobState(masks=list(plan.masks))
        self.next_index = 0
        self.deadline = time.monotonic() + plan.timeout if plan.timeout else None
        self.cancelled = False  # GitHub cancelled the run: the steps left see cancelled() true

    def pending(self) -> bool:
        return self.next_index < len(self.plan.steps)

    def contexts(self) -> dict:
        """What a step's `if`, `env`, `with` and `run` see."""
        return {**self.plan.contexts, "env": self.env(), "steps": self.state.steps,
                "job": {"status": "cancelled" if self.cancelled else "failure" if self.state.failed else "success"}}

    def env(self) -> dict:
        """The job's env (workflow's, then job's), then GITHUB_ENV."""
        return {**self.plan.contexts["env"], **self.state.env}

    def step(self) -> StepResult:
        step = self.plan.steps[self.next_index]
        self.next_index += 1
        result = StepResult(step.index, step.title, step.id, _text(step.condition), False, "skipped", "skipped",
                            uses=step.uses)
        # actions/runner's success() and failure() compare the job's status, which a cancel replaces.
        failed, cancelled = self.state.failed, self.cancelled
        status = {"success": not failed and not cancelled, "failure": failed and not cancelled, "cancelled": cancelled}
        try:
            should_run = expressions.evaluate_if(step.condition, self.contexts(), status=status)
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

    def _why_skipped(self, step: StepPlan) -> str:
        text = _text(step.condition)
        implicit = not expressions.calls_status_function(expressions.parse_condition(text, self.contexts()))
        if self.cancelled and implicit:
            return "the run was cancelled (implicit success())"
        if self.state.failed and implicit:
            return "an earlier step failed (implicit success())"
        return f"if {text} → false" if text else "no reason recorded"

    def _record(self, step: StepPlan, result: StepResult) -> None:
        if result.ran:
            # GitHub's conclusion is the outcome, except that continue-on-error turns a failure into success.
            failed = result.outcome == "failure" and not self._continue_on_error(step)
            result.conclusion = "failure" if failed else "success"
            self.state.failed = self.state.failed or failed
        if step.id:
            self.state.steps[step.id] = {"outputs": dict(result.outputs), "outcome": result.outcome,
                                         "conclusion": result.conclusion}

    def _continue_on_error(self, step: StepPlan) -> bool:
        value = step.continue_on_error
        if isinstance(value, str):
            return expressions.truthy(expressions.evaluate_template(value, self.contexts()))
        return bool(value)

    def _execute(self, step: StepPlan, result: StepResult) -> None:
        result.ran = True
        ctx = self.contexts()
        step_env = {k: _str(expressions.interpolate(v, ctx)) for k, v in step.env.items()}
        if step.uses:
            action = self._apply_action(step, result, ctx)
            result.log += [("stdout", line) for line in action.log]
            if action.script is None:
                result.outcome = "success"
                return
            body, step_env = action.script, {**step_env, **action.env}
        else:
            body = expressions.interpolate(step.run, ctx)
        workdir = self._workdir(step, ctx)
        job_script = script.Script(step.index, step.id or f"__run_{step.index}", body, step.shell,
                                   {**self.env(), **step_env}, self._timeout(step), workdir)
        script.run(self.plan, self.state, job_script, result)

    def _workdir(self, step: StepPlan, ctx: dict) -> str:
        """`working-directory` (the step's, evaluated with its contexts, else the job's default, already
        evaluated), relative to the workspace as the runner joins it."""
        workspace = self.plan.contexts["github"]["workspace"]
        chosen = _str(expressions.interpolate(step.working_directory, ctx)) if step.working_directory else ""
        chosen = chosen or self.plan.working_directory
        return posixpath.normpath(posixpath.join(workspace, chosen)) if chosen else workspace

    def _timeout(self, step: StepPlan) -> float:
        if self.deadline is None:
            return step.timeout
        return max(0.1, min(step.timeout, self.deadline - time.monotonic()))

    def _apply_action(self, step: StepPlan, result: StepResult, ctx: dict) -> actions.ActionPlan:
        """What a known action does to the job (PATH, masks); its plan says whether a script follows."""
        action = actions.lookup(step.uses)
        given = {k: expressions.interpolate(v, ctx) for k, v in step.with_.items()}
        inputs = actions.resolve_inputs(action, given)
        plan = action.plan(inputs, self.plan.contexts["github"], self.plan.crane_version)
        self.state.path = list(reversed(plan.path)) + self.state.path
        self.state.masks += [value for key, value in plan.env.items() if key not in plan.public]
        shown = commands.mask(str(inputs), self.state.masks)  # a password input is a secret: masked, as GitHub does
        result.notes.append(f"action {action.repository}: PATH += {', '.join(plan.path)}; inputs {shown}")
        return plan

