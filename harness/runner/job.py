"""Run one job like GitHub's runner: the harness decides whether the job runs and evaluates its
env, then one worker process in the runner container (harness/worker) runs the steps and sends each
result back as it finishes.

A JobRunner advances one step at a time when asked (the worker waits between steps), so two jobs
can be interleaved at step boundaries; `run()` lets the worker run the whole job without waiting.
"""
from __future__ import annotations

import json
from dataclasses import replace

from harness import expressions
from harness.pod.layout import CA_IN_RUNNER
from harness.trace.job import JobResult, StepResult
from harness.worker.plan import JobPlan, StepPlan
from harness.workflow import commands, contexts, events
from harness.workflow.contexts import HOME, RUNNER, TEMP
from harness.workflow.model import Job, Step, Workflow

from .shells import template

IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
HARNESS_ENV = {"SSL_CERT_FILE": CA_IN_RUNNER}  # trust the pod's CA, as the fakes need
ACTION_SHELL = "bash"  # a known action's script runs as `shell: bash` would


def _text(condition) -> str:
    return expressions.condition_text(condition).strip() if condition is not None else ""


def _str(value) -> str:
    return value if isinstance(value, str) else str(value)


def _plain(value):
    """A YAML scalar as the JSON type it is (ruamel's scalar subclasses would not survive the wire)."""
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


