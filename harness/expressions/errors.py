"""Exceptions raised while lexing, parsing or evaluating an expression."""

from __future__ import annotations


class ExpressionError(Exception):
    """Base class for every expression failure."""

    kind = "expression"


class ExpressionSyntaxError(ExpressionError):
    """The expression text is malformed (raised before anything is evaluated)."""


class LexerError(ExpressionSyntaxError):
    kind = "lexing"


class ParserError(ExpressionSyntaxError):
    kind = "parsing"


class EvaluationError(ExpressionError):
    kind = "evaluation"


def located(message: str, offset: int, expression: str) -> str:
    """The runner's wording: positions are 1-based offsets into the whole expression."""
    return f"{message}. Located at position {offset + 1} within expression: {expression}"
