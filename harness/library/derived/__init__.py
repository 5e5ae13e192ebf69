"""The scenario library derived from a config: for any valid config, the scenarios that cover every
branch of the bash it renders, in its own names (repository, branch, triggers, the E2E workflow file,
every image, tag patterns, short-SHA length, target tag, label key, permissions), each stating its
intent. `gen simulate` runs it by default; `gen simulate --list` shows it."""
from __future__ import annotations

from generator.config import Config

from ..fit import fit
from ..scenario import Scenario
from ..timeline import Timeline
from . import ancestry, gate, registries, retag, triggers, verify
from .base import Names

AREAS = (triggers, gate, verify, ancestry, retag, registries)


def scenarios(config: Config) -> list[Scenario]:
    names = Names(config)
    return [s for area in AREAS for s in area.scenarios(names)]


def timelines(config: Config, builtin: list[Timeline]) -> list[Timeline]:
    """The built-in timelines played in this config's names (`harness/library/fit.py`: its workflows,
    images, candidate pattern, short length, target tag and branch), without those that cannot apply
    to it (a fault on a second image when it has one)."""
    fitted = (fit(t, config) for t in builtin)
    return [f.timeline for f in fitted if f.timeline is not None]
