"""No lost output: many short steps through the job worker while the machine is kept busy, each
step's stdout, stderr, output, summary and notice checked against what it wrote."""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field

from ruamel.yaml import YAML

from harness.pod.pod import Pod
from harness.runner.job import JobRunner
from harness.workflow import events, model
from harness.world.world import World

from . import nstep

BUSY = "while True: pass"


@dataclass
class StressResult:
    steps: int = 0
    jobs: int = 0
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # the 1-minute load average at the start and the end
    lost: list[str] = field(default_factory=list)  # `job N step M: what`


def run(images, steps: int, per_job: int = 100, busy: int = 2, stepwise_every: int = 4, progress=print) -> StressResult:
    """`steps` steps in jobs of `per_job`; every `stepwise_every`-th job is driven a step at a time
    (as timelines drive it), the others run straight through. `busy` processes spin meanwhile."""
    result = StressResult()
    spinners = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(busy)]
    try:
        with Pod(images) as pod:
            result.load = (_load(), 0.0)
            started = time.monotonic()
            job_number = 0
            while result.steps < steps:
                size = min(per_job, steps - result.steps)
                job_number += 1
                _one_job(pod, size, job_number, stepwise=job_number % stepwise_every == 0, result=result)
                progress(f"stress: {result.steps}/{steps} steps, {len(result.lost)} lost, load {_load():.1f}")
            result.seconds = time.monotonic() - started
            result.load = (result.load[0], _load())
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    return result


def _one_job(pod, size: int, number: int, stepwise: bool, result: StressResult) -> None:
    workflow = model.parse(YAML(typ="rt").load(nstep.workflow(size)), "nstep.yml")
    world = World("o/r", "main", {nstep.SHA: []}, {}, nstep.SHA, "octo", "ghs_stress")
    runner = JobRunner(pod, workflow, workflow.jobs[0], events.Dispatch({}, "main"), world)
    if stepwise:
        runner.start()
        while runner.pending():
            runner.step()
        job = runner.finish()
    else:
        job = runner.run()
    result.jobs += 1
    for step in job.steps:
        result.steps += 1
        notices = [a.message for a in step.annotations if a.level == "notice"]
        for what in nstep.lost(step.index, step.log, step.outputs, step.summary, notices):
            result.lost.append(f"job {number} step {step.index}: {what}")


def _load() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def report(result: StressResult) -> str:
    lines = [f"stress: {result.steps} steps in {result.jobs} jobs, {result.seconds:.1f} s "
             f"({result.seconds / max(result.steps, 1) * 1000:.1f} ms a step), "
             f"load {result.load[0]:.1f} → {result.load[1]:.1f} on {_cores()} cores",
             f"lost: {len(result.lost)}"]
    lines += [f"  {line}" for line in result.lost[:20]]
    return "\n".join(lines)


def _cores() -> int:
    import os

    return os.cpu_count() or 1
