"""A config as the commented YAML file `gen init` writes: each section opens with its field's
description from the schema (the one place those words live), values go through the emitter."""
from __future__ import annotations

import io
import textwrap
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from ..config import Config

WIDTH = 96
# Written even when they hold the default: these are the decisions a reviewer must see.
ALWAYS = {
    "workflow.name", "workflow.output", "branch", "permissions", "permission_notes", "concurrency.policy",
    "tags.candidate", "tags.target", "tags.short_sha_length", "setup_crane.uses", "setup_crane.sha",
    "setup_crane.version", "gate.on_api_error", "gate.arms", "ancestry.no_label", "ancestry.on_dispatch",
    "retag.protect_split", "docs.readme", "docs.schemas",
}
# Nested fields whose description is written above them, because they are the safety switches.
EXPLAINED = {"gate.on_api_error", "gate.arms", "concurrency.policy", "ancestry.no_label", "ancestry.on_dispatch",
             "retag.protect_split", "tags.candidate", "setup_crane.sha"}
FLOW_LISTS = {"match"}


def dump(config: Config, header: list[str], notes: dict[str, str] | None = None) -> str:
    """The file's text: `header` lines as comments, then one commented section per top-level field.

    `notes` adds a comment above a dotted field (e.g. where a value came from)."""
    notes = notes or {}
    data = config.model_dump(mode="json")
    out = ["".join(f"# {line}".rstrip() + "\n" for line in header)]
    for name, field in Config.model_fields.items():
        value = _prune(data[name], _default(Config, name), name)
        if value is _DROP:
            continue
        body = _node(value, name)
        if isinstance(body, CommentedMap) and isinstance(getattr(config, name), BaseModel):
            _explain(body, getattr(config, name), name, notes)
        section = _dump({name: body})
        comment = [field.description or ""] + ([notes[name]] if name in notes else [])
        out.append(_comment(comment, 0) + section)
    return "\n".join(out)


_DROP = object()


def _default(model: type[BaseModel], name: str) -> Any:
    field = model.model_fields[name]
    if field.is_required():
        return _DROP
    value = field.get_default(call_default_factory=True)
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else _json(value)


def _json(value: Any) -> Any:
    if isinstance(value, list):
        return [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    return value


def _prune(value: Any, default: Any, path: str) -> Any:
    """Drop what equals its default, unless the path is one the reader must see."""
    if path in ALWAYS:
        return value
    if isinstance(value, dict) and isinstance(default, dict):
        kept = {}
        for key, item in value.items():
            pruned = _prune(item, default.get(key, _DROP), f"{path}.{key}")
            if pruned is not _DROP:
                kept[key] = pruned
        return kept or _DROP
    if value == default or value is None:
        return _DROP
    return value


def _node(value: Any, key: str = "", in_list: bool = False) -> Any:
    if isinstance(value, dict):
        # Items of a list (gate arms, images) leave out their empty optional fields.
        items = {k: v for k, v in value.items() if not (in_list and v in (None, []))}
        # So do the logins under `registries` (keyed by host, one mapping each).
        return CommentedMap((k, _node(v, k, in_list=key == "registries")) for k, v in items.items())
    if isinstance(value, list):
        seq = CommentedSeq(_node(v, in_list=True) for v in value)
        if key in FLOW_LISTS:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def _explain(node: CommentedMap, model: BaseModel, path: str, notes: dict[str, str], indent: int = 2) -> None:
    for key in node:
        dotted = f"{path}.{key}"
        field = type(model).model_fields.get(key)
        lines = ([field.description] if dotted in EXPLAINED and field and field.description else [])
        lines += [notes[dotted]] if dotted in notes else []
        if lines:
            node.yaml_set_comment_before_after_key(key, before="\n".join(_wrapped(lines, indent)), indent=indent)
        child = getattr(model, key, None)
        if isinstance(node[key], CommentedMap) and isinstance(child, BaseModel):
            _explain(node[key], child, dotted, notes, indent + 2)


def _wrapped(lines: list[str], indent: int) -> list[str]:
    out = []
    for line in lines:
        out += textwrap.wrap(line, WIDTH - indent - 2) or [""]
    return out


def _comment(lines: list[str], indent: int) -> str:
    return "".join(" " * indent + f"# {line}".rstrip() + "\n" for line in _wrapped([l for l in lines if l], indent))


def _dump(doc: CommentedMap) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 100_000  # never fold a line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    # `docs.readme: null` says "no README" out loud; an empty value reads like a forgotten one.
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()
