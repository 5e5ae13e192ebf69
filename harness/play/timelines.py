"""Every timeline against the workflow under test and each of its variants, in one two-runner pod.
Built-in timelines are played in the config's names (`harness/library/fit.py`)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from generator.config import Config
from harness.checks import timeline_expectations
from harness.library.fit import fit
from harness.library.timeline import Timeline
from harness.pod import images
from harness.pod.pod import Pod
from harness.trace.timeline import TimelineTrace

from harness.world.registries import default_plays

from . import variants, workflows
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
    return [(t, s) for t in timelines for s in variants.subjects(t, workflow_path, config)]


def run_timelines(timelines: list[Timeline], workflow_path: Path, config: Config | None,
                  progress: Callable[[str], None] = print, watch=None, subjects: list | None = None
                  ) -> list[TimelineTrace]:
    """`watch` (optional) hears `start(name)` and `finish(name, passed)` for each timeline variant;
    `subjects` is what `prepare` gave (prepared here when not given)."""
    if subjects is None:
        subjects = prepare(timelines, workflow_path, config, progress)
    if not subjects:
        return []
    built = images.ensure(progress=progress)
    traces = []
    hosts = sorted(default_plays(config)[0])  # every registry host the config logs in to
    # One runner per run that may overlap: the runs of a `together:` event, at least two.
    overlapping = max([len(e.together or ()) for t, _ in subjects for e in t.events] + [2])
    with Pod(built, runners=overlapping, registry_hosts=hosts) as pod:
        for timeline, subject in subjects:
            label = f"{timeline.name}[{subject.variant}]"
            if watch:
                watch.start(label)
            trace = TimelinePlayer(pod, timeline, subject, config).run()
            trace.checks = timeline_expectations.check(trace, subject.expect)
            traces.append(trace)
            if watch:
                watch.finish(label, trace.passed)
    return traces
