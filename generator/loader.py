"""Load a YAML file (config, scenario, timeline, workflow) into data or a pydantic model.

Every failure becomes one `file:line:col: field: expected (got …)` line, and the work is bounded
before anything is built: a file's size, its nesting depth and the number of nodes its aliases
expand to are checked while the C parser streams its events, so an alias bomb, a file nested
50,000 deep or a million keys answer in well under a second instead of hanging or crashing.
The same pass records where every key and value is, which is how errors get their positions.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                                SequenceEndEvent, SequenceStartEvent)
from ruamel.yaml.resolver import VersionedResolver

M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 100
MAX_NODES = 50_000  # after alias expansion; the largest built-in file has 1,400

# What YAML itself refuses in a stream (YAML 1.2, 5.1), plus NUL; found before the parser sees it.
NOT_YAML_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PLAIN_TAGS = {"!"} | {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}
KINDS = {"tag:yaml.org,2002:null": "null", "tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:int": "a number",
         "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:timestamp": "a date"}


class InputError(Exception):
    """Bad input: the message is the one line the user sees; the CLI exits 2."""

    def __init__(self, message: str):
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    return re.sub(r"[\r\n\x85\u2028\u2029]+", " ", str(text))


def where(path: Path | str, line: int, col: int) -> str:
    return f"{printable(str(path))}:{line}:{col}"


def printable(text: str) -> str:
    """A file name fit for a one-line message: control characters shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


# ---------------------------------------------------------------------------------------------
# Reading text


def read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{printable(str(path))}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{where(path, 1, 1)}: a file of at most {MAX_BYTES // 1024 // 1024} MiB expected "
                         f"(got more)")
    return data


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text YAML can hold, or an error at the first byte or character that is not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode("utf-8", "replace")
        line, col = _line_col(before, len(before))
        raise InputError(f"{where(path, line, col)}: UTF-8 text expected "
                         f"(got byte 0x{data[exc.start]:02x})") from None
    bad = NOT_YAML_TEXT.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        what = "a NUL byte" if bad.group() == "\0" else f"U+{ord(bad.group()):04X}"
        raise InputError(f"{where(path, line, col)}: printable text expected, without control "
                         f"characters (got {what})")
    return text


def read_text(path: Path) -> str:
    return decode(path, read_bytes(path))


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    line = before.count("\n") + 1
    return line, index - (before.rfind("\n") + 1) + 1


# ---------------------------------------------------------------------------------------------
# Positions: one pass over the parser's events, bounded


class Node:
    """Where a value sits in the file, and where its children sit."""

    __slots__ = ("line", "col", "keys", "values", "items", "merged")

    def __init__(self, line: int, col: int):
        self.line, self.col = line, col
        self.keys: dict[str, tuple[int, int]] = {}
        self.values: dict[str, Node] = {}
        self.items: list[Node] = []
        self.merged: list[Node] = []  # mappings a `<<:` key merges in, in order

    def alias(self, line: int, col: int) -> "Node":
        twin = Node(line, col)
        twin.keys, twin.values, twin.items, twin.merged = self.keys, self.values, self.items, self.merged
        return twin

    def child(self, part: Any) -> "Node | None":
        if isinstance(part, int):
            return self.items[part] if 0 <= part < len(self.items) else None
        if part in self.values:
            return self.values[part]
        for merged in self.merged:
            found = merged.child(part)
            if found is not None:
                return found
        return None

    def key(self, part: Any) -> tuple[int, int] | None:
        if part in self.keys:
            return self.keys[part]
        for merged in self.merged:
            found = merged.key(part)
            if found is not None:
                return found
        return None


class _Frame:
    __slots__ = ("node", "is_map", "anchor", "start", "level", "top", "key", "key_at", "path")

    def __init__(self, node: Node, is_map: bool, anchor: str | None, start: int, level: int, path: tuple):
        self.node, self.is_map, self.anchor, self.start, self.path = node, is_map, anchor, start, path
        self.level = self.top = level
        self.key: Any = None  # the pending key of a mapping, or None when a key comes next
        self.key_at: tuple[int, int] = (0, 0)


_MERGE = object()


