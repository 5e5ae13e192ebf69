"""What an `echo` prints, turned back into config text: bash variables become `{placeholders}`,
literal braces are doubled, and anything with no placeholder is kept as text and noted."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import shell
from .source import Source

PREFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):0:([0-9]+)$")


@dataclass(frozen=True)
class Placeholders:
    """Which expansions stand for which placeholder in one step's messages."""

    plain: dict[str, str]  # `$NAME`, `${NAME}` or a `${{ expr }}` → placeholder
    prefixes: dict[str, str] = field(default_factory=dict)  # `${NAME:0:N}` → placeholder
    short_len: int = 7

    def name(self, part: shell.Part) -> tuple[str | None, str | None]:
        """(placeholder, problem) for an expansion."""
        if part.kind in ("var", "expr") and part.text in self.plain:
            return self.plain[part.text], None
        match = PREFIX.match(part.text) if part.kind == "var" else None
        if match and match.group(1) in self.prefixes:
            length = int(match.group(2))
            problem = None if length == self.short_len else f"a {length}-character prefix where the short SHA has {self.short_len}"
            return self.prefixes[match.group(1)], problem
        return None, None


def show(part: shell.Part) -> str:
    return {"var": f"${{{part.text}}}", "expr": f"${{{{ {part.text} }}}}", "cmd": f"$({part.text})"}.get(part.kind, part.text)


def config_text(parts: list[shell.Part], names: Placeholders, line: int, source: Source) -> str:
    out = []
    for part in parts:
        if part.kind == "lit":
            out.append(part.text.replace("{", "{{").replace("}", "}}"))
            continue
        name, problem = names.name(part)
        if problem:
            source.note(line, f"`{show(part)}`: {problem}; read as {{{name}}}")
        if name:
            out.append("{" + name + "}")
        else:
            source.note(line, f"`{show(part)}` has no config placeholder; kept as literal text")
            out.append(show(part).replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def echoed(line: shell.Line) -> list[shell.Part] | None:
    try:
        return shell.echo_parts(line.text)
    except shell.ShellError:
        return None


def printed(line: shell.Line) -> str | None:
    """The echo's text with expansions shown as written, for matching fixed lines."""
    parts = echoed(line)
    return None if parts is None else "".join(show(p) for p in parts)


def group_lines(group: shell.Group, names: Placeholders, source: Source) -> list[str]:
    """The lines a `{ echo …; } >> "$GITHUB_STEP_SUMMARY"` group writes, as config text."""
    out = []
    for line in group.body:
        if line.is_comment:
            continue
        parts = echoed(line)
        if parts is None:
            source.note(line.number, f"`{line.text}` in a summary is not an echo; not carried")
            continue
        out.append(config_text(parts, names, line.number, source))
    return out


def comment_text(lines: list[shell.Line]) -> str | None:
    """Bash comment lines as one paragraph, the way the config's `comment:` fields hold them."""
    text = " ".join(l.text.lstrip("#").strip() for l in lines if l.is_comment)
    text = " ".join(text.split())
    return text or None
