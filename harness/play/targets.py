"""Issue 12's speed targets, each next to the figure `gen bench` measured for it in the same run.

A target without a figure (act not found, nothing ran) is printed as not measured, never as met.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    wanted: str  # the target as the issue states it
    measured: str | None  # None: not measured in this run
    met: bool | None  # None: not measured
    note: str = ""


PER_JOB = 0.5  # seconds: a in wall = a + b·N, a whole `gen simulate` on a one-job workflow
PER_STEP = 0.010  # seconds of harness cost per step above the step's own work
SCENARIO_MEDIAN = 0.35  # seconds, each scenario alone in one warm pod
LIBRARY = 30.0  # seconds, scenarios and timelines with --pods 2
OVERHEAD = 1.5  # harness time / the same step scripts run directly in the runner container


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def library(result: dict) -> list[Target]:
    """The targets the library bench measures (`bench.run`'s result)."""
    rows = result["rows"]
    ran = [r for r in rows if r.steps and r.direct > 0]
    wall = result["wall"]
    judged = result["pods"] == 2 and result.get("whole", True)
    out = [Target(f"whole library, scenarios and timelines, --pods {result['pods']}", f"≤ {LIBRARY:g} s",
                  _seconds(wall), wall <= LIBRARY if judged else None,
                  f"{len(result['rows'])} scenarios, {result['timelines']} timeline runs"
                  + ("" if result["pods"] == 2 else "; the target is for --pods 2")
                  + ("" if result.get("whole", True) else "; a selection: the target is for the whole built-in library"))]
    if rows:
        median = statistics.median(r.harness for r in rows)
        out.append(Target("per scenario, median, warm, alone in one pod", f"≤ {SCENARIO_MEDIAN:g} s",
                          _seconds(median), median <= SCENARIO_MEDIAN, f"{len(rows)} scenarios"))
    if ran:
        ratio = statistics.median(r.harness / r.direct for r in ran)
        out.append(Target("harness time / the step scripts run directly in the runner", f"≤ {OVERHEAD:g}x",
                          f"{ratio:.2f}x", ratio <= OVERHEAD, f"median of {len(ran)} scenarios"))
    return out


def against_act(ours, theirs, step_work: float | None) -> list[Target]:
    """The targets of the N-step comparison; `step_work` is the mean seconds a step's own process
    took inside the runner (from the traces), which the per-step target excludes."""
    (a1, b1), (a2, b2) = ours.fit(), theirs.fit()
    above = b1 - step_work if step_work is not None else None
    behind = [n for n in sorted(ours.times)
              if statistics.median(ours.times[n]) >= statistics.median(theirs.times[n])]
    return [
        Target("per job: a in wall = a + b·N, a whole `gen simulate`", f"≤ {PER_JOB:g} s", _seconds(a1),
               a1 <= PER_JOB, f"act {a2:.2f} s"),
        # b below the steps' own time means the runs were too noisy to tell (a loaded machine): not judged.
        Target("per step: harness cost above the step's own work", f"≤ {PER_STEP * 1000:g} ms",
               f"{above * 1000:.1f} ms" if above is not None else None,
               above <= PER_STEP if above is not None and above >= 0 else None,
               f"b {b1 * 1000:.1f} ms − the step's own work "
               + (f"{step_work * 1000:.1f} ms" if step_work is not None else "(not read)")
               + f"; act b {b2 * 1000:.0f} ms"),
        Target("ahead of act at every N", "every N", "every N" if not behind else "behind at N = "
               + ", ".join(map(str, behind)), not behind, "median wall of each N's runs"),
    ]


def not_measured(reason: str) -> list[Target]:
    return [Target(name, wanted, None, None, reason) for name, wanted in (
        ("per job: a in wall = a + b·N, a whole `gen simulate`", f"≤ {PER_JOB:g} s"),
        ("per step: harness cost above the step's own work", f"≤ {PER_STEP * 1000:g} ms"),
        ("ahead of act at every N", "every N"))]


def report(targets: list[Target], load: tuple[float, float], cores: int | None) -> str:
    width = max(len(t.name) for t in targets)
    lines = [f"targets (load average {load[0]:.1f} → {load[1]:.1f} on {cores} cores during this run):",
             f"  {'target':<{width}}  {'wanted':>8}  {'measured':>9}  met"]
    for t in targets:
        met = "not measured" if t.met is None and t.measured is None else "n/a" if t.met is None else \
            "yes" if t.met else "NO"
        lines.append(f"  {t.name:<{width}}  {t.wanted:>8}  {t.measured or '-':>9}  {met}"
                     + (f"  ({t.note})" if t.note else ""))
    met = sum(1 for t in targets if t.met)
    lines.append(f"{met}/{len(targets)} targets met")
    return "\n".join(lines)
