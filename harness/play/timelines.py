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

from . import variants, workflows
from harness.world.registries import default_plays

from .timeline_play import TimelinePlayer


def fitted(timelines: list[Timeline], config: Config | None, progress: Callable[[str], None] = print) -> list[Timeline]:
    """The timelines in the config's names, without those that cannot apply to it (each said why)."""
    out = []
    for timeline in timelines:
        result = fit(timeline, config)
        if result.timeline is None:
            progress(f"timeline {timeline.name}: skipped for this config: {result.skipped}")
        else:
            out.append(result.timeline)
    return out


def run_timelines(timelines: list[Timeline], workflow_path: Path, config: Config | None,
                  progress: Callable[[str], None] = print, watch=None) -> list[TimelineTrace]:
    """`watch` (optional) hears `start(name)` and `finish(name, passed)` for each timeline variant."""
    timelines = fitted(timelines, config, progress)
    if not timelines:
        return []
    workflows.load(workflow_path)  # a bad base workflow is reported before anything starts
    subjects = [(t, s) for t in timelines for s in variants.subjects(t, workflow_path, config)]
    built = images.ensure(progress=progress)
    traces = []
    hosts = sorted(default_plays(config)[0])  # every registry host the config logs in to
    # One runner per run that may overlap: the runs of a `together:` event, at least two.
    overlapping = max([len(e.together or ()) for t in timelines for e in t.events] + [2])
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
