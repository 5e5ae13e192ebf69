"""One warm pod for many scenarios: images once, containers once, world reset per scenario."""
from __future__ import annotations

import concurrent.futures
import contextlib
import queue
from pathlib import Path
from typing import Callable

from generator.loader import InputError

from . import images, simulate, workflow_file
from .pod import Pod
from .scenario import Scenario
from .trace import Trace


def load_workflow(path: Path) -> workflow_file.Workflow:
    if not path.exists():
        raise InputError(f"{path}: no such workflow file (run `gen render`, or pass --workflow)")
    workflow = workflow_file.load(path)
    try:
        simulate.check_supported(workflow)
    except simulate.UnsupportedWorkflow as exc:
        raise InputError(str(exc)) from None
    return workflow


def run(scenarios: list[Scenario], workflow_path: Path, progress: Callable[[str], None] = print,
        config=None, pods: int = 1) -> list[Trace]:
    """Run the scenarios in `pods` warm pods at once; traces come back in scenario order."""
    workflow = load_workflow(workflow_path)
    built = images.ensure(progress=progress)
    pending = queue.SimpleQueue()
    for index, scenario in enumerate(scenarios):
        pending.put((index, scenario))
    traces: list[Trace | None] = [None] * len(scenarios)

    def worker(pod: Pod) -> None:
        while True:
            try:
                index, scenario = pending.get_nowait()
            except queue.Empty:
                return
            traces[index] = simulate.run(pod, workflow, scenario, str(workflow_path), built.crane, config)

    with contextlib.ExitStack() as stack:
        started = [stack.enter_context(Pod(built)) for _ in range(max(1, min(pods, len(scenarios))))]
        with concurrent.futures.ThreadPoolExecutor(len(started)) as pool:
            for future in [pool.submit(worker, p) for p in started]:
                future.result()
    return [t for t in traces if t is not None]


def run_timelines(timelines, workflow_path: Path, config, progress: Callable[[str], None] = print) -> list:
    """Each timeline against the workflow under test and each of its variants, in one two-runner pod."""
    from . import timeline_run, timeline_trace, variants

    if not timelines:
        return []
    load_workflow(workflow_path)  # a bad base workflow is reported before anything starts
    subjects = [(t, s) for t in timelines for s in variants.subjects(t, workflow_path, config)]
    built = images.ensure(progress=progress)
    traces = []
    with Pod(built, runners=2) as pod:
        for timeline, subject in subjects:
            runner = timeline_run.TimelineRunner(pod, timeline, subject.workflow, subject.display, subject.variant,
                                                 built.crane, subject.target_tag)
            trace = runner.run()
            trace.checks = timeline_trace.check(trace, subject.expect)
            traces.append(trace)
    return traces
