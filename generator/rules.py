"""Cross-field rules the models cannot express, each reported at the field it concerns."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

from . import gate, hazards
from .config import Config

TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")
CANDIDATE_FIELDS = {"short", "sha"}

# Placeholders each kind of message may use; the renderer maps them to bash variables.
GATE_FIELDS = {"short", "sha", "result"}
API_ERROR_FIELDS = {"short", "sha", "error"}
ANCESTRY_FIELDS = {"target", "target_short", "current", "current_short", "status", "repo"}
SUMMARY_FIELDS = {"short"}


@dataclass(frozen=True)
class Problem:
    path: tuple
    expected: str
    got: object = None


def check(config: Config) -> list[Problem]:
    problems: list[Problem] = []
    for rule in (_triggers, _images, _tags, _gate, _messages, _accepted):
        problems += rule(config)
    return problems


def _triggers(config: Config) -> list[Problem]:
    out = _duplicates([t.name for t in config.triggers], ("triggers",), "name", "a unique workflow name")
    roles = [t.role for t in config.triggers]
    if roles.count("e2e") != 1:
        out.append(Problem(("triggers",), "exactly one trigger with role `e2e`", f"{roles.count('e2e')}"))
    return out


def _images(config: Config) -> list[Problem]:
    out = _duplicates([i.name for i in config.images], ("images",), "name", "a unique image name")
    out += _duplicates([i.ref for i in config.images], ("images",), "ref", "a unique image ref")
    out += _duplicates([i.env for i in config.images], ("images",), "env", "a unique env var name")
    return out


def _duplicates(values: list, base: tuple, field: str, expected: str) -> list[Problem]:
    seen, out = set(), []
    for i, value in enumerate(values):
        if value in seen:
            out.append(Problem(base + (i, field), f"{expected}, but it repeats an earlier one", value))
        seen.add(value)
    return out


def _tags(config: Config) -> list[Problem]:
    out = []
    tags = config.tags
    fields = _placeholders(tags.candidate)
    example = tags.candidate.replace("{short}", "a" * tags.short_sha_length).replace("{sha}", "a" * 40)
    if fields is None or not fields or not fields <= CANDIDATE_FIELDS or not TAG.match(example):
        out.append(Problem(("tags", "candidate"),
                           "a tag pattern with {short} or {sha} and only [A-Za-z0-9._-] around it, at most 128 characters",
                           tags.candidate))
    if not TAG.match(tags.target):
        out.append(Problem(("tags", "target"), "a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]*)", tags.target))
    if tags.target == tags.candidate:
        out.append(Problem(("tags", "target"), "a tag other than the candidate pattern", tags.target))
    return out


def _gate(config: Config) -> list[Problem]:
    out = []
    arms = config.gate.arms
    for i, arm in enumerate(arms):
        for j, pattern in enumerate(arm.match):
            why = gate.pattern_problem(pattern)
            if why:
                out.append(Problem(("gate", "arms", i, "match", j), why, pattern))
    if out:
        return out
    missing = gate.uncovered(arms)
    if missing:
        shown = ", ".join(v if not v.endswith("/") else v + "(null)" for v in missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        out.append(Problem(("gate", "arms"),
                           f"an arm for every run state; none matches {shown}{more} "
                           "(add arms, or an explicit '*' arm)", f"{len(arms)} arms"))
    for i in gate.unreachable(arms):
        out.append(Problem(("gate", "arms", i, "match"), "an arm that some run state reaches; earlier arms take all of these",
                           list(arms[i].match)))
    return out


def _messages(config: Config) -> list[Problem]:
    out = []
    for i, arm in enumerate(config.gate.arms):
        out += _lines(arm.summary, ("gate", "arms", i, "summary"), GATE_FIELDS)
        if arm.notice is not None:
            out += _lines([arm.notice], ("gate", "arms", i, "notice"), GATE_FIELDS, single=True)
    out += _lines(config.gate.api_error_summary, ("gate", "api_error_summary"), API_ERROR_FIELDS)
    for name, lines in config.ancestry.summaries:
        out += _lines(lines, ("ancestry", "summaries", name), ANCESTRY_FIELDS)
    out += _lines(config.summary.fanout_notes, ("summary", "fanout_notes"), SUMMARY_FIELDS)
    return out


def _accepted(config: Config) -> list[Problem]:
    return [Problem(("accept_warnings", i), f"a warning code, one of {', '.join(hazards.CODES)}", code)
            for i, code in enumerate(config.accept_warnings) if code not in hazards.CODES]


def _lines(lines: list[str], base: tuple, allowed: set, single: bool = False) -> list[Problem]:
    out = []
    for i, line in enumerate(lines):
        path = base if single else base + (i,)
        fields = _placeholders(line)
        if fields is None:
            out.append(Problem(path, "text whose braces form placeholders like {short}; write {{ or }} for a literal brace", line))
        elif not fields <= allowed:
            unknown = ", ".join(sorted(fields - allowed))
            out.append(Problem(path, f"placeholders among {{{', '.join(sorted(allowed))}}} (unknown: {unknown})", line))
        elif "\n" in line:
            out.append(Problem(path, "a single line", line))
    return out


def _placeholders(text: str) -> set | None:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None
