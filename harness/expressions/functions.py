"""Built-in functions. Names are matched case-insensitively."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .errors import EvaluationError
from .format import render
from .values import (ARRAY, BOOLEAN, NUMBER, OBJECT, STRING, equals, fold, format_number,
                     is_primitive, kind_of, to_number, to_string)

MAX_ARGS = 255
STATUS_FUNCTIONS = frozenset({"success", "failure", "always", "cancelled"})


class Invocation:
    """Arguments of one call, evaluated on first use so functions can short-circuit."""

    def __init__(self, evaluate: Callable[[int], object], count: int, status: Mapping[str, bool]):
        self._evaluate = evaluate
        self._cache: dict[int, object] = {}
        self.count = count
        self.status = status

    def __getitem__(self, index: int):
        if index not in self._cache:
            self._cache[index] = self._evaluate(index)
        return self._cache[index]

    def values(self) -> list:
        return [self[i] for i in range(self.count)]


@dataclass(frozen=True)
class FunctionSpec:
    min_args: int
    max_args: float
    call: Callable[[Invocation], object]
    odd_args: bool = False


def _contains(args: Invocation) -> bool:
    haystack, needle = args.values()
    if is_primitive(haystack):
        return is_primitive(needle) and fold(to_string(needle)) in fold(to_string(haystack))
    if kind_of(haystack) == ARRAY:
        return any(equals(needle, item) for item in haystack)
    return False


def _affix_test(test: Callable[[str, str], bool]):
    def call(args: Invocation) -> bool:
        text, affix = args.values()
        if not (is_primitive(text) and is_primitive(affix)):
            return False
        return test(fold(to_string(text)), fold(to_string(affix)))

    return call


def _join(args: Invocation) -> str:
    items = args[0]
    if is_primitive(items):
        return to_string(items)
    if kind_of(items) != ARRAY:
        return ""
    separator = ","
    if args.count > 1 and is_primitive(args[1]):
        separator = to_string(args[1])
    return separator.join(to_string(item) for item in items)


def _case(args: Invocation):
    for index in range(0, args.count - 1, 2):
        predicate = args[index]
        if kind_of(predicate) != BOOLEAN:
            raise EvaluationError("case predicate must evaluate to a boolean value")
        if predicate:
            return args[index + 1]
    return args[args.count - 1]


def _format(args: Invocation) -> str:
    return render(to_string(args[0]), lambda index: args[index + 1], args.count - 1)


def _to_json(args: Invocation) -> str:
    return dump_json(args[0])


def dump_json(value, indent: str = "") -> str:
    """Pretty JSON with two-space indents, numbers written as the runner writes them."""
    kind = kind_of(value)
    if kind == ARRAY:
        parts = [dump_json(item, indent + "  ") for item in value]
        return _json_block("[", "]", parts, indent)
    if kind == OBJECT:
        parts = [f"{json.dumps(to_string(k), ensure_ascii=False)}: {dump_json(v, indent + '  ')}"
                 for k, v in value.items()]
        return _json_block("{", "}", parts, indent)
    if kind == NUMBER:
        number = to_number(value)
        return format_number(number) if math.isfinite(number) else "null"
    if kind == STRING:
        return json.dumps(to_string(value), ensure_ascii=False)
    return json.dumps(value)


def _json_block(opening: str, closing: str, parts: list[str], indent: str) -> str:
    if not parts:
        return opening + closing
    inner = indent + "  "
    return f"{opening}\n{inner}" + f",\n{inner}".join(parts) + f"\n{indent}{closing}"


def _reject_constant(name: str):
    raise ValueError(f"invalid JSON literal {name}")


def _from_json(args: Invocation):
    text = to_string(args[0])
    if not text.strip():
        raise EvaluationError("Error parsing fromJson: the input is empty")
    try:
        return json.loads(text, parse_int=float, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise EvaluationError(f"Error parsing fromJson: {error}") from None


def _status(name: str):
    def call(args: Invocation) -> bool:
        return True if name == "always" else bool(args.status.get(name, False))

    return call


def _hash_files(args: Invocation):
    raise EvaluationError("hashFiles() is not supported by this expression evaluator")


FUNCTIONS: dict[str, FunctionSpec] = {
    "contains": FunctionSpec(2, 2, _contains),
    "startswith": FunctionSpec(2, 2, _affix_test(str.startswith)),
    "endswith": FunctionSpec(2, 2, _affix_test(str.endswith)),
    "format": FunctionSpec(1, MAX_ARGS, _format),
    "join": FunctionSpec(1, 2, _join),
    "tojson": FunctionSpec(1, 1, _to_json),
    "fromjson": FunctionSpec(1, 1, _from_json),
    "case": FunctionSpec(3, math.inf, _case, odd_args=True),
    "hashfiles": FunctionSpec(1, MAX_ARGS, _hash_files),
    **{name: FunctionSpec(0, 0, _status(name)) for name in STATUS_FUNCTIONS},
}