class JobRunner:
    def __init__(self, pod, workflow: Workflow, job: Job, event: events.Event, repo: events.Repository,
                 slot: int = 0, step_timeout: float = 300, needs: dict | None = None):
        self.pod, self.workflow, self.job, self.slot = pod, workflow, job, slot
        self.step_timeout = step_timeout
        self.base = replace(contexts.for_run(workflow, event, repo, job.id), needs=dict(needs or {}))
        self.masks = [repo.token] + [v for v in getattr(repo, "secrets", {}).values() if v]
        self.next_index = 0
        self.worker = None
        self.shell: str | None = None  # defaults.run, evaluated when the job starts
        self.working_directory: str | None = None
        self.cancelled = False
        self.result = JobResult(job.id, _text(job.if_), False, "skipped", needs=list(job.needs))

    def job_env(self) -> dict:
        """The workflow's env, then the job's, each evaluated with what came before."""
        env = {k: _str(expressions.interpolate(str(v), self.base.mapping())) for k, v in self.workflow.env.items()}
        with_workflow_env = replace(self.base, env=env).mapping()
        env |= {k: _str(expressions.interpolate(str(v), with_workflow_env)) for k, v in self.job.env.items()}
        return env

    def plan(self) -> JobPlan:
        start = replace(self.base, env=self.job_env(), runner=RUNNER, job={"status": "success"})
        return JobPlan(job_id=self.job.id, contexts=start.mapping(), runner_env=contexts.runner_env(self.base.github, self.job.runs_on),
                       harness_env=HARNESS_ENV, image_path=IMAGE_PATH, temp=TEMP, masks=list(self.masks),
                       crane_version=self.pod.images.crane, steps=[self._step_plan(s) for s in self.job.steps],
                       timeout=float(self.job.timeout_minutes) * 60 if self.job.timeout_minutes else None,
                       working_directory=self.working_directory)

    def _step_plan(self, step: Step) -> StepPlan:
        timeout = float(step.timeout_minutes) * 60 if step.timeout_minutes else self.step_timeout
        shell = ACTION_SHELL if step.uses else step.shell or self.shell
        on_error = step.continue_on_error
        return StepPlan(index=step.index, title=step.title, id=step.id, condition=_plain(step.if_), uses=step.uses,
                        with_={k: str(v) for k, v in step.with_.items()}, env={k: str(v) for k, v in step.env.items()},
                        run=step.run, shell=template(shell), timeout=timeout,
                        continue_on_error=str(on_error) if isinstance(on_error, str) else bool(on_error),
                        working_directory=None if step.uses else step.working_directory)

    # job -----------------------------------------------------------------------------------------

    def start(self, status: dict | None = None) -> bool:
        """Evaluate the job's `if` (github, needs, vars, inputs; `status` from the jobs it needs) and,
        when it holds, start the worker."""
        status = status or {"success": True, "failure": False, "cancelled": False}
        try:
            runs = expressions.evaluate_if(self.job.if_, contexts.only(self.base, "github", "needs", "vars", "inputs"),
                                           status=status)
        except expressions.ExpressionError as exc:
            self.next_index = len(self.job.steps)
            self.result.conclusion = "failure"
            self.result.notes.append(f"`if` could not be evaluated: {exc}")
            return False
        if not runs:
            self.next_index = len(self.job.steps)
            self.result.skip_reason = self._why_job_skipped(status)
            return False
        self.result.ran, self.result.conclusion = True, "success"
        if not self._defaults():
            return True
        worker = self.pod.take_worker(self.slot)  # it starts while the runner's home is prepared
        try:
            self._prepare_home()
            worker.connect()
            worker.send({"job": self.plan().to_wire()})
        except BaseException:
            worker.close()
            raise
        self.worker = worker
        return True

    def _prepare_home(self) -> None:
        self.pod.reset_runner(self.slot)
        home = self.pod.runner_home(self.slot)
        for sub in ("work/_temp/_github_workflow", "work/_temp/_runner_file_commands",
                    self.base.github["workspace"].removeprefix(HOME + "/")):
            (home / sub).mkdir(parents=True, exist_ok=True)
        (home / "work/_temp/_github_workflow/event.json").write_text(json.dumps(self.base.github["event"], indent=2))

    def _defaults(self) -> bool:
        """`defaults.run` with the contexts GitHub allows there (github, needs, strategy, matrix, env,
        vars, inputs); a value that cannot be evaluated fails the job before its first step."""
        allowed = contexts.only(replace(self.base, env=self.job_env()), "github", "needs", "strategy", "matrix",
                                "env", "vars", "inputs")
        try:
            if self.job.shell:
                self.shell = _str(expressions.interpolate(self.job.shell, allowed))
            if self.job.working_directory:
                self.working_directory = _str(expressions.interpolate(self.job.working_directory, allowed))
        except expressions.ExpressionError as exc:
            self.result.notes.append(f"defaults.run could not be evaluated: {exc}")
            self.result.conclusion = "failure"
            self.next_index = len(self.job.steps)
            return False
        return True

    def pending(self) -> bool:
        return self.next_index < len(self.job.steps)

    def run(self) -> JobResult:
        if self.start():
            self.run_started()
        return self.finish()

    def run_started(self) -> None:
        """Let the worker run every step of a started job without waiting between them."""
        if self.worker is None:  # defaults.run failed the job before its first step
            return
        self.worker.send({"run": -1})
        while self.pending():
            self._receive_step()

    def step(self) -> StepResult:
        """Run the next step; the worker then waits until told again."""
        self.worker.send({"run": 1})
        return self._receive_step()

    def _receive_step(self) -> StepResult:
        result = StepResult.from_wire(self.worker.receive()["step"])
        self.next_index += 1
        self.result.steps.append(result)
        return result

    def finish(self) -> JobResult:
        if self.worker is not None:
            try:
                self.worker.send({"finish": True})
                failed = self.worker.receive()["job"]["failed"]
            finally:
                self.worker.close()
                self.worker = None
            self.result.conclusion = "failure" if failed else "success"
            self.result.outputs = self._outputs()
        if self.cancelled:
            self.result.conclusion = "cancelled"
        return self.result

    def cancel(self) -> None:
        """GitHub cancelled the run between two steps: the worker runs the steps left with cancelled()
        true and success() false, so only those whose `if` calls always() or cancelled() run."""
        self.cancelled = True
        if self.worker is None:
            return
        self.worker.send({"cancel": True})
        if self.pending():
            self.worker.send({"run": -1})
            while self.pending():
                self._receive_step()

    def _why_job_skipped(self, status: dict) -> str:
        text = _text(self.job.if_)
        parsed = expressions.parse_condition(text, self.base.mapping())
        if not status["success"] and not expressions.calls_status_function(parsed):
            return "a job it needs did not succeed (implicit success())"
        return f"if {' '.join(text.split())} → false"

    def _outputs(self) -> dict[str, str]:
        """Job outputs, evaluated when the job ends from what its steps left; the runner skips a value
        that holds a secret."""
        steps = {s.id: {"outputs": dict(s.outputs), "outcome": s.outcome, "conclusion": s.conclusion}
                 for s in self.result.steps if s.id}
        ctx = replace(self.base, env=self.job_env(), steps=steps, runner=RUNNER,
                      job={"status": self.result.conclusion}).mapping()
        out = {}
        for name, template in self.job.outputs.items():
            try:
                value = _str(expressions.interpolate(str(template), ctx))
            except expressions.ExpressionError as exc:
                self.result.notes.append(f"output {name} could not be evaluated: {exc}")
                continue
            if commands.mask(value, self.masks) != value:
                self.result.notes.append(f"warning: Skip output '{name}' since it may contain secret.")
                continue
            out[name] = value
        return out

