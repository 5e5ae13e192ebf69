"""The workflows a timeline runs against: the one under test, and each variant (config overrides
rendered on the spot, or text edits on the workflow under test)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from generator import render as rendering
from generator import rules
from generator.config import Config
from generator.loader import InputError

from . import simulate, workflow_file
from .timeline import Expect, Timeline


@dataclass(frozen=True)
class Subject:
    variant: str
    workflow: workflow_file.Workflow
    display: str
    expect: Expect
    target_tag: str


def subjects(timeline: Timeline, base_path: Path, config: Config | None) -> list[Subject]:
    base_text = base_path.read_text(encoding="utf-8")
    tag = config.tags.target if config else "latest"
    out = [Subject("as-is", _parse(base_text, str(base_path)), str(base_path), timeline.expect, tag)]
    for v in timeline.variants:
        text, display = base_text, str(base_path)
        if v.config:
            if config is None:
                raise InputError(f"timeline {timeline.name}: variant {v.name} overrides the config; pass --config")
            text = rendering.render(override(config, v.config, timeline.name, v.name), "config").text
            display = "rendered with " + ", ".join(f"{k}={val}" for k, val in sorted(v.config.items()))
        for edit in v.edits:
            if text.count(edit.find) != 1:
                raise InputError(f"timeline {timeline.name}: variant {v.name}: edit text must occur once "
                                 f"(found {text.count(edit.find)} times): {edit.find!r}")
            text = text.replace(edit.find, edit.replace)
        if v.edits:
            display += f" + {len(v.edits)} edit(s) ({v.name})"
        out.append(Subject(v.name, _parse(text, display), display, v.expect, tag))
    return out


def override(config: Config, changes: dict, timeline: str, variant: str) -> Config:
    data = copy.deepcopy(config.model_dump())
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    try:
        changed = Config.model_validate(data)
    except Exception as exc:  # pydantic's message names the field
        raise InputError(f"timeline {timeline}: variant {variant}: bad config override ({exc})") from None
    problems = rules.check(changed)
    if problems:
        raise InputError(f"timeline {timeline}: variant {variant}: {problems[0].expected} (got {problems[0].got})")
    return changed


def _parse(text: str, display: str) -> workflow_file.Workflow:
    workflow = workflow_file.parse(YAML(typ="rt").load(text), display)
    try:
        simulate.check_supported(workflow)
    except simulate.UnsupportedWorkflow as exc:
        raise InputError(str(exc)) from None
    return workflow
