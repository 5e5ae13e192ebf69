"""Value model: kinds, truthiness, coercions and comparisons.

Values are plain Python data: None, bool, int/float, str, list (or tuple) and dict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

NULL, BOOLEAN, NUMBER, STRING = "Null", "Boolean", "Number", "String"
ARRAY, OBJECT = "Array", "Object"
PRIMITIVES = frozenset({NULL, BOOLEAN, NUMBER, STRING})

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_OCTAL = re.compile(r"0o[0-7]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_INFINITIES = {"Infinity": math.inf, "+Infinity": math.inf, "-Infinity": -math.inf}


class FilteredArray(list):
    """Result of a `*` wildcard; indexing it applies the index to every element."""


def kind_of(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, (list, tuple)):
        return ARRAY
    if isinstance(value, Mapping):
        return OBJECT
    return STRING


def normalize(value):
    """Anything outside the JSON model (dates from YAML, paths...) is seen as its text."""
    if kind_of(value) == STRING and not isinstance(value, str):
        return str(value)
    return value


def is_primitive(value) -> bool:
    return kind_of(value) in PRIMITIVES


def truthy(value) -> bool:
    kind = kind_of(value)
    if kind == NULL:
        return False
    if kind == BOOLEAN:
        return value
    if kind == NUMBER:
        return not (value == 0 or math.isnan(value))
    if kind == STRING:
        return len(value) > 0
    return True


def parse_number(text: str) -> float:
    """Like JavaScript's Number(text), as the runner implements it: NaN when unparsable."""
    text = text.strip()
    if not text:
        return 0.0
    if _DECIMAL.fullmatch(text):
        return float(text)
    if _HEX.fullmatch(text):
        return float(int(text[2:], 16))
    if _OCTAL.fullmatch(text):
        return float(int(text[2:], 8))
    return _INFINITIES.get(text, math.nan)


def to_number(value) -> float:
    kind = kind_of(value)
    if kind == NULL:
        return 0.0
    if kind == BOOLEAN:
        return 1.0 if value else 0.0
    if kind == NUMBER:
        return _int_to_float(value) if isinstance(value, int) else value
    if kind == STRING:
        return parse_number(str(value))
    return math.nan


def _int_to_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def format_number(value) -> str:
    """.NET's "G15" as the runner uses it, except that -0 prints as 0."""
    number = to_number(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    text = format(number, ".15g")
    return text.replace("e", "E")


def to_string(value) -> str:
    """The string coercion used by format(), join() and `${{ }}` interpolation."""
    kind = kind_of(value)
    if kind == NULL:
        return ""
    if kind == BOOLEAN:
        return "true" if value else "false"
    if kind == NUMBER:
        return format_number(value)
    if kind == STRING:
        return str(value)
    return kind


def fold(text: str) -> str:
    """Case folding for ordinal-ignore-case: simple uppercase, but the dotless ı stays as is."""
    upper = text.upper()
    if len(upper) == len(text) and "ı" not in text:
        return upper
    return "".join(_fold_char(c) for c in text)


def _fold_char(char: str) -> str:
    upper = char.upper()
    return upper if len(upper) == 1 and char != "ı" else char


def _ordinal_keys(left: str, right: str):
    # The runner compares UTF-16 code units, which orders astral characters differently.
    if _ASTRAL.search(left) or _ASTRAL.search(right):
        return left.encode("utf-16-be"), right.encode("utf-16-be")
    return left, right


def lookup(mapping: Mapping, key: str):
    """Case-insensitive property lookup; returns (found, value)."""
    if key in mapping:
        return True, mapping[key]
    wanted = fold(key)
    for name, item in mapping.items():
        if fold(to_string(name)) == wanted:
            return True, item
    return False, None


def _coerce(left, right):
    """Bring two operands to the same kind the way the runner does before comparing."""
    lk, rk = kind_of(left), kind_of(right)
    if lk == rk:
        return left, right
    if {lk, rk} == {NUMBER, STRING}:
        return to_number(left), to_number(right)
    if lk in (NULL, BOOLEAN):
        return _coerce(to_number(left), right)
    if rk in (NULL, BOOLEAN):
        return _coerce(left, to_number(right))
    return left, right


def compare(left, right) -> int | None:
    """-1/0/1 for ordered operands, None when they are unordered (NaN, mixed kinds, containers)."""
    left, right = _coerce(left, right)
    kind = kind_of(left)
    if kind != kind_of(right):
        return None
    if kind == NULL:
        return 0
    if kind == NUMBER:
        left, right = to_number(left), to_number(right)
        if math.isnan(left) or math.isnan(right):
            return None
    elif kind == STRING:
        left, right = _ordinal_keys(fold(left), fold(right))
    elif kind != BOOLEAN:
        return 0 if left is right else None
    return (left > right) - (left < right)


def equals(left, right) -> bool:
    return compare(left, right) == 0
