"""Workflow commands (`::notice::`, `::error file=…::`, `::add-mask::`…) read from step output.

The runner trims leading whitespace, then matches `::name props::data`; data unescapes %25,
%0D and %0A, properties also %3A and %2C. Unknown commands are ordinary log lines.

`set-env` and `add-path` are disabled unless the step's env context sets
ACTIONS_ALLOW_UNSECURE_COMMANDS to true (actions/runner ActionCommandManager: the command throws
UnsupportedCommandMessageDisabled, the runner logs it as an error and sets the step's result to
failed; with the opt-in, set-env sets a variable for later steps and add-path prepends to PATH).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

COMMAND = re.compile(r"^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$", re.S)
ANNOTATIONS = ("notice", "warning", "error")
UNSECURE = "ACTIONS_ALLOW_UNSECURE_COMMANDS"
DISABLED = ("The `{0}` command is disabled. Please upgrade to using Environment Files or opt into unsecure "
            "command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`. "
            "For more information see: "
            "https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/")


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
    notes: list[str] = field(default_factory=list)  # what the harness noticed
    allow_unsecure: bool = False  # ACTIONS_ALLOW_UNSECURE_COMMANDS=true in the step's env
    env: dict[str, str] = field(default_factory=dict)  # ::set-env:: with the opt-in
    path: list[str] = field(default_factory=list)  # ::add-path:: with the opt-in, in order
    failed: bool = False  # a command the runner refused: the step fails


def allows_unsecure(env: dict) -> bool:
    """The runner reads the opt-in with .NET's bool.TryParse: `true` in any case, blanks trimmed."""
    return str(env.get(UNSECURE, "")).strip().lower() == "true"


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
        _unsecure(name, props, data, state)
    elif name not in ("group", "endgroup", "debug", "echo", "save-state"):
        return False
    return True


def _unsecure(name: str, props: str | None, data: str, state: CommandState) -> None:
    if not state.allow_unsecure:
        state.annotations.append(Annotation("error", DISABLED.format(name)))
        state.failed = True
    elif name == "add-path":
        state.path = [p for p in state.path if p != data] + [data]
    else:
        key = dict(_properties(props)).get("name")
        if not key:
            state.annotations.append(Annotation("error", "Required field 'name' is missing in ##[set-env] command."))
            state.failed = True
        else:
            state.env[key] = data


def mask(text: str, secrets: list[str]) -> str:
    for secret in sorted(set(s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
