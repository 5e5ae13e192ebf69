"""A reader for the bash these promotion workflows embed: logical lines, words with their quoting,
`case` arms, `if` blocks, `{ …; } >> FILE` groups and `$(…)` substitutions.

It reads the small shell subset the seed family uses and says where it stops understanding; it
never runs anything. Positions are the file's own line numbers, so every note can name its line.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line in the workflow file
    text: str  # stripped; continuation lines joined with a space

    @property
    def is_comment(self) -> bool:
        return self.text.startswith("#")


@dataclass(frozen=True)
class Part:
    """A piece of a word: literal text, a `$NAME`/`${…}` expansion, a `${{ … }}` expression, or `$(…)`."""

    kind: str  # "lit" | "var" | "expr" | "cmd"
    text: str  # for var: what is inside ${…} or after $; for expr: the expression; for cmd: the command


@dataclass(frozen=True)
class Word:
    parts: tuple[Part, ...]
    raw: str

    @property
    def literal(self) -> str | None:
        """The word's text when it is all literal, else None."""
        if all(p.kind == "lit" for p in self.parts):
            return "".join(p.text for p in self.parts)
        return None


class ShellError(ValueError):
    """Text outside the subset this reader understands; the message says what, `line` where."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@contextmanager
def at(line: "Line") -> Iterator[None]:
    """Errors raised while reading `line` carry its number."""
    try:
        yield
    except ShellError as exc:
        if exc.line is None:
            exc.line = line.number
        raise


def logical_lines(script: str, first_line: int) -> list[Line]:
    """Non-blank lines with `\\` continuations joined; `first_line` is the file line of the script's line 1."""
    out: list[Line] = []
    pending: list[str] = []
    start = first_line
    for offset, raw in enumerate(script.splitlines()):
        text = raw.strip()
        if not pending:
            start = first_line + offset
        if text.endswith("\\") and not text.startswith("#"):
            pending.append(text[:-1].rstrip())
            continue
        pending.append(text)
        joined = " ".join(p for p in pending if p)
        pending = []
        if joined:
            out.append(Line(start, joined))
    if pending:
        out.append(Line(start, " ".join(pending)))
    return out


def words(text: str) -> list[Word]:
    """Split a command line into words, keeping expansions apart from literal text.

    Operators (`|`, `||`, `&&`, `;`, `>>`, `>`, `2>`) come back as one-part literal words of their own.
    """
    out: list[Word] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == "#":
            break
        op = _operator(text, i)
        if op:
            out.append(Word((Part("lit", op),), op))
            i += len(op)
            continue
        start, parts = i, []
        while i < n and not text[i].isspace() and not _operator(text, i):
            ch = text[i]
            if ch == "'":
                end = text.find("'", i + 1)
                if end < 0:
                    raise ShellError("an unterminated single quote")
                parts.append(Part("lit", text[i + 1:end]))
                i = end + 1
            elif ch == '"':
                i = _double_quoted(text, i + 1, parts)
            else:
                i = _character(text, i, parts, escapable=None)
        out.append(Word(_merge(parts), text[start:i]))
    return out


def _operator(text: str, i: int) -> str | None:
    for op in ("2>&1", "2>", "||", "&&", ">>", "|", ";", ">"):
        if text.startswith(op, i):
            if op == "2>" and i and not text[i - 1].isspace():
                continue
            return op
    return None


def _double_quoted(text: str, i: int, parts: list[Part]) -> int:
    while i < len(text):
        if text[i] == '"':
            return i + 1
        i = _character(text, i, parts, escapable='"\\$`')
    raise ShellError("an unterminated double quote")


def _character(text: str, i: int, parts: list[Part], escapable: str | None) -> int:
    """One character (or escape, or expansion) at `i`; a backslash escapes any character outside
    quotes (`escapable` None) and only those in `escapable` inside double quotes."""
    ch = text[i]
    if ch == "\\" and i + 1 < len(text) and (escapable is None or text[i + 1] in escapable):
        parts.append(Part("lit", text[i + 1]))
        return i + 2
    if ch == "$":
        return _dollar(text, i, parts)
    if ch == "`":
        raise ShellError("a backtick command substitution")
    parts.append(Part("lit", ch))
    return i + 1


