"""The workflows a timeline runs against: the one under test, and each variant (config overrides and
historical bugs rendered on the spot, or text edits on the workflow under test). Where the config
differs from what a timeline assumes, the as-is run and the variants render with the assumption."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from generator import gate
from generator import render as rendering
from generator import rules
from generator.config import Config, Dispatch, Gate, Tags
from generator.loader import KEY, InputError, one_line
from pydantic import ValidationError

from harness.library.loader import problem
from harness.library.timeline import Timeline, TimelineExpect
from harness.workflow.model import Workflow

from . import workflows


@dataclass(frozen=True)
class Subject:
    variant: str
    workflow: Workflow
    display: str
    expect: TimelineExpect
    target_tag: str  # the config's tags.target
    short_sha_length: int  # the config's tags.short_sha_length: the candidate tag's `{short}`
    dispatch_input: str  # the config's dispatch.input: the workflow_dispatch input holding the SHA


def subjects(timeline: Timeline, base_path: Path, config: Config | None) -> list[Subject]:
    base_text = base_path.read_text(encoding="utf-8")
    assumed = unmet(config, timeline.assumes) if config else {}
    if assumed or (timeline.assumes_render and config is not None and not _is_render(base_text, config)):
        as_is = override(config, assumed, timeline, None)
        shown = _display(assumed, []) + " (assumed)" if assumed else \
            f"rendered from the config (assumed: the generator's render, not {base_path})"
        out = [_subject("as-is", rendering.render(as_is, "config").text, shown, timeline.expect, as_is)]
    else:
        out = [_subject("as-is", base_text, str(base_path), timeline.expect, config)]
    for i, v in enumerate(timeline.variants):
        text, display, variant_config = base_text, str(base_path), config
        if v.config or v.history or assumed:
            if config is None:
                raise InputError(problem(timeline, ("variants", i, "config"),
                                         "a config to render from: this variant needs --config", v.config))
            variant_config = override(config, {**assumed, **v.config}, timeline, i)
            text = rendering.render(variant_config, "config", frozenset(v.history)).text
            display = _display({**assumed, **v.config}, v.history)
        for j, edit in enumerate(v.edits):
            if text.count(edit.find) != 1:
                raise InputError(problem(timeline, ("variants", i, "edits", j, "find"),
                                         f"text found once in the workflow {display} (found "
                                         f"{text.count(edit.find)} times)", edit.find))
            text = text.replace(edit.find, edit.replace)
        if v.edits:
            display += f" + {len(v.edits)} edit(s) ({v.name})"
        out.append(_subject(v.name, text, display, v.expect, variant_config))
    return out


def _is_render(text: str, config: Config) -> bool:
    """Whether a workflow is the config's render, comments and layout aside."""
    load = YAML(typ="safe").load
    return load(text) == load(rendering.render(config, "config").text)


def _display(changes: dict, history: list[str]) -> str:
    shown = [f"{k}={val}" for k, val in sorted(changes.items())]
    return "rendered with " + ", ".join(shown + [f"the bug {bug}" for bug in history])


def _subject(variant: str, text: str, display: str, expect: TimelineExpect, config: Config | None) -> Subject:
    tags, dispatch = (config.tags, config.dispatch) if config else (Tags(), Dispatch())  # else the defaults
    return Subject(variant, workflows.parse(text, display), display, expect, tags.target, tags.short_sha_length,
                   dispatch.input)


def unmet(config: Config, assumes: dict) -> dict:
    """The assumed settings the config does not already have (a gate table counts as met when it takes
    the same action on every run state; an absent permission is `none`)."""
    data = config.model_dump()
    out = {}
    for dotted, value in assumes.items():
        if dotted == "gate.arms":
            wanted = Gate.model_validate({"arms": value})
            met = all(gate.decide(config.gate, s).action == gate.decide(wanted, s).action for s in gate.universe())
        else:
            node = data
            for part in dotted.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            met = node == value or (dotted.startswith("permissions.") and value == "none" and node is None)
        if not met:
            out[dotted] = value
    return out


def _at(timeline: Timeline, index: int | None, key: str) -> tuple:
    """Where an override is written: the variant's `config:` (index), else the timeline's `assumes:`."""
    if index is not None and key in timeline.variants[index].config:
        return ("variants", index, "config", key)
    return ("assumes", key)


def override(config: Config, changes: dict, timeline: Timeline, index: int | None) -> Config:
    """The config with dotted-key overrides (variant `index`'s over the timeline's assumptions, or the
    assumptions alone when None); a bad one is reported at its key in the timeline file."""
    data = copy.deepcopy(config.model_dump())
    for dotted, value in changes.items():
        node, seen = data, []
        *parents, last = dotted.split(".")
        for part in parents:
            seen.append(part)
            node = node.setdefault(part, {}) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                raise InputError(problem(timeline, _at(timeline, index, dotted) + (KEY,),
                                         f"a dotted key through config sections, but {'.'.join(seen)} is not one",
                                         dotted))
        node[last] = value
    try:
        changed = Config.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        key = next((k for k in changes if field == k or field.startswith(k + ".")), field)
        message = one_line(error["msg"])
        at_key = (KEY,) if error["type"] == "extra_forbidden" else ()
        raise InputError(problem(timeline, _at(timeline, index, key) + at_key,
                                 f"a valid config once overridden ({field}: {message[:1].lower() + message[1:]})",
                                 changes.get(key, error.get("input")))) from None
    problems = rules.check(changed)
    if problems:
        first = problems[0]
        raise InputError(problem(timeline, ("assumes",) if index is None else ("variants", index, "config"),
                                 f"an override the config's rules accept: {first.expected}", first.got))
    return changed
