"""The parts of a workflow's shape check that are about text: collecting positioned problems, and
every `${{ }}` expression parsed with the contexts its place allows, reported at the `${{` itself."""
from __future__ import annotations

from typing import Any, Iterator

from generator.loader import InputError, dotted, key_position, one_line, position, where
from harness.expressions.errors import ExpressionSyntaxError
from harness.expressions.parser import parse as parse_expression
from harness.expressions.templates import split_template


class Problems:
    """Problems found, each with its position; the first in the file wins."""

    def __init__(self, doc: Any, path: str, text: str | None):
        self.doc, self.path = doc, path
        self.lines = text.splitlines() if text is not None else None
        self.found: list[tuple[tuple[int, int], str]] = []

    def add(self, loc: tuple, expected: str, got: Any = None, *, at_key: bool = False, show: bool = True) -> None:
        line, col = key_position(self.doc, loc) if at_key else position(self.doc, loc)
        self.add_at((line, col), loc, expected, got if show else NOTHING)

    def add_at(self, at: tuple[int, int], loc: tuple, expected: str, got: Any = None) -> None:
        shown = "" if got is NOTHING else f" (got {show(got)})"
        self.found.append((at, f"{where(self.path, *at)}: {dotted(loc)}: {one_line(expected)}{shown}"))

    def raise_first(self) -> None:
        if self.found:
            raise InputError(min(self.found)[1])


NOTHING = object()


def show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, bool):
        return f"a boolean {str(value).lower()!r}"
    if isinstance(value, (int, float)):
        return f"a number {value!r}"
    text = repr(str(value))
    return text if len(text) <= 60 else text[:57] + "..."


def is_expression(text: str) -> bool:
    return text.strip().startswith("${{") and text.strip().endswith("}}")


def condition(found: Problems, node: dict, loc: tuple, contexts: tuple[str, ...]) -> None:
    """`if:` is an expression with or without `${{ }}`."""
    key = loc[-1]
    if key not in node or not isinstance(node[key], str):
        if key in node and isinstance(node[key], (dict, list)):
            found.add(loc, "a condition (an expression)", node[key])
        return
    text = node[key]
    if "${{" in text:
        expressions_in(found, node, loc, contexts, node_loc=(key,))
        return
    problem = _syntax(text, contexts)
    if problem:
        found.add_at(_offset_position(found, node, key, text, 0), loc, f"a valid expression ({problem})",
                     NOTHING)


def expressions_in(found: Problems, node: Any, loc: tuple, contexts: tuple[str, ...] = (),
                   node_loc: tuple | None = None) -> None:
    """Every `${{ }}` in the string at node[key] parses, naming only `contexts`."""
    key = (node_loc or loc[-1:])[0]
    if not isinstance(node, dict) or key not in node or not isinstance(node[key], str):
        return
    text = node[key]
    if "${{" not in text:
        return
    for offset, problem in _expressions(text, contexts):
        found.add_at(_offset_position(found, node, key, text, offset), loc, problem, NOTHING)
        return


def _expressions(text: str, contexts: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(offset of `${{`, what is wrong) for each bad expression in `text`."""
    try:
        split_template(text)
    except ExpressionSyntaxError:
        start = text.find("${{")
        yield start, "a `${{` closed by `}}`"
        return
    start = 0
    while (start := text.find("${{", start)) >= 0:
        end = _closing(text, start + 3)
        problem = _syntax(text[start + 3:end], contexts) if contexts else "text without `${{ }}` (no expressions here)"
        if problem:
            yield start, problem if not contexts else f"a valid expression ({problem})"
        start = end + 2


def _closing(text: str, pos: int) -> int:
    in_string = False
    for index in range(pos, len(text) - 1):
        if text[index] == "'":
            in_string = not in_string
        elif not in_string and text.startswith("}}", index):
            return index
    return len(text)


def _syntax(expression: str, contexts: tuple[str, ...]) -> str:
    if not expression.strip():
        return "an expression inside `${{ }}`"
    try:
        parse_expression(expression, contexts)
    except ExpressionSyntaxError as exc:
        return one_line(str(exc))
    except RecursionError:
        return "an expression nested less deeply"
    return ""


def _offset_position(found: Problems, node: dict, key: Any, text: str, offset: int) -> tuple[int, int]:
    """Where character `offset` of the string node[key] is in the file (its start when that cannot be told)."""
    try:
        line, col = node.lc.value(key)
    except (AttributeError, KeyError, TypeError):
        return 1, 1
    line, col = line + 1, col + 1
    lines = found.lines
    if lines is None or line > len(lines):
        return line, col
    source = lines[line - 1]
    indicator = source[col - 1:col]
    if indicator in ("|", ">"):
        row = text.count("\n", 0, offset)
        in_row = offset - (text.rfind("\n", 0, offset) + 1)
        content = line + 1 + row
        if indicator == "|" and content <= len(lines):
            indent = len(lines[content - 1]) - len(lines[content - 1].lstrip(" "))
            return content, indent + in_row + 1
        return line + 1, col
    if "\n" in text[:offset]:
        return line, col
    quoted = indicator in ("'", '"')
    return line, col + offset + (1 if quoted else 0)
