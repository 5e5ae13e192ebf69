"""The library as `gen simulate` plays it: scenarios and timeline variants from one queue over
`--pods` warm pods, so the long timelines spread across the pods and overlap the scenarios.

A pod plays the hosts its runs need. When the scenarios need hosts the timelines do not (a
scenario's own `registry_hosts:`), each kind keeps pods of its own hosts, one kind after the other,
so no run sees a host it would not have seen alone."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from generator.config import Config
from harness.library.scenario import Scenario
from harness.pod import images

from .pods import play_all, scenario_hosts, scenario_plays
from .timelines import plays as timeline_plays
from .timelines import runners_needed, timeline_hosts


def run_library(scenarios: list[Scenario], subjects: list, workflow_path: Path,
                progress: Callable[[str], None] = print, config: Config | None = None, pods: int = 1,
                watch=None) -> list:
    """Scenario traces in order, then timeline traces in order; `subjects` are the timeline variants
    `timelines.prepare` gave."""
    plays, hosts = [], timeline_hosts(config)
    if scenarios:
        workflow, hosts = scenario_hosts(scenarios, workflow_path, config)
        plays = scenario_plays(scenarios, workflow, workflow_path, config)
    later = timeline_plays(subjects, config)
    built = images.ensure(progress=progress) if plays or later else None
    if plays and later and hosts != timeline_hosts(config):
        return (play_all(plays, built, pods, hosts, watch=watch)
                + play_all(later, built, pods, timeline_hosts(config), runners_needed(subjects), watch))
    runners = runners_needed(subjects) if later else 1
    return play_all(plays + later, built, pods, hosts, runners, watch)