def _dollar(text: str, i: int, parts: list[Part]) -> int:
    if text.startswith("${{", i):
        end = text.find("}}", i + 3)
        if end < 0:
            raise ShellError("an unterminated ${{ expression")
        parts.append(Part("expr", text[i + 3:end].strip()))
        return end + 2
    if text.startswith("${", i):
        end = text.find("}", i + 2)
        if end < 0:
            raise ShellError("an unterminated ${")
        parts.append(Part("var", text[i + 2:end]))
        return end + 1
    if text.startswith("$(", i):
        end = matching_paren(text, i + 1)
        parts.append(Part("cmd", text[i + 2:end]))
        return end + 1
    match = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9#?@*$!-]").match(text, i + 1)
    if not match:
        parts.append(Part("lit", "$"))
        return i + 1
    parts.append(Part("var", match.group(0)))
    return match.end()


def matching_paren(text: str, open_at: int) -> int:
    """Index of the `)` closing the `(` at `open_at`, skipping quoted text."""
    depth, i, quote = 0, open_at, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ShellError("an unclosed $(")


def _merge(parts: list[Part]) -> tuple[Part, ...]:
    out: list[Part] = []
    for part in parts:
        if out and part.kind == "lit" and out[-1].kind == "lit":
            out[-1] = Part("lit", out[-1].text + part.text)
        else:
            out.append(part)
    return tuple(out)


# --- structure -------------------------------------------------------------------------------

@dataclass
class Arm:
    patterns: list[str]
    line: int
    body: list[Line] = field(default_factory=list)


@dataclass
class Case:
    subject: Word
    line: int
    arms: list[Arm]
    end: int  # index after `esac`


CASE = re.compile(r"^case\s+(.+?)\s+in$")
ARM = re.compile(r"^([^()]+)\)\s*(.*)$")


def read_case(lines: list[Line], start: int) -> Case:
    """The `case … in … esac` that opens at `lines[start]`."""
    match = CASE.match(lines[start].text)
    if not match:
        raise ShellError("`case WORD in` expected")
    subject = words(match.group(1))[0]
    arms: list[Arm] = []
    current: Arm | None = None
    depth = 0
    i = start + 1
    while i < len(lines):
        text = lines[i].text
        if depth == 0 and text == "esac":
            return Case(subject, lines[start].number, arms, i + 1)
        if CASE.match(text):
            depth += 1
        elif text == "esac":
            depth -= 1
        if depth == 0 and current is None and not lines[i].is_comment:
            head = ARM.match(text)
            if not head:
                raise ShellError("a case arm `pattern)` expected", lines[i].number)
            current = Arm([p.strip().strip('"') for p in head.group(1).split("|")], lines[i].number)
            rest = head.group(2).strip()
            if rest.endswith(";;"):
                rest = rest[:-2].strip()
                if rest:
                    current.body.append(Line(lines[i].number, rest))
                arms.append(current)
                current = None
            elif rest:
                current.body.append(Line(lines[i].number, rest))
        elif depth == 0 and current is not None and text.endswith(";;"):
            rest = text[:-2].strip()
            if rest:
                current.body.append(Line(lines[i].number, rest))
            arms.append(current)
            current = None
        elif current is not None:
            current.body.append(lines[i])
        i += 1
    raise ShellError("`case` without `esac`", lines[start].number)


@dataclass
class If:
    condition: str
    line: int
    then: list[Line]
    otherwise: list[Line]
    end: int  # index after `fi`


IF = re.compile(r"^if\s+(.+?);\s*then$")


def read_if(lines: list[Line], start: int) -> If:
    """The `if COND; then … [else …] fi` that opens at `lines[start]` (no `elif`)."""
    match = IF.match(lines[start].text)
    if not match:
        raise ShellError("`if …; then` expected")
    then: list[Line] = []
    otherwise: list[Line] = []
    target, depth = then, 0
    for i in range(start + 1, len(lines)):
        text = lines[i].text
        if IF.match(text):
            depth += 1
        elif text == "fi" and depth:
            depth -= 1
        elif text == "fi":
            return If(match.group(1), lines[start].number, then, otherwise, i + 1)
        elif text == "else" and depth == 0:
            target = otherwise
            continue
        elif text.startswith("elif ") and depth == 0:
            raise ShellError("`elif`", lines[i].number)
        target.append(lines[i])
    raise ShellError("`if` without `fi`", lines[start].number)


