"""The scenario library derived from a config: for any valid config, the scenarios that cover every
branch of the bash it renders, in its own names (repository, branch, triggers, the E2E workflow file,
every image, tag patterns, short-SHA length, target tag, label key, permissions), each stating its
intent. `gen simulate` runs it by default; `gen simulate --list` shows it."""
from __future__ import annotations

from generator.config import Config

from ..scenario import Scenario
from ..timeline import Timeline
from . import ancestry, gate, registries, retag, triggers, verify
from .base import Names

AREAS = (triggers, gate, verify, ancestry, retag, registries)


def scenarios(config: Config) -> list[Scenario]:
    names = Names(config)
    return [s for area in AREAS for s in area.scenarios(names)]


def timelines(config: Config, builtin: list[Timeline]) -> list[Timeline]:
    """The built-in timelines that play in this config's names (its E2E workflow, images and
    candidate pattern); timelines written for other names are not run by default."""
    repos = Names(config).repos()
    return [t for t in builtin if t.e2e.workflow == config.e2e_trigger.name and t.e2e.file == config.e2e.workflow_file
            and list(t.publisher.images) == repos
            and t.publisher.candidate == config.tags.candidate]
