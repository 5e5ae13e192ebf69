"""Many scenarios over warm pods: images once, containers once per pod, the world reset per scenario."""
from __future__ import annotations

import concurrent.futures
import contextlib
import queue
from pathlib import Path
from typing import Callable

from generator.config import Config
from harness.library.scenario import Scenario
from harness.pod import images
from harness.pod.pod import Pod
from harness.trace.scenario import ScenarioTrace

from . import scenario_run, workflows


def run_scenarios(scenarios: list[Scenario], workflow_path: Path, progress: Callable[[str], None] = print,
                  config: Config | None = None, pods: int = 1, watch=None) -> list[ScenarioTrace]:
    """Run the scenarios in `pods` warm pods at once; traces come back in scenario order.

    `watch` (optional) hears `start(name)` and `finish(name, passed)` for each scenario."""
    workflow = workflows.load(workflow_path)
    hosts = workflows.played_hosts(workflow, scenarios, config)
    built = images.ensure(progress=progress)
    pending = queue.SimpleQueue()
    for index, scenario in enumerate(scenarios):
        pending.put((index, scenario))
    traces: list[ScenarioTrace | None] = [None] * len(scenarios)

    def worker(pod: Pod) -> None:
        while True:
            try:
                index, scenario = pending.get_nowait()
            except queue.Empty:
                return
            if watch:
                watch.start(scenario.name)
            traces[index] = scenario_run.run(pod, workflow, scenario, str(workflow_path), config)
            if watch:
                watch.finish(scenario.name, traces[index].passed)

    with contextlib.ExitStack() as stack:
        started = _start_pods(stack, built, max(1, min(pods, len(scenarios))), hosts)
        with concurrent.futures.ThreadPoolExecutor(len(started)) as pool:
            for future in [pool.submit(worker, p) for p in started]:
                future.result()
    return [t for t in traces if t is not None]


def _start_pods(stack: contextlib.ExitStack, built, count: int, hosts: list[str] | None = None) -> list[Pod]:
    """All pods start at once: the first in this thread (it installs the signal handler), the
    others in threads; each is closed by `stack`, whatever happens."""
    made = [Pod(built, registry_hosts=hosts) for _ in range(count)]
    for pod in made[1:]:
        stack.callback(pod.close)
    with concurrent.futures.ThreadPoolExecutor(max(1, count - 1)) as pool:
        others = [pool.submit(pod.start) for pod in made[1:]]
        stack.enter_context(made[0])
        for future in others:
            future.result()
    return made