@dataclass
class Group:
    body: list[Line]
    redirect: str | None  # the file `} >> FILE` appends to, as written (e.g. `$GITHUB_STEP_SUMMARY`)
    line: int
    end: int


def read_group(lines: list[Line], start: int) -> Group:
    """The `{ … } >> FILE` group that opens at `lines[start]`."""
    if lines[start].text != "{":
        raise ShellError("`{` expected")
    depth = 0
    for i in range(start + 1, len(lines)):
        text = lines[i].text
        if text == "{":
            depth += 1
        elif text.startswith("}") and depth:
            depth -= 1
        elif text.startswith("}"):
            rest = words(text[1:])
            redirect = rest[1].raw.strip('"') if len(rest) >= 2 and rest[0].raw == ">>" else None
            return Group(lines[start + 1:i], redirect, lines[start].number, i + 1)
    raise ShellError("`{` without `}`", lines[start].number)


# --- commands --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Command:
    argv: list[Word]
    appends_to: str | None  # `>> FILE`, as written


def command(text: str) -> Command:
    """One simple command: its words and the file it appends to (other redirections dropped)."""
    argv: list[Word] = []
    appends, skip = None, False
    ws = words(text)
    for index, word in enumerate(ws):
        if skip:
            skip = False
            continue
        if word.raw in (">>", ">", "2>"):
            if word.raw == ">>" and index + 1 < len(ws):
                appends = ws[index + 1].raw.strip('"')
            skip = True
            continue
        if word.raw == "2>&1":
            continue
        argv.append(word)
    return Command(argv, appends)


def echo_parts(text: str) -> list[Part] | None:
    """What `echo …` prints, as parts (echo joins its arguments with one space); None if not an echo."""
    cmd = command(text)
    if not cmd.argv or cmd.argv[0].raw != "echo":
        return None
    out: list[Part] = []
    for index, word in enumerate(cmd.argv[1:]):
        if index:
            out.append(Part("lit", " "))
        out += word.parts
    return list(_merge(out))


def flags(argv: list[Word]) -> dict[str, Word]:
    """`--name VALUE` pairs of a command line."""
    out: dict[str, Word] = {}
    for index, word in enumerate(argv):
        if word.raw.startswith("--") and index + 1 < len(argv) and not argv[index + 1].raw.startswith("--"):
            out[word.raw[2:]] = argv[index + 1]
    return out


@dataclass(frozen=True)
class Substitution:
    variable: str
    command: str
    fallback: str | None  # the `|| …` after the command, inside `$(…)`
    negated: bool  # `if ! VAR=$(…)`


ASSIGN = re.compile(r"^(?:if\s+(!)\s+)?([A-Za-z_][A-Za-z0-9_]*)=\$\(")


def substitution(text: str) -> Substitution | None:
    """`VAR=$(cmd … || fallback)` or `if ! VAR=$(cmd …); then`."""
    match = ASSIGN.match(text)
    if not match:
        return None
    end = matching_paren(text, match.end() - 1)
    inner = text[match.end():end]
    main, fallback = split_or(inner)
    return Substitution(match.group(2), main.strip(), fallback.strip() if fallback else None, bool(match.group(1)))


def split_or(text: str) -> tuple[str, str | None]:
    """Split at the first `||` outside quotes."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif text.startswith("||", i):
            return text[:i], text[i + 2:]
    return text, None


def test_operands(condition: str) -> list[Word] | None:
    """The words inside `[ … ]` or `[[ … ]]`, or None for any other condition."""
    ws = words(condition)
    if len(ws) >= 2 and ws[0].raw in ("[", "[[") and ws[-1].raw in ("]", "]]"):
        return ws[1:-1]
    return None
