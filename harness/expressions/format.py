"""format(): `{N}` placeholders with `{{` and `}}` as escaped braces."""

from __future__ import annotations

from collections.abc import Callable

from .errors import EvaluationError
from .values import kind_of, to_string

MAX_ARG_INDEX = 255


def render(template: str, arg: Callable[[int], object], arg_count: int) -> str:
    out: list[str] = []
    index = 0
    while index < len(template):
        left, right = template.find("{", index), template.find("}", index)
        if left >= 0 and (right < 0 or left < right):
            index = _left_brace(template, index, left, arg, arg_count, out)
        elif right >= 0:
            if template[right + 1:right + 2] != "}":
                raise _invalid(template)
            out.append(template[index:right + 1])
            index = right + 2
        else:
            out.append(template[index:])
            break
    return "".join(out)


def _left_brace(template, index, left, arg, arg_count, out) -> int:
    """Handles the text up to and including a `{`; returns where to continue."""
    if template[left + 1:left + 2] == "{":
        out.append(template[index:left + 1])
        return left + 2
    placeholder = _read_placeholder(template, left + 1)
    if placeholder is None:
        raise _invalid(template)
    number, specifiers, right = placeholder
    if number >= arg_count:
        raise EvaluationError(
            f"The following format string references more arguments than were supplied: {template}")
    out.append(template[index:left])
    value = arg(number)
    if specifiers:
        raise EvaluationError(f"The format specifiers '{specifiers}' are not valid "
                              f"for objects of type '{kind_of(value)}'")
    out.append(to_string(value))
    return right + 1


def _read_placeholder(template: str, start: int):
    """Parses `N}` or `N:specifiers}` at `start`; returns (N, specifiers, index of `}`) or None."""
    end = start
    while end < len(template) and "0" <= template[end] <= "9":
        end += 1
    if end == start or int(template[start:end]) > MAX_ARG_INDEX:
        return None
    if template[end:end + 1] == "}":
        return int(template[start:end]), "", end
    if template[end:end + 1] != ":":
        return None
    return _read_specifiers(template, end + 1, int(template[start:end]))


def _read_specifiers(template: str, start: int, number: int):
    chars, index = [], start
    while index < len(template):
        if template[index] != "}":
            chars.append(template[index])
            index += 1
        elif template[index + 1:index + 2] == "}":
            chars.append("}")
            index += 2
        else:
            return number, "".join(chars), index
    return None


def _invalid(template: str) -> EvaluationError:
    return EvaluationError(f"The following format string is invalid: {template}")