def scan(path: Path | str, text: str) -> Node:
    """Check `text` is one YAML document within the limits, with text keys and plain tags; map its positions."""
    resolver = _Implicit()
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Node, int, int]] = {}  # name → node, expanded size, height
    open_anchors: set[str] = set()
    expanded = 0
    root = Node(1, 1)
    documents = 0

    def fail(at, field: str | None, expected: str, got: str) -> None:
        line, col = at if isinstance(at, tuple) else (at.start_mark.line + 1, at.start_mark.column + 1)
        raise InputError(f"{where(path, line, col)}: {field + ': ' if field else ''}{expected} (got {got})")

    def attach(node: Node, event, size_height: tuple[int, int] = (1, 0), kind: str = "a scalar") -> None:
        nonlocal root
        height = size_height[1]
        if not stack:
            root = node
            return
        frame = stack[-1]
        frame.top = max(frame.top, frame.level + 1 + height)
        if not frame.is_map:
            frame.node.items.append(node)
            return
        if frame.key is None:
            field = dotted(frame.path)
            if kind != "a scalar":
                fail((node.line, node.col), field, "a text key expected", kind)
            tag = _scalar_tag(resolver, event)
            if tag == "tag:yaml.org,2002:merge":
                frame.key = _MERGE
                return
            if tag != "tag:yaml.org,2002:str":
                fail(event, field, "a text key expected", KINDS.get(tag, _short_tag(tag))
                     + (f" {event.value!r}" if event.value else ""))
            if event.value in frame.node.keys:
                line, _col = frame.node.keys[event.value]
                fail(event, dotted(frame.path + (event.value,)), f"each key once in a mapping (it is already on line {line})",
                     repr(event.value))
            frame.key = event.value
            frame.key_at = (event.start_mark.line + 1, event.start_mark.column + 1)
            return
        if frame.key is _MERGE:
            frame.node.merged.extend(node.items if node.items else [node])
        else:
            frame.node.keys[frame.key] = frame.key_at
            frame.node.values[frame.key] = node
        frame.key = None

    def here() -> str:
        if not stack:
            return "(top level)"
        frame = stack[-1]
        if frame.is_map:
            return dotted(frame.path + ((frame.key,) if isinstance(frame.key, str) else ()))
        return dotted(frame.path + (len(frame.node.items),))

    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    fail(event, None, "one YAML document", "a second document")
                if event.version:
                    resolver = _Implicit(tuple(event.version))
                continue
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in PLAIN_TAGS:
                fail(event, here(), "a plain YAML value; tags are not read", _short_tag(tag))
            if isinstance(event, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
                expanded += 1
            mark = getattr(event, "start_mark", None)
            if isinstance(event, ScalarEvent):
                node = Node(mark.line + 1, mark.column + 1)
                if event.anchor:
                    anchors[event.anchor] = (node, 1, 0)
                attach(node, event)
            elif isinstance(event, AliasEvent):
                if event.anchor in open_anchors:
                    fail(event, here(), "an alias to a finished node; a node cannot contain itself",
                         f"*{event.anchor}")
                if event.anchor not in anchors:
                    fail(event, here(), "an alias to an anchor defined earlier", f"*{event.anchor}")
                target, size, height = anchors[event.anchor]
                expanded += size
                if expanded > MAX_NODES:
                    fail(event, None, f"at most {MAX_NODES:,} values once aliases are expanded",
                         f"more at *{event.anchor}")
                if len(stack) + height > MAX_DEPTH:
                    fail(event, None, f"nesting at most {MAX_DEPTH} deep once aliases are expanded",
                         f"deeper at *{event.anchor}")
                attach(target.alias(mark.line + 1, mark.column + 1), event, (size, height), "an alias")
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    fail(event, None, f"nesting at most {MAX_DEPTH} deep", "deeper")
                parent = stack[-1] if stack else None
                node_path = () if parent is None else parent.path + (
                    (parent.key if parent.key is not _MERGE else "<<") if parent.is_map and parent.key is not None
                    else len(parent.node.items) if not parent.is_map else "(key)",)
                frame = _Frame(Node(mark.line + 1, mark.column + 1), isinstance(event, MappingStartEvent),
                               event.anchor, expanded - 1, len(stack), node_path)
                if event.anchor:
                    open_anchors.add(event.anchor)
                stack.append(frame)
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                frame = stack.pop()
                size, height = expanded - frame.start, frame.top - frame.level
                if frame.anchor:
                    open_anchors.discard(frame.anchor)
                    anchors[frame.anchor] = (frame.node, size, height)
                attach(frame.node, event, (size, height), "a mapping" if frame.is_map else "a list")
            if expanded > MAX_NODES:
                fail(event, None, f"at most {MAX_NODES:,} values", "more")
    except MarkedYAMLError as exc:
        raise InputError(syntax_error(path, text, exc)) from None
    except YAMLError as exc:
        raise InputError(f"{printable(str(path))}: valid YAML expected ({exc})") from None
    return root


def _scalar_tag(resolver: "_Implicit", event: ScalarEvent) -> str:
    if event.tag not in (None, "!"):
        return str(event.tag)
    if event.style or not event.implicit[0]:
        return "tag:yaml.org,2002:str"
    return resolver.tag(event.value)


class _Implicit:
    """What a plain scalar resolves to (null, bool, int, …), from ruamel's own table for the YAML version."""

    def __init__(self, version: tuple | None = None):
        table = VersionedResolver(version=version).versioned_resolver
        self.table = {first: list(entries) for first, entries in table.items()}

    def tag(self, value: str) -> str:
        for tag, regexp in self.table.get(value[:1], []) + self.table.get(None, []):
            if regexp.match(value):
                return str(tag)
        return "tag:yaml.org,2002:str"


def _short_tag(tag: str) -> str:
    return str(tag).replace("tag:yaml.org,2002:", "!!")


def syntax_error(path: Path | str, text: str, exc: MarkedYAMLError) -> str:
    problem, context = exc.problem, exc.context
    mark = exc.problem_mark or exc.context_mark
    # An unclosed quote or bracket is found at the end of the file; the place to fix is where it opened.
    if exc.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
        mark = exc.context_mark
        problem = f"{context}, the file ends first" if context else problem
    detail = problem or context or "a syntax error"
    if mark is None:
        return f"{printable(str(path))}: valid YAML expected ({detail})"
    return f"{where(path, mark.line + 1, mark.column + 1)}: valid YAML expected ({detail})"


# ---------------------------------------------------------------------------------------------
# Loading


def load_data(path: Path, text: str | None = None) -> Any:
    """The file's data (plain dicts, lists and scalars), or one positioned error."""
    text = read_text(path) if text is None else text
    scan(path, text)
    return _safe_load(path, text)


def _safe_load(path: Path, text: str) -> Any:
    try:
        return YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        raise InputError(syntax_error(path, text, exc)) from None
    except YAMLError as exc:
        raise InputError(f"{printable(str(path))}: valid YAML expected ({exc})") from None


def read_yaml(path: Path, text: str | None = None) -> Any:
    """The document with ruamel's own positions (round-trip), after the same bounded checks."""
    text = read_text(path) if text is None else text
    scan(path, text)
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        raise InputError(syntax_error(path, text, exc)) from None
    except YAMLError as exc:
        raise InputError(f"{printable(str(path))}: valid YAML expected ({exc})") from None


def load_model(path: Path, model: type[M] | Callable[[dict], type[M]]) -> tuple[M, Callable[[], Node]]:
    """Parse and validate. Returns the model and a function giving the file's positions.

    `model` may be a function that picks the model from the parsed mapping (a file holding one
    item or a suite of them), so a file is parsed once.
    """
    text = read_text(path)
    tree = scan(path, text)
    data = _safe_load(path, text)
    if not isinstance(data, dict):
        raise InputError(f"{where(path, tree.line, tree.col)}: (top level): a mapping expected (got {_kind(data)})")
    chosen = model if isinstance(model, type) else model(data)
    try:
        return chosen.model_validate(data), lambda: tree
    except ValidationError as exc:
        errors = exc.errors()
        raise InputError(describe(path, tree, chosen, first_error(tree, errors), errors)) from None


def first_error(tree: Node, errors: list[dict]) -> dict:
    """The error to show: the first in the file, a missing field last (a misspelled key explains it)."""
    return min(errors, key=lambda e: (e["type"] == "missing", error_position(tree, e)))


def error_position(tree: Node, error: dict) -> tuple[int, int]:
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden" or (loc and loc[-1] == "[key]"):
        return key_position(tree, loc if loc[-1] != "[key]" else loc[:-1])
    if error["type"] == "missing":
        return key_position(tree, loc[:-1]) if loc[:-1] else (tree.line, tree.col)
    return position(tree, loc)


def describe(path: Path, tree: Node, model: type[BaseModel], error: dict, others: Iterable[dict] = ()) -> str:
    loc = tuple(error["loc"])
    line, col = error_position(tree, error)
    if error["type"] == "extra_forbidden":
        return _unknown_key(path, (line, col), model, loc)
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        return f"{where(path, line, col)}: {dotted(loc)}: {_expected(error)} (got {_show(loc[-1])})"
    if error["type"] == "missing":
        # Name every required field missing from the same mapping at once, not one per run.
        siblings = [tuple(e["loc"])[-1] for e in others
                    if e["type"] == "missing" and tuple(e["loc"])[:-1] == loc[:-1] and tuple(e["loc"]) != loc]
        if siblings:
            names = ", ".join(str(n) for n in [loc[-1], *siblings])
            return f"{where(path, line, col)}: {dotted(loc[:-1])}: values expected for {names} (the fields are required)"
        return f"{where(path, line, col)}: {dotted(loc)}: a value expected (the field is required)"
    return f"{where(path, line, col)}: {dotted(loc)}: {_expected(error)} (got {_show(error.get('input'))})"


def raise_first(path: Path, positioned: Callable[[], Node], problems: list[tuple[tuple, str, Any]]) -> None:
    """Report the problem that comes first in the file, if there is any: (location, expected, got).

    A location ending in KEY points at the key itself rather than its value.
    """
    if problems:
        tree = positioned()
        loc, expected, got = min(problems, key=lambda p: _problem_position(tree, p[0]))
        raise InputError(problem_line(path, tree, loc, expected, got))


KEY = "[key]"


def _problem_position(tree: Node, loc: tuple) -> tuple[int, int]:
    return key_position(tree, loc[:-1]) if loc and loc[-1] == KEY else position(tree, loc)


def problem_line(path: Path, tree: Node, loc: tuple, expected: str, got: Any) -> str:
    line, col = _problem_position(tree, loc)
    shown = loc[:-1] if loc and loc[-1] == KEY else loc
    return f"{where(path, line, col)}: {dotted(shown)}: {expected} (got {_show(got)})"


def _unknown_key(path: Path, at: tuple[int, int], model: type[BaseModel], loc: tuple) -> str:
    known = _fields_at(model, loc[:-1])
    suggestion = suggest(str(loc[-1]), known)
    expected = f"one of the known keys ({', '.join(known)})" if known else "no further keys"
    return f"{where(path, *at)}: {dotted(loc)}: unknown key, expected {expected}{suggestion} (got {_show(loc[-1])})"


def suggest(word: str, choices: Iterable[str]) -> str:
    hint = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def _expected(error: dict) -> str:
    msg = one_line(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    msg = msg[0].lower() + msg[1:] if msg else msg
    if error["type"] == "literal_error":
        choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str(error.get("ctx", {}).get("expected", "")))
        got = error.get("input")
        hint = suggest(got, choices) if isinstance(got, str) else ""
        return msg.replace("input should be", "one of") + hint
    return msg.replace("input should be", "").strip() or msg


SIMPLE_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def dotted(loc: Iterable) -> str:
    """`gate.arms[2].match`; a key that is not a plain word shows quoted, `permissions['a b']`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not SIMPLE_KEY.fullmatch(str(part)):
            out += f"[{_show(str(part))}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def position(tree: Any, loc: tuple) -> tuple[int, int]:
    """1-based line and column of the value at `loc`, or of the deepest node that exists.

    `tree` is this module's Node, or a round-trip document (read_yaml) with ruamel's own positions.
    """
    if not isinstance(tree, Node):
        return _rt_position(tree, loc)
    node = tree
    for part in loc:
        found = node.child(part)
        if found is None:
            break
        node = found
    return node.line, node.col


def key_position(tree: Any, loc: tuple) -> tuple[int, int]:
    """Where the key at `loc` is written, else where its value (or the deepest parent) is."""
    if not isinstance(tree, Node):
        return _rt_key_position(tree, loc)
    if not loc:
        return tree.line, tree.col
    parent = tree
    for part in loc[:-1]:
        parent = parent.child(part) if parent is not None else None
    found = parent.key(loc[-1]) if parent is not None and not isinstance(loc[-1], int) else None
    return found or position(tree, loc)


def _rt_position(doc: Any, loc: tuple) -> tuple[int, int]:
    node, line, col = doc, 1, 1
    for part in loc:
        found = _rt_child(node, part)
        if found is None:
            break
        node, (line, col) = found
    return line, col


def _rt_key_position(doc: Any, loc: tuple) -> tuple[int, int]:
    parent = doc
    for part in loc[:-1]:
        found = _rt_child(parent, part)
        if found is None:
            return _rt_position(doc, loc)
        parent = found[0]
    if loc and isinstance(parent, CommentedMap) and loc[-1] in parent:
        try:
            line, col = parent.lc.key(loc[-1])
            return line + 1, col + 1
        except KeyError:
            pass
    return _rt_position(doc, loc)


def _rt_child(node: Any, part: Any):
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


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    return {str: "text", int: "a number", float: "a number", bool: "a boolean"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if len(str(list(value))) > 60 else repr(list(value))
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
