"""Walks an expression tree and computes its value."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .errors import EvaluationError
from .functions import FUNCTIONS, Invocation
from .lexer import T
from .parser import (Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical,
                     Node, Star, Unary)
from .values import (ARRAY, OBJECT, STRING, FilteredArray, compare, is_primitive, kind_of,
                     lookup, normalize, to_number, to_string, truthy)

MAX_MEMORY_BYTES = 1024 * 1024
DEFAULT_STATUS = {"success": True, "failure": False, "cancelled": False}

_COMPARISONS = {
    T.EQUAL_EQUAL: lambda order: order == 0,
    T.BANG_EQUAL: lambda order: order != 0,
    T.GREATER: lambda order: order == 1,
    T.GREATER_EQUAL: lambda order: order in (0, 1),
    T.LESS: lambda order: order == -1,
    T.LESS_EQUAL: lambda order: order in (0, -1),
}


class Memory:
    """Rough accounting of live results, per tree level, as the runner does it.

    A finished node whose result is a primitive releases what its descendants held.
    """

    def __init__(self, expression: str, limit: int = MAX_MEMORY_BYTES):
        self.expression = expression
        self.limit = limit
        self.levels: list[int] = []
        self.total = 0

    def add(self, level: int, value) -> None:
        if is_primitive(value):
            while len(self.levels) > level + 1:
                self.total -= self.levels.pop()
        while len(self.levels) <= level:
            self.levels.append(0)
        size = 26 + 2 * len(value) if kind_of(value) == STRING else 24
        self.levels[level] += size
        self.total += size
        if self.total > self.limit:
            raise EvaluationError("The maximum allowed memory size was exceeded while evaluating "
                                  f"the following expression: {self.expression}")


class Evaluator:
    def __init__(self, contexts: Mapping, status: Mapping[str, bool] | None = None,
                 expression: str = ""):
        self.contexts = contexts
        self.status = {**DEFAULT_STATUS, **(status or {})}
        self.memory = Memory(expression)

    def evaluate(self, node: Node | None):
        return None if node is None else self._eval(node, 0)

    def _eval(self, node: Node, level: int):
        if isinstance(node, Grouping):  # parentheses add no level of their own
            return self._eval(node.inner, level)
        method = getattr(self, "_" + type(node).__name__.lower())
        value = method(node, level + 1)
        self.memory.add(level, value)
        return value

    def _literal(self, node: Literal, level: int):
        return node.value

    def _unary(self, node: Unary, level: int) -> bool:
        return not truthy(self._eval(node.operand, level))

    def _binary(self, node: Binary, level: int) -> bool:
        left = self._eval(node.left, level)
        right = self._eval(node.right, level)
        order = compare(left, right)
        return _COMPARISONS[node.operator.type](order)

    def _logical(self, node: Logical, level: int):
        stop_when = node.operator.type is T.OR
        value = None
        for arg in node.args:
            value = self._eval(arg, level)
            if truthy(value) == stop_when:
                break
        return value

    def _contextaccess(self, node: ContextAccess, level: int):
        return normalize(lookup(self.contexts, node.name.lexeme)[1])

    def _functioncall(self, node: FunctionCall, level: int):
        spec = FUNCTIONS[node.name.lexeme.lower()]
        args = Invocation(lambda i: self._eval(node.args[i], level), len(node.args), self.status)
        return spec.call(args)

    def _indexaccess(self, node: IndexAccess, level: int):
        target = self._eval(node.target, level)
        star = isinstance(node.index, Star)
        index = _Index(None if star else self._eval(node.index, level), star)
        if isinstance(target, FilteredArray):
            return FilteredArray(item for element in target for item in index.select(element))
        if index.star:
            return FilteredArray(index.select(target))
        found = index.select(target)
        return found[0] if found else None


class _Index:
    """An index value resolved once into the forms arrays and objects need."""

    def __init__(self, value, star: bool):
        self.star = star
        self.key = to_string(value) if is_primitive(value) else None
        number = to_number(value)
        self.position = math.floor(number) if math.isfinite(number) and number >= 0 else None

    def select(self, target) -> list:
        """The matching items of `target` (all of them for `*`); empty when nothing matches."""
        kind = kind_of(target)
        if kind == ARRAY:
            return self._from_array(target)
        if kind == OBJECT:
            return self._from_object(target)
        return []

    def _from_array(self, items) -> list:
        if self.star:
            return [normalize(item) for item in items]
        if self.position is not None and self.position < len(items):
            return [normalize(items[self.position])]
        return []

    def _from_object(self, mapping) -> list:
        if self.star:
            return [normalize(item) for item in mapping.values()]
        if self.key is None:
            return []
        found, value = lookup(mapping, self.key)
        return [normalize(value)] if found else []


def evaluate_tree(node: Node | None, contexts: Mapping, status: Mapping[str, bool] | None = None,
                  expression: str = ""):
    return Evaluator(contexts, status, expression).evaluate(node)
