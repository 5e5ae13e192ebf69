"""Render each step's bash from its Jinja2 template, keeping a map back to template lines.

Every template line that produces output gets an invisible marker at its end before Jinja
compiles it; after rendering, each output line takes the first marker at or after it. That
lets `gen check` report a shellcheck finding as `templates/steps/gate.sh.j2:42`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MARK = re.compile("\x1e([^\x1f]*)\x1f")
TAG_ONLY = re.compile(r"^\s*(\{%.*%\}|\{#.*#\})\s*$")


@dataclass(frozen=True)
class Script:
    template: str  # e.g. "steps/gate.sh.j2"
    text: str
    origins: tuple[tuple[str, int], ...]  # (template, line) per output line

    def origin(self, line: int) -> str:
        """`templates/<file>:<line>` for a 1-based output line."""
        name, source_line = self.origins[min(line, len(self.origins)) - 1]
        return f"templates/{name}:{source_line}"


class MarkingLoader(jinja2.FileSystemLoader):
    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return _mark(template, source), filename, uptodate


def _mark(name: str, source: str) -> str:
    out = []
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip() and not TAG_ONLY.match(line):
            line += f"\x1e{name}:{number}\x1f"
        out.append(line)
    return "\n".join(out)


@functools.lru_cache(maxsize=4)
def environment(root: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=MarkingLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        # bash's ${#array[@]} would open a default Jinja comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["dq"] = double_quoted
    env.filters["comment"] = comment_text
    return env


def double_quoted(value: str) -> str:
    """Escape text for the inside of a bash double-quoted string.

    GitHub expands `${{ … }}` in a `run:` script before bash reads it, so a `$` followed by `{{`
    also closes and reopens the quotes (`\\$""{{`): bash prints the same text, GitHub sees no expression.
    """
    escaped = re.sub(r'([\\"$`])', r"\\\1", str(value))
    return escaped.replace("\\${{", '\\$""{{')


def comment_text(value: str) -> str:
    """Text for a bash comment inside `run:`, where GitHub would still expand `${{`."""
    return str(value).replace("${{", "$\\{{")


def render(env: jinja2.Environment, template: str, context: dict) -> Script:
    marked = env.get_template(template).render(**context)
    text, origins = _unmark(marked)
    return Script(template, text, tuple(origins))


def _unmark(marked: str) -> tuple[str, list[tuple[str, int]]]:
    lines = marked.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    origins: list = [None] * len(lines)
    pending: list[int] = []
    last = ("?", 0)
    for i, line in enumerate(lines):
        found = MARK.search(line)
        pending.append(i)
        if found:
            name, _, number = found.group(1).rpartition(":")
            last = (name, int(number))
            for j in pending:
                origins[j] = last
            pending = []
        lines[i] = MARK.sub("", line)
    for j in pending:
        origins[j] = last
    return "".join(line + "\n" for line in lines), origins
