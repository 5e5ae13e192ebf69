"""Many runs over warm pods: images once, containers once per pod, the world reset per run."""
from __future__ import annotations

import concurrent.futures
import contextlib
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.config import Config
from harness.library.scenario import Scenario
from harness.pod import ahead, images
from harness.pod.pod import Pod
from harness.trace.scenario import ScenarioTrace

from . import scenario_run, workflows


@dataclass(frozen=True)
class Play:
    """One run for a pod to play: a scenario or a timeline variant."""

    label: str
    play: Callable[[Pod], object]  # → its trace, which has `passed`
    heavy: bool = False  # taken first, so a long run does not start last and leave the other pods idle


def run_scenarios(scenarios: list[Scenario], workflow_path: Path, progress: Callable[[str], None] = print,
                  config: Config | None = None, pods: int = 1, watch=None) -> list[ScenarioTrace]:
    """Run the scenarios in `pods` warm pods at once; traces come back in scenario order.

    `watch` (optional) hears `start(name)` and `finish(name, passed)` for each scenario."""
    workflow, hosts = scenario_hosts(scenarios, workflow_path, config)
    built = images.ensure(progress=progress)
    return play_all(scenario_plays(scenarios, workflow, workflow_path, config), built, pods, hosts, watch=watch)


def scenario_hosts(scenarios: list[Scenario], workflow_path: Path, config: Config | None):
    workflow = workflows.load(workflow_path)
    return workflow, workflows.played_hosts(workflow, scenarios, config)


def scenario_plays(scenarios: list[Scenario], workflow, workflow_path: Path, config: Config | None) -> list[Play]:
    def one(scenario):
        return lambda pod: scenario_run.run(pod, workflow, scenario, str(workflow_path), config)

    return [Play(scenario.name, one(scenario)) for scenario in scenarios]


def play_all(plays: list[Play], built, pods: int, hosts: list[str], runners: int = 1, watch=None) -> list:
    """Play every run in `pods` warm pods at once (each with `runners` runners); traces come back
    in the order of `plays`."""
    if not plays:
        return []
    pending = queue.SimpleQueue()
    for index in sorted(range(len(plays)), key=lambda i: not plays[i].heavy):
        pending.put(index)
    traces: list = [None] * len(plays)
    stop = threading.Event()  # set on Ctrl-C (or any failure): workers take no more runs

    def worker(pod: Pod) -> None:
        while not stop.is_set():
            try:
                index = pending.get_nowait()
            except queue.Empty:
                return
            if watch:
                watch.start(plays[index].label)
            try:
                traces[index] = plays[index].play(pod)
            except Exception:
                if stop.is_set():
                    return  # the pod was removed under this run: the run is over anyway
                raise
            if watch:
                watch.finish(plays[index].label, traces[index].passed)

    with contextlib.ExitStack() as stack:
        started = _start_pods(stack, built, max(1, min(pods, len(plays))), hosts, runners)
        ended: queue.SimpleQueue = queue.SimpleQueue()  # each worker's exception, or None

        def guarded(pod: Pod) -> None:
            try:
                worker(pod)
                ended.put(None)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                stop.set()
                ended.put(exc)

        # Daemon threads, not a pool: on Ctrl-C the main thread leaves at once and the pods close
        # (which ends the runs still going) instead of waiting while the queue is played out.
        for pod in started:
            threading.Thread(target=guarded, args=(pod,), name=f"plays-{pod.run_id}", daemon=True).start()
        try:
            failures = [_next(ended) for _ in started]
        except BaseException:
            stop.set()
            raise
        first = next((f for f in failures if f is not None), None)
        if first is not None:
            raise first
    return [t for t in traces if t is not None]


def _next(ended: queue.SimpleQueue):
    while True:  # short waits: a signal is handled between them
        try:
            return ended.get(timeout=0.2)
        except queue.Empty:
            continue


def _start_pods(stack: contextlib.ExitStack, built, count: int, hosts: list[str] | None = None,
                runners: int = 1) -> list[Pod]:
    """All pods start at once: the first in this thread (it installs the signal handler), the
    others in threads; each is closed by `stack`, whatever happens. A pod started ahead of this
    shape (`harness.pod.ahead`) is one of them."""
    ready = ahead.take(built, runners, hosts)
    if ready is not None:
        stack.callback(ready.close)
    made = [Pod(built, runners=runners, registry_hosts=hosts) for _ in range(count - (ready is not None))]
    for pod in made[1:]:
        stack.callback(pod.close)
    with concurrent.futures.ThreadPoolExecutor(max(1, count - 1)) as pool:
        others = [pool.submit(pod.start) for pod in made[1:]]
        if made:
            stack.enter_context(made[0])
        for future in others:
            future.result()
    return [ready] + made if ready is not None else made
