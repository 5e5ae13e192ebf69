"""A hand-written workflow file as `gen init --from` reads it: the YAML with positions, each step's
script as logical lines, and the notes saying, by line, what the reader did not carry over."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import loader
from . import shell


@dataclass(frozen=True)
class Note:
    line: int
    text: str


@dataclass
class Step:
    index: int
    line: int  # of the step's first key
    node: CommentedMap
    lines: list[shell.Line]  # the `run:` script, empty for `uses:` steps
    script_span: tuple[int, int] | None  # first and last file line of the script

    id = property(lambda self: _str(self.node.get("id")))
    name = property(lambda self: _str(self.node.get("name")))
    uses = property(lambda self: _str(self.node.get("uses")))
    if_ = property(lambda self: _str(self.node.get("if")))

    def key_line(self, key: str) -> int:
        try:
            return self.node.lc.key(key)[0] + 1
        except (KeyError, TypeError):
            return self.line

    def mentions(self, text: str) -> bool:
        return any(text in line.text for line in self.lines)


@dataclass
class Source:
    path: Path
    text: str
    doc: CommentedMap
    notes: list[Note] = field(default_factory=list)

    def note(self, line: int, text: str) -> None:
        self.notes.append(Note(line, text))

    def line_of(self, *loc) -> int:
        return loader.position(self.doc, tuple(loc))[0]

    def key_line(self, *loc) -> int:
        return loader.key_position(self.doc, tuple(loc))[0]

    def comment_blocks(self, skip: list[tuple[int, int]]) -> list[tuple[int, int, list[str]]]:
        """Runs of YAML comment lines outside the scripts: (first line, last line, text lines)."""
        blocks: list[tuple[int, int, list[str]]] = []
        for number, raw in enumerate(self.text.splitlines(), start=1):
            if any(a <= number <= b for a, b in skip) or not raw.strip().startswith("#"):
                continue
            text = raw.strip()[1:]
            text = text[1:] if text.startswith(" ") else text
            if blocks and blocks[-1][1] == number - 1:
                blocks[-1] = (blocks[-1][0], number, blocks[-1][2] + [text])
            else:
                blocks.append((number, number, [text]))
        return blocks


def load(path: Path) -> Source:
    text = loader.read_text(path)
    doc = loader.read_yaml(path, text)
    if not isinstance(doc, CommentedMap):
        raise loader.InputError(f"{path}:1:1: a workflow (a YAML mapping) expected")
    return Source(path, text, doc)


def job(source: Source) -> tuple[str, CommentedMap] | None:
    jobs = source.doc.get("jobs")
    if not isinstance(jobs, CommentedMap) or not jobs:
        return None
    job_id = next(iter(jobs))
    if len(jobs) > 1:
        others = ", ".join(str(k) for k in list(jobs)[1:])
        source.note(source.key_line("jobs", list(jobs)[1]),
                    f"only the first job ({job_id}) is read; the config has no counterpart for {others}")
    node = jobs[job_id]
    return (str(job_id), node) if isinstance(node, CommentedMap) else None


def steps(source: Source, job_node: CommentedMap, job_id: str) -> list[Step]:
    raw = job_node.get("steps")
    if not isinstance(raw, CommentedSeq):
        return []
    lines = source.text.splitlines()
    out = []
    for index, node in enumerate(raw):
        if not isinstance(node, CommentedMap):
            continue
        line = raw.lc.item(index)[0] + 1
        script, span = [], None
        if isinstance(node.get("run"), str):
            value_line = node.lc.value("run")[0]  # 0-based line of `|` or of the text itself
            block = lines[value_line].rstrip().endswith(("|", "|-", "|+", ">", ">-"))
            first = value_line + (2 if block else 1)
            script = shell.logical_lines(str(node["run"]), first)
            span = (first, first + max(len(str(node["run"]).splitlines()) - 1, 0))
        out.append(Step(index, line, node, script, span))
    return out


def eol_comment(node: Any, key: str) -> str | None:
    """The `# …` written after `key: value` on the same line."""
    try:
        token = node.ca.items[key][2]
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    if token is None:
        return None
    text = token.value.split("\n", 1)[0].strip()
    return text[1:].strip() if text.startswith("#") else None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
