"""Workflow commands (`::notice::`, `::error file=…::`, `::add-mask::`…) read from step output.

The runner trims leading whitespace, then matches `::name props::data`; data unescapes %25,
%0D and %0A, properties also %3A and %2C. Unknown commands are ordinary log lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

COMMAND = re.compile(r"^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$", re.S)
ANNOTATIONS = ("notice", "warning", "error")


@dataclass(frozen=True)
class Annotation:
    level: str
    message: str
    properties: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        props = ",".join(f"{k}={v}" for k, v in self.properties)
        return f"{self.level}{' ' + props if props else ''}: {self.message}"


@dataclass
class CommandState:
    annotations: list[Annotation] = field(default_factory=list)
    masks: list[str] = field(default_factory=list)
    stopped_token: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)  # deprecated ::set-output::
    notes: list[str] = field(default_factory=list)  # what the harness noticed, e.g. disabled commands


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def _properties(raw: str | None) -> tuple[tuple[str, str], ...]:
    if not raw:
        return ()
    out = []
    for part in raw.split(","):
        key, sep, value = part.partition("=")
        if sep and key.strip():
            out.append((key.strip(), _unescape_property(value)))
    return tuple(out)


def process_line(line: str, state: CommandState) -> bool:
    """Apply a command found on `line`; True when the line was a command."""
    match = COMMAND.match(line.lstrip())
    if not match:
        return False
    name, props, data = match.group(1).lower(), match.group(2), match.group(3)
    if state.stopped_token is not None:
        if name == state.stopped_token.lower():
            state.stopped_token = None
            return True
        return False
    return _apply(name, props, _unescape_data(data), state)


def _apply(name: str, props: str | None, data: str, state: CommandState) -> bool:
    if name in ANNOTATIONS:
        state.annotations.append(Annotation(name, data, _properties(props)))
    elif name == "add-mask":
        if data.strip():
            state.masks.append(data.strip())
    elif name == "stop-commands":
        state.stopped_token = data
    elif name == "set-output":
        key = dict(_properties(props)).get("name")
        if key:
            state.outputs[key] = data
    elif name in ("set-env", "add-path"):
        state.notes.append(f"`{name}` is disabled on GitHub's runners; ignored")
    elif name not in ("group", "endgroup", "debug", "echo", "save-state"):
        return False
    return True


def mask(text: str, secrets: list[str]) -> str:
    for secret in sorted(set(s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
