"""Load a YAML file into a pydantic model, turning every failure into one `file:line:col` error."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

M = TypeVar("M", bound=BaseModel)


class InputError(Exception):
    """Bad input: the message is the one line the user sees; the CLI exits 2."""


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_yaml(path: Path, text: str | None = None) -> Any:
    """The document with positions (round-trip); slower, so used to explain errors."""
    text = read_text(path) if text is None else text
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise InputError(f"{where}: valid YAML expected ({exc.problem or exc.context})") from None


def load_model(path: Path, model: type[M] | Callable[[dict], type[M]]) -> tuple[M, Callable[[], Any]]:
    """Parse and validate. Returns the model and a function giving the positioned document.

    `model` may be a function that picks the model from the parsed mapping (a file holding one
    item or a suite of them), so a file is parsed once. The fast safe loader reads valid files;
    only a failure pays for the round-trip loader that knows line and column numbers.
    """
    choose = (lambda data: model) if isinstance(model, type) else model
    text = read_text(path)
    try:
        data = YAML(typ="safe").load(text)
        if isinstance(data, dict):
            return choose(data).model_validate(data), lambda: read_yaml(path, text)
    except (MarkedYAMLError, ValidationError):
        pass
    doc = read_yaml(path, text)
    if not isinstance(doc, CommentedMap):
        raise InputError(f"{path}:1:1: (top level): a mapping expected (got {_kind(doc)})")
    chosen = choose(doc)
    try:
        return chosen.model_validate(_plain(doc)), lambda: doc
    except ValidationError as exc:
        raise InputError(describe(path, doc, chosen, exc.errors()[0], exc.errors())) from None


def describe(path: Path, doc: Any, model: type[BaseModel], error: dict, others: list[dict] = ()) -> str:
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return _unknown_key(path, doc, model, loc)
    if error["type"] == "missing":
        line, col = position(doc, loc[:-1])
        # Name every required field missing from the same mapping at once, not one per run.
        siblings = [tuple(e["loc"])[-1] for e in others
                    if e["type"] == "missing" and tuple(e["loc"])[:-1] == loc[:-1] and tuple(e["loc"]) != loc]
        if siblings:
            names = ", ".join(str(n) for n in [loc[-1], *siblings])
            return (f"{path}:{line}:{col}: {dotted(loc[:-1])}: values expected for {names} "
                    "(the fields are required)")
        return f"{path}:{line}:{col}: {dotted(loc)}: a value expected (the field is required)"
    line, col = position(doc, loc)
    expected = _expected(error)
    return f"{path}:{line}:{col}: {dotted(loc)}: {expected} (got {_show(error.get('input'))})"


def raise_first(path: Path, positioned: Callable[[], Any], problems: list[tuple[tuple, str, Any]]) -> None:
    """Report the problem that comes first in the file, if there is any: (location, expected, got)."""
    if problems:
        doc = positioned()
        loc, expected, got = min(problems, key=lambda p: position(doc, p[0]))
        raise InputError(problem_line(path, doc, loc, expected, got))


def problem_line(path: Path, doc: Any, loc: tuple, expected: str, got: Any) -> str:
    line, col = position(doc, loc)
    return f"{path}:{line}:{col}: {dotted(loc)}: {expected} (got {_show(got)})"


def _unknown_key(path: Path, doc: Any, model: type[BaseModel], loc: tuple) -> str:
    line, col = key_position(doc, loc)
    known = _fields_at(model, loc[:-1])
    hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
    expected = f"one of the known keys ({', '.join(known)})" if known else "no further keys"
    return f"{path}:{line}:{col}: {dotted(loc)}: unknown key, expected {expected}{suggestion} (got '{loc[-1]}')"


def _expected(error: dict) -> str:
    msg = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    msg = msg[0].lower() + msg[1:] if msg else msg
    if error["type"] == "literal_error":
        return msg.replace("input should be", "one of")
    return msg.replace("input should be", "").strip() or msg


def dotted(loc: Iterable) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def position(doc: Any, loc: tuple) -> tuple[int, int]:
    """1-based line and column of the value at `loc`, or of the deepest node that exists."""
    node, line, col = doc, 1, 1
    for part in loc:
        found = _child_position(node, part)
        if found is None:
            break
        node, (line, col) = found
    return line, col


def key_position(doc: Any, loc: tuple) -> tuple[int, int]:
    parent = _walk(doc, loc[:-1])
    if isinstance(parent, CommentedMap) and loc[-1] in parent:
        try:
            line, col = parent.lc.key(loc[-1])
            return line + 1, col + 1
        except KeyError:
            pass
    return position(doc, loc)


def _child_position(node: Any, part: Any):
    # Keys that came in through a YAML merge (`<<: *anchor`) have no position of their own.
    try:
        if isinstance(node, CommentedMap) and part in node:
            line, col = node.lc.value(part)
            return node[part], (line + 1, col + 1)
        if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, col = node.lc.item(part)
            return node[part], (line + 1, col + 1)
    except (KeyError, TypeError):
        return None
    return None


def _walk(doc: Any, loc: tuple) -> Any:
    node = doc
    for part in loc:
        found = _child_position(node, part)
        if found is None:
            return None
        node = found[0]
    return node


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        current = _model_of(field.annotation) if field else None
    return sorted(current.model_fields) if current else []


def _model_of(annotation: Any):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found:
            return found
    return None


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, (bool, int)) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _kind(value: Any) -> str:
    return {type(None): "nothing", list: "a list", CommentedSeq: "a list"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, (dict, CommentedMap)):
        return "a mapping"
    if isinstance(value, (list, CommentedSeq)):
        return "a list" if len(str(list(value))) > 60 else repr(list(value))
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
