"""`${{ }}` templates: interpolation into strings and `if:` conditions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .errors import ExpressionError, ExpressionSyntaxError
from .evaluator import DEFAULT_STATUS, evaluate_tree
from .functions import STATUS_FUNCTIONS
from .parser import FunctionCall, Node, parse, walk
from .values import to_string, truthy

OPEN, CLOSE = "${{", "}}"


class Segment(NamedTuple):
    is_expression: bool
    text: str


def split_template(text: str) -> list[Segment]:
    """Literal text and the bodies of `${{ … }}`, in order."""
    segments, pos = [], 0
    while (start := text.find(OPEN, pos)) >= 0:
        if start > pos:
            segments.append(Segment(False, text[pos:start]))
        end = _closing(text, start + len(OPEN))
        segments.append(Segment(True, text[start + len(OPEN):end]))
        pos = end + len(CLOSE)
    if pos < len(text):
        segments.append(Segment(False, text[pos:]))
    return segments


def _closing(text: str, pos: int) -> int:
    # A `}}` inside a quoted string does not close the expression.
    in_string = False
    for index in range(pos, len(text) - 1):
        if text[index] == "'":
            in_string = not in_string
        elif not in_string and text.startswith(CLOSE, index):
            return index
    raise ExpressionSyntaxError(
        f"The expression is not closed. An unescaped {OPEN} sequence was found, "
        f"but the closing {CLOSE} sequence was not found: {text}")


def _evaluate(expression: str, contexts: Mapping, status: Mapping | None):
    return evaluate_tree(parse(expression, contexts), contexts, status, expression)


def interpolate(text: str, contexts: Mapping, status: Mapping | None = None) -> str:
    """Replaces every `${{ expr }}` with its string form (null becomes '')."""
    return "".join(
        to_string(_evaluate(seg.text, contexts, status)) if seg.is_expression else seg.text
        for seg in split_template(text))


def evaluate_template(text: str, contexts: Mapping, status: Mapping | None = None):
    """A value that is exactly one `${{ expr }}` keeps its type; anything else is interpolated."""
    segments = split_template(text.strip())
    if len(segments) == 1 and segments[0].is_expression:
        return _evaluate(segments[0].text, contexts, status)
    return interpolate(text, contexts, status)


def parse_condition(text: str, contexts: Mapping) -> Node | None:
    """The parsed `if` (without `${{ }}`) for inspection, or None when it cannot be parsed."""
    body = text.strip()
    if body.startswith("${{") and body.endswith("}}"):
        body = body[3:-2]
    try:
        return parse(body, contexts)
    except ExpressionError:
        return None


def calls_status_function(tree: Node | None) -> bool:
    return any(isinstance(node, FunctionCall) and node.name.lexeme.lower() in STATUS_FUNCTIONS
               for node in walk(tree))


def evaluate_if(condition, contexts: Mapping, *,
                status: Mapping[str, bool] | None = None) -> bool:
    """GitHub's `if:` rules: optional `${{ }}`, implicit `success() && (…)`, empty means success()."""
    status = {**DEFAULT_STATUS, **(status or {})}
    text = condition_text(condition).strip()
    if not text:
        return bool(status["success"])
    segments = split_template(text)
    expressions = [seg.text for seg in segments if seg.is_expression] or [text]
    trees = [parse(expression, contexts) for expression in expressions]
    if not any(calls_status_function(tree) for tree in trees) and not status["success"]:
        return False
    if len(segments) > 1:
        # Text mixed with `${{ }}` yields a string, which is truthy unless empty.
        return truthy(interpolate(text, contexts, status))
    return truthy(evaluate_tree(trees[0], contexts, status, expressions[0]))


def condition_text(condition) -> str:
    """YAML may hand over `if: true` as a bool or `if: 1` as a number."""
    if condition is None:
        return ""
    return condition if isinstance(condition, str) else to_string(condition)
