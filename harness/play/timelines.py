"""Every timeline against the workflow under test and each of its variants, in warm pods with one
runner per run that may overlap. Built-in timelines are played in the config's names (`harness/library/fit.py`)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from generator.config import Config
from harness.checks import timeline_expectations
from harness.library.fit import fit
from harness.library.timeline import Timeline
from harness.pod.pod import Pod
from harness.trace.timeline import TimelineTrace

from harness.world.registries import default_plays

from . import variants, workflows
from .pods import Play
from .timeline_play import TimelinePlayer


def fitted(timelines: list[Timeline], config: Config | None, progress: Callable[[str], None] = print) -> list[Timeline]:
    """The timelines in the config's names, without those that cannot apply to it (each said why)."""
    out = []
    for timeline in timelines:
        result = fit(timeline, config)
        if result.timeline is None:
            progress(f"timeline {timeline.name}: skipped for this config: {result.skipped}")
        else:
            result.timeline._origin = timeline._origin  # a problem found later is still reported in its file
            out.append(result.timeline)
    return out


def prepare(timelines: list[Timeline], workflow_path: Path, config: Config | None,
            progress: Callable[[str], None] = print) -> list:
    """Each timeline that applies, fitted to the config, with each workflow it plays against: every variant
    rendered or edited and checked, so a bad one is reported before any pod starts (scenarios run first)."""
    timelines = fitted(timelines, config, progress)
    if not timelines:
        return []
    workflows.load(workflow_path)
    workflows.check_registry_keys(timelines, default_plays(config)[0], config)
    return [(t, s) for t in timelines for s in variants.subjects(t, workflow_path, config)]


def run_timelines(timelines: list[Timeline], workflow_path: Path, config: Config | None,
                  progress: Callable[[str], None] = print, watch=None, subjects: list | None = None,
                  pods: int = 1) -> list[TimelineTrace]:
    """`watch` (optional) hears `start(name)` and `finish(name, passed)` for each timeline variant;
    `subjects` is what `prepare` gave (prepared here when not given)."""
    from .library_run import run_library  # it plays these timelines' runs, so it imports this module

    if subjects is None:
        subjects = prepare(timelines, workflow_path, config, progress)
    return run_library([], subjects, workflow_path, progress, config, pods, watch)


def timeline_hosts(config: Config | None) -> list[str]:
    return sorted(default_plays(config)[0])  # every registry host the config logs in to


def runners_needed(subjects: list) -> int:
    """One runner per run that may overlap: the runs of a `together:` event, at least two."""
    return max([len(e.together or ()) for t, _ in subjects for e in t.events] + [2])


def plays(subjects: list, config: Config | None) -> list[Play]:
    """Each prepared timeline variant as a run for a pod; those that interleave runs go first (the long ones)."""
    def one(timeline: Timeline, subject):
        def play(pod: Pod) -> TimelineTrace:
            trace = TimelinePlayer(pod, timeline, subject, config).run()
            trace.checks = timeline_expectations.check(trace, subject.expect)
            return trace
        return play

    return [Play(f"{t.name}[{s.variant}]", one(t, s), heavy=any(e.together for e in t.events)) for t, s in subjects]
