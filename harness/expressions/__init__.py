"""GitHub Actions `${{ }}` expressions: lexer, parser and evaluator.

Semantics follow actions/runner and actions/languageservices (not nektos/act).
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import (EvaluationError, ExpressionError, ExpressionSyntaxError, LexerError,
                     ParserError)
from .evaluator import evaluate_tree
from .parser import parse
from .templates import (calls_status_function, condition_text, evaluate_if, evaluate_template,
                        interpolate, parse_condition, split_template)
from .values import kind_of, to_string, truthy

__all__ = [
    "EvaluationError", "ExpressionError", "ExpressionSyntaxError", "LexerError", "ParserError",
    "calls_status_function", "condition_text", "evaluate", "evaluate_if", "evaluate_template", "interpolate",
    "kind_of", "parse", "parse_condition", "split_template", "to_string", "truthy",
]


def evaluate(expr: str, contexts: Mapping | None = None, *,
             status: Mapping[str, bool] | None = None):
    """Evaluates one expression (without `${{ }}`); an empty expression is null.

    Only names present in `contexts` may be referenced. Without `status`, success() is true and
    failure()/cancelled() are false.
    """
    contexts = {} if contexts is None else contexts
    return evaluate_tree(parse(expr, contexts), contexts, status, expr)
