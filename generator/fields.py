"""What config text may hold, checked when the config loads (so at `render`, not only at `check`).

Text reaches the workflow in three ways, and each kind of field is checked for where it goes:
- bash: escaped by `scripts.double_quoted` (which also breaks `${{`), so any printable text is safe;
- YAML values that GitHub and actionlint read as expressions (names, descriptions): through the
  emitter, and without `${{`, which GitHub would evaluate and no escape keeps literal everywhere;
- YAML comments: one line each, so a newline cannot end the comment.
Nothing may hold control characters, line or paragraph separators, or bidirectional overrides
(text a reviewer reads must show what it is).
"""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
EXPRESSION = "${{"


def _printable(value: str) -> str:
    bad = CONTROL.search(value)
    if bad:
        raise ValueError(f"text without control, separator or bidirectional-override characters "
                         f"(U+{ord(bad.group()):04X} at character {bad.start() + 1})")
    return value


def _line(value: str) -> str:
    _printable(value)
    if "\n" in value:
        raise ValueError("a single line")
    return value


def _name(value: str) -> str:
    _line(value)
    if not value.strip():
        raise ValueError("a name that is not blank")
    if value != value.strip() or "\t" in value:
        raise ValueError("a name without leading or trailing spaces or tabs")
    if "\\" in value:
        raise ValueError("a name without backslashes")
    if EXPRESSION in value:
        raise ValueError("a name without `${{` (GitHub would evaluate it as an expression)")
    return value


def _plain_line(value: str) -> str:
    _line(value)
    if EXPRESSION in value:
        raise ValueError("text without `${{` (GitHub would evaluate it as an expression)")
    return value


# Any printable text, several lines allowed (rendered as comments, one per line, or wrapped).
Text = Annotated[str, AfterValidator(_printable)]
# One printable line: bash echoes it escaped, or it becomes one YAML comment.
Line = Annotated[str, AfterValidator(_line)]
# One line the workflow holds as a YAML value GitHub evaluates (a description).
PlainLine = Annotated[str, AfterValidator(_plain_line)]
# A name: one line, not blank, no surrounding spaces, no `${{`.
Name = Annotated[str, AfterValidator(_name)]


GIT_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:\\?\[]")
FILTER_SPECIAL = re.compile(r"[+\]]")


def _branch(value: str) -> str:
    """A branch name as `git check-ref-format --branch` takes it; `*` is left to the glob warning."""
    _name(value)
    bad = GIT_FORBIDDEN.search(value) or FILTER_SPECIAL.search(value)
    if bad:
        raise ValueError(f"a branch name, without spaces or any of ~ ^ : \\ ? [ ] + (found {bad.group()!r})")
    parts = value.split("/")
    if (value.startswith(("-", "!", "/")) or value.endswith(("/", ".")) or ".." in value or "@{" in value
            or value == "@" or any(not p or p.startswith(".") or p.endswith(".lock") for p in parts)):
        raise ValueError("a branch name git accepts (no leading -, ! or /, no trailing / or ., no `..`, `@{` or "
                         "`//`, no part starting with . or ending in .lock)")
    return value


Branch = Annotated[str, AfterValidator(_branch)]

PATH_PART = re.compile(r"\.?[A-Za-z0-9_][A-Za-z0-9._+-]*")


def _project_path(value: str) -> str:
    """A file inside the project: relative, normalised, no `..`; the rest is checked when writing."""
    _line(value)
    if not value:
        raise ValueError("a file path relative to the project root (got nothing)")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise ValueError("a path relative to the project root, not an absolute one")
    parts = value.split("/")
    if ".." in parts:
        raise ValueError("a path inside the project, without `..`")
    if value.endswith("/") or any(p in ("", ".") for p in parts):
        raise ValueError("a normalised file path (no `./`, `//` or trailing /)")
    bad = next((p for p in parts if not PATH_PART.fullmatch(p) or p.endswith(".")), None)
    if bad is not None:
        raise ValueError(f"a path of plain names (letters, digits, . _ - +), not {bad!r}")
    return value


def _workflow_path(value: str) -> str:
    _project_path(value)
    if not value.endswith((".yml", ".yaml")):
        raise ValueError("a workflow file path ending in .yml or .yaml")
    return value


ProjectPath = Annotated[str, AfterValidator(_project_path)]
WorkflowPath = Annotated[str, AfterValidator(_workflow_path)]
