"""Small helpers that turn config text into safe bash."""
from __future__ import annotations

import string

from .templating import double_quoted


def echo(text: str, fields: dict[str, str]) -> str:
    """`echo "…"` printing `text`, with {placeholders} expanded from bash variables.

    Everything except the placeholders is escaped, so config text can never run as code.
    """
    if text == "":
        return "echo"
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        out.append(double_quoted(literal))
        if name is not None:
            out.append(fields[name])
    # A literal ending in `$` next to one starting with `{{` must not join into an expression either.
    body = "".join(out).replace("\\${{", '\\$""{{')
    if "\\" in text:  # echo prints backslashes as they are, but printf says so to shellcheck (SC2028)
        return f"printf '%s\\n' \"{body}\""
    return f'echo "{body}"'


def var(name: str) -> str:
    return "${" + name + "}"


def prefix(name: str, length: int) -> str:
    return "${" + f"{name}:0:{length}" + "}"


def candidate(pattern: str) -> str:
    """The candidate tag as a bash word, e.g. `staging-{short}` → `staging-${SHORT}`."""
    return pattern.replace("{short}", var("SHORT")).replace("{sha}", var("SHA"))
