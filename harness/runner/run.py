"""Run a workflow's jobs as GitHub orders them: dependency order, a job skipped when a job it needs
did not succeed (unless its `if:` calls a status function), `needs.<id>.result` and `.outputs`.

GitHub starts independent jobs at once on separate machines; here they run one after another in
the order `order` gives (file order among jobs that are ready), each on a fresh runner. A
WorkflowRunner advances one step at a time, so two runs can be interleaved at step boundaries.

Sources: "Using jobs in a workflow" (needs: a failed or skipped need skips the job), the
expressions reference (job-level `failure()` is true when any ancestor job failed), and
actions/runner#2205 (the implicit `success()` of a job looks at every ancestor, not only its needs).
"""
from __future__ import annotations

from typing import Callable

from harness.trace.job import JobResult, StepResult
from harness.workflow import events
from harness.workflow.model import Job, Workflow

from .job import JobRunner


def order(workflow: Workflow) -> list[Job]:
    """Jobs in dependency order; among jobs whose needs are all done, file order first."""
    done: set[str] = set()
    left = list(workflow.jobs)
    out = []
    while left:
        ready = next((j for j in left if set(j.needs) <= done), None)
        if ready is None:  # validate refuses cycles; never guess an order
            raise ValueError(f"no job of {[j.id for j in left]} can start: a cycle in `needs`")
        out.append(ready)
        done.add(ready.id)
        left.remove(ready)
    return out


def ancestors(workflow: Workflow, job: Job) -> list[str]:
    by_id = {j.id: j for j in workflow.jobs}
    seen: list[str] = []
    todo = list(job.needs)
    while todo:
        need = todo.pop(0)
        if need not in seen:
            seen.append(need)
            todo += by_id[need].needs
    return seen


def job_status(results: dict[str, JobResult], upstream: list[str]) -> dict[str, bool]:
    """What the status functions return in a job's `if`."""
    got = [results[j].conclusion for j in upstream]
    return {"success": all(r == "success" for r in got), "failure": any(r == "failure" for r in got),
            "cancelled": any(r == "cancelled" for r in got)}


class WorkflowRunner:
    def __init__(self, pod, workflow: Workflow, event: events.Event, repo: events.Repository, slot: int = 0,
                 before_job: Callable[[int, Job], None] | None = None):
        self.pod, self.workflow, self.event, self.repo, self.slot = pod, workflow, event, repo, slot
        self.before_job = before_job or (lambda index, job: None)
        self.queue = order(workflow)
        self.results: dict[str, JobResult] = {}
        self.current: JobRunner | None = None
        self.started = 0

    def total_steps(self) -> int:
        return sum(len(j.steps) for j in self.workflow.jobs)

    def pending(self) -> bool:
        self._advance()
        return self.current is not None

    def step(self) -> StepResult:
        self._advance()
        return self.current.step()

    def run(self) -> list[JobResult]:
        """Every job to its end, each worker running its steps without waiting between them."""
        while self.queue:
            runner = self._take()
            if runner.start(job_status(self.results, ancestors(self.workflow, runner.job))):
                self._started(runner)
                runner.run_started()
            self.results[runner.job.id] = runner.finish()
        return self.finish()

    def cancel(self) -> None:
        """GitHub cancelled the run between two steps: the running job runs its steps left as cancelled
        (only those whose `if` calls always() or cancelled()), and no job not started yet starts."""
        self._advance()  # a run cancelled before its first step has its first job assigned all the same
        if self.current is not None:
            self.current.cancel()
            self._close()
        for job in self.queue:
            self.results[job.id] = JobResult(job.id, "", False, "cancelled", needs=list(job.needs),
                                             skip_reason="the run was cancelled before it started")
        self.queue = []

    def finish(self) -> list[JobResult]:
        """Every job's result in the file's order (a job never reached stays skipped)."""
        if self.current is not None:
            self._close()
        order_of = {j.id: i for i, j in enumerate(self.workflow.jobs)}
        for job in self.queue:
            self.results[job.id] = JobResult(job.id, "", False, "skipped", needs=list(job.needs),
                                             skip_reason="the run ended before it started")
        self.queue = []
        return sorted(self.results.values(), key=lambda r: order_of[r.id])

    def _advance(self) -> None:
        while self.current is None or not self.current.pending():
            if self.current is not None:
                self._close()
            if not self.queue:
                return
            runner = self._take()
            if runner.start(job_status(self.results, ancestors(self.workflow, runner.job))):
                self._started(runner)
                self.current = runner
            else:
                self.results[runner.job.id] = runner.finish()

    def _take(self) -> JobRunner:
        """The next job's runner, with `needs` from the jobs it needs."""
        job = self.queue.pop(0)
        needs = {n: {"result": self.results[n].conclusion, "outputs": dict(self.results[n].outputs)}
                 for n in job.needs}
        return JobRunner(self.pod, self.workflow, job, self.event, self.repo, slot=self.slot, needs=needs)

    def _started(self, runner: JobRunner) -> None:
        self.before_job(self.started, runner.job)
        self.started += 1

    def _close(self) -> None:
        result = self.current.finish()
        self.results[result.id] = result
        self.current = None
