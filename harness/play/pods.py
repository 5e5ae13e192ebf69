"""Many scenarios over warm pods: images once, containers once per pod, the world reset per scenario."""
from __future__ import annotations

import concurrent.futures
import contextlib
import queue
import threading
from pathlib import Path
from typing import Callable

from generator.config import Config
from harness.library.scenario import Scenario
from harness.pod import images
from harness.pod.pod import Pod
from harness.trace.scenario import ScenarioTrace

from . import scenario_run, workflows


def _next(ended: queue.SimpleQueue):
    while True:  # short waits: a signal is handled between them
        try:
            return ended.get(timeout=0.2)
        except queue.Empty:
            continue


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
    stop = threading.Event()  # set on Ctrl-C (or any failure): workers take no more scenarios

    def worker(pod: Pod) -> None:
        while not stop.is_set():
            try:
                index, scenario = pending.get_nowait()
            except queue.Empty:
                return
            if watch:
                watch.start(scenario.name)
            try:
                traces[index] = scenario_run.run(pod, workflow, scenario, str(workflow_path), config)
            except Exception:
                if stop.is_set():
                    return  # the pod was removed under this scenario: the run is over anyway
                raise
            if watch:
                watch.finish(scenario.name, traces[index].passed)

    with contextlib.ExitStack() as stack:
        started = _start_pods(stack, built, max(1, min(pods, len(scenarios))), hosts)
        ended: queue.SimpleQueue = queue.SimpleQueue()  # each worker's exception, or None

        def guarded(pod: Pod) -> None:
            try:
                worker(pod)
                ended.put(None)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                stop.set()
                ended.put(exc)

        # Daemon threads, not a pool: on Ctrl-C the main thread leaves at once and the pods close
        # (which ends the scenarios still running) instead of waiting while the queue is played out.
        for pod in started:
            threading.Thread(target=guarded, args=(pod,), name=f"scenarios-{pod.run_id}", daemon=True).start()
        try:
            failures = [_next(ended) for _ in started]
        except BaseException:
            stop.set()
            raise
        first = next((f for f in failures if f is not None), None)
        if first is not None:
            raise first
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
