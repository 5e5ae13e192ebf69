"""`gen bench`: the warm library's wall time, per-scenario times, and the harness's overhead against
running the same step scripts directly in the runner container."""
from __future__ import annotations

import json
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from harness.library import selection
from harness.pod import images
from harness.pod.layout import RUNNER_HOME
from harness.pod.pod import Pod
from harness.trace.scenario import ScenarioTrace
from harness.world.build import scenario_world

from . import workflows
from .library_run import run_library
from .pods import run_scenarios
from .timelines import prepare
from .seeding import seed

# Runs each recorded step in the runner container, back to back, timing only the processes.
DRIVER = r'''
import json, subprocess, sys, time
steps = json.load(open(sys.argv[1]))
out = []
for step in steps:
    open(step["script_path"], "w").write(step["script"])
    for path in step["files"].values():
        open(path, "w").close()
    started = time.perf_counter()
    subprocess.run(step["argv"], env=step["env"], cwd=step["workdir"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out.append(time.perf_counter() - started)
print(json.dumps(out))
'''


@dataclass
class Row:
    scenario: str
    harness: float  # seconds for the whole scenario through the harness
    direct: float  # seconds for the same scripts run back to back in the container
    steps: int


def run(args: list[str], workflow_path: Path, config, pods: int, progress=print) -> dict:
    chosen = selection.select(args)
    load_before = os.getloadavg()[0]
    scenarios = chosen.scenarios
    workflows.load(workflow_path)  # bad input is reported before the warm-up
    built = images.ensure(progress=progress)
    progress(f"warm-up: {len(scenarios)} scenarios in {pods} pods")
    run_scenarios(scenarios, workflow_path, config=config, pods=pods, progress=lambda line: None)
    progress(f"timed: the library as `gen simulate` runs it, {len(scenarios)} scenarios and "
             f"{len(chosen.timelines)} timelines from one queue in {pods} pods")
    started = time.monotonic()
    subjects = prepare(chosen.timelines, workflow_path, config, progress=lambda line: None)
    traces = run_library(scenarios, subjects, workflow_path, config=config, pods=pods, progress=lambda line: None)
    wall = time.monotonic() - started
    timeline_traces = traces[len(scenarios):]
    traces = traces[:len(scenarios)]
    progress("timed: each scenario alone in one pod, then its scripts without the harness")
    single = run_scenarios(scenarios, workflow_path, config=config, pods=1, progress=lambda line: None)
    rows = _direct(scenarios, single, built)
    return {"wall": wall, "pods": pods, "rows": rows, "passed": sum(t.passed for t in traces),
            "timelines": len(timeline_traces), "timelines_passed": sum(t.passed for t in timeline_traces),
            "traces": traces, "timeline_traces": timeline_traces, "load": (load_before, os.getloadavg()[0]), "whole": not args}


def _direct(scenarios, traces: list[ScenarioTrace], built) -> list[Row]:
    rows = []
    with Pod(built) as pod:
        for scenario, trace in zip(scenarios, traces):
            steps = [s.invocation for s in trace.steps() if s.invocation]
            rows.append(Row(trace.scenario, trace.seconds, _replay(pod, scenario, steps), len(steps)))
    return rows


def _replay(pod: Pod, scenario, steps: list[dict]) -> float:
    if not steps:
        return 0.0
    seed(pod, scenario_world(scenario))
    pod.reset_runner()
    home = pod.runner_home()
    for sub in ("work/_temp/_runner_file_commands", "work/_temp/_github_workflow", steps[0]["workdir"][len(RUNNER_HOME) + 1:]):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "bench.py").write_text(DRIVER)
    (home / "steps.json").write_text(json.dumps(steps))
    done = pod.exec(["python3", f"{RUNNER_HOME}/bench.py", f"{RUNNER_HOME}/steps.json"], {}, RUNNER_HOME)
    text = "".join(t for stream, t in done.output if stream == "stdout")
    if done.exit_code != 0:
        raise RuntimeError(f"bench driver failed: {''.join(t for _, t in done.output)[-500:]}")
    return sum(json.loads(text))


def report(result: dict) -> str:
    rows: list[Row] = result["rows"]
    harness = [r.harness for r in rows]
    ran = [r for r in rows if r.steps]
    overhead = [r.harness - r.direct for r in ran]
    lines = [
        f"scenarios: {len(rows)} ({result['passed']} passed), pods: {result['pods']}, "
        f"load average {result['load'][0]:.1f} → {result['load'][1]:.1f} on {os.cpu_count()} cores",
        f"timelines: {result['timelines']} played ({result['timelines_passed']} passed)",
        f"library wall time (warm): {result['wall']:.1f} s, scenarios and timelines from one queue in {result['pods']} pods "
        f"(run one by one: scenarios {sum(t.seconds for t in result['traces']):.1f} s, "
        f"timelines {sum(t.seconds for t in result['timeline_traces']):.1f} s)",
        f"per scenario, alone in one pod, through the harness: median {statistics.median(harness):.2f} s, max {max(harness):.2f} s",
        f"same step scripts run directly in the runner container ({len(ran)} scenarios that run steps): "
        f"median {statistics.median(r.direct for r in ran):.2f} s, max {max(r.direct for r in ran):.2f} s",
        f"harness overhead per scenario: median {statistics.median(overhead):.2f} s "
        f"({statistics.median(r.harness / r.direct for r in ran):.1f}x the direct time), "
        f"per step {statistics.median(o / r.steps for o, r in zip(overhead, ran)) * 1000:.0f} ms",
        "",
        f"{'scenario':<32} {'steps':>5} {'harness':>8} {'direct':>8}",
    ]
    lines += [f"{r.scenario:<32} {r.steps:>5} {r.harness:>7.2f}s {r.direct:>7.2f}s" for r in rows]
    return "\n".join(lines)
