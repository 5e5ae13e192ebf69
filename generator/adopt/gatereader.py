"""The gate step: the E2E upstream it short-circuits, the `gh run list` it asks, what a failed
call becomes, and the `case` arms that decide."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import gate as gate_table
from . import shell, text
from .source import Source, Step

API_ERROR = "api-error"


@dataclass
class GateReading:
    e2e_name: str | None = None
    display: str | None = None
    workflow_file: str | None = None
    branch: str | None = None
    on_api_error: str = "abort"
    api_error_summary: list[str] | None = None
    arms: list[dict] = field(default_factory=list)


def names(short_len: int) -> text.Placeholders:
    return text.Placeholders(
        {"SHA": "sha", "RESULT": "result", "ERROR": "error",
         "steps.sha.outputs.short": "short", "steps.sha.outputs.full": "sha"},
        {"SHA": "short"}, short_len)


def read(step: Step, source: Source, short_len: int) -> GateReading:
    out, state = GateReading(), _State()
    lines, ph, i = step.lines, names(short_len), 0
    while i < len(lines):
        with shell.at(lines[i]):
            i = _top_level(lines, i, out, state, source, ph)
    if state.comments and not _generated(state.comments):
        source.note(state.comments[0].number, f"gate: {len(state.comments)} bash comment line(s) outside the case "
                                              "arms are not carried; the renderer explains the table itself")
    _api_error(state.fallback, state.negated, out, step, source)
    return out


@dataclass
class _State:
    fallback: str | None = None
    negated: bool = False
    comments: list[shell.Line] = field(default_factory=list)


def _top_level(lines: list[shell.Line], i: int, out: GateReading, state: _State, source: Source,
               ph: text.Placeholders) -> int:
    """Read the statement at `lines[i]`; return the index of the next one."""
    line = lines[i]
    sub = shell.substitution(line.text)
    if line.is_comment:
        state.comments.append(line)
    elif sub and "gh run list" in sub.command:
        _gh_call(sub, line, out, source)
        state.fallback, state.negated = sub.fallback, sub.negated
        if sub.negated:  # `if ! RESULT=$(…); then RESULT="api-error"; fi`
            return shell.read_if(lines, i).end
    elif line.text.startswith("if "):
        block = shell.read_if(lines, i)
        _short_circuit(block, out, source)
        return block.end
    elif line.text.startswith("case "):
        case = shell.read_case(lines, i)
        _arms(case, out, source, ph)
        return case.end
    elif line.text.startswith("echo ") and out.display is None and (shown := text.printed(line)):
        match = re.match(r"^(.+) for \$\{SHA:0:[0-9]+\}: \$\{RESULT\}$", shown)
        if match:
            out.display = match.group(1)
    elif line.text not in ("set -euo pipefail", "set -eu", "set -e") and not line.text.startswith("GH_ERR="):
        source.note(line.number, f"gate: `{line.text[:70]}` is not read")
    return i + 1


def _generated(comments: list[shell.Line]) -> bool:
    """The rendered gate's own comments (they come back from the template)."""
    return comments[0].text.startswith("# Upstream is a publish workflow: ask for the E2E run of this SHA.")


def _gh_call(sub: shell.Substitution, line: shell.Line, out: GateReading, source: Source) -> None:
    cmd = shell.command(sub.command)
    found = shell.flags(cmd.argv)
    out.workflow_file = found["workflow"].literal if "workflow" in found else None
    out.branch = found["branch"].literal if "branch" in found else None
    if out.workflow_file is None:
        source.note(line.number, "gate: `gh run list` names no literal --workflow file")
    jq = found.get("jq")
    if jq is None or "(.[0] // {})" not in (jq.literal or ""):
        source.note(line.number, "gate: the --jq filter lacks `(.[0] // {})`, so an empty run list would read "
                                 "`null/none`; the rendered gate reads it as none/none")


def _short_circuit(block: shell.If, out: GateReading, source: Source) -> None:
    operands = shell.test_operands(block.condition) or []
    values = [w.literal for w in operands]
    subject = operands[0].parts[0] if operands and operands[0].parts else None
    if "workflow_dispatch" in values:
        return  # the operator override; every rendered gate has it
    if subject is not None and subject.text in ("UPSTREAM_NAME", "github.event.workflow_run.name") and len(values) == 3:
        out.e2e_name = values[2]
        return
    source.note(block.line, f"gate: `if {block.condition}` is not a check this reader knows; not carried")


def _arms(case: shell.Case, out: GateReading, source: Source, ph: text.Placeholders) -> None:
    for arm in case.arms:
        read = _arm(arm, source, ph)
        if arm.patterns == [API_ERROR]:
            out.on_api_error = read["action"]
            out.api_error_summary = read.get("summary")
            continue
        for pattern in arm.patterns:
            why = gate_table.pattern_problem(pattern)
            if why:
                source.note(arm.line, f"gate: arm pattern {pattern!r}: {why}")
        out.arms.append(read)


def _arm(arm: shell.Arm, source: Source, ph: text.Placeholders) -> dict:
    proceed, exits, notice, summary = None, False, None, []
    i = 0
    while i < len(arm.body):
        line = arm.body[i]
        if line.is_comment:
            i += 1
            continue
        if line.text == "{":
            group = shell.read_group(arm.body, i)
            summary += text.group_lines(group, ph, source)
            i = group.end
            continue
        parts = text.echoed(line)
        cmd = shell.command(line.text)
        shown = text.printed(line) or ""
        if parts is not None and cmd.appends_to == "$GITHUB_OUTPUT" and shown.startswith("proceed="):
            proceed = shown == "proceed=true"
        elif parts is not None and shown.startswith("::notice::"):
            notice = text.config_text(parts, ph, line.number, source)[len("::notice::"):]
        elif line.text == "exit 1":
            exits = True
        elif line.text == "exit 0" or line.text.startswith("ERROR=") or shown.startswith(("::error::", "::warning::")):
            pass  # the rendered arm writes its own exit and annotations from the action
        else:
            source.note(line.number, f"gate: `{line.text[:70]}` in the `{'|'.join(arm.patterns)}` arm is not carried")
        i += 1
    if proceed is None:
        source.note(arm.line, f"gate: the `{'|'.join(arm.patterns)}` arm sets no proceed output; read as abort")
        proceed = False
    action = "proceed" if proceed else ("abort" if exits else "defer")
    if proceed and exits:
        source.note(arm.line, f"gate: the `{'|'.join(arm.patterns)}` arm proceeds and exits 1; read as proceed")
    out = {"match": arm.patterns, "action": action}
    comment = text.comment_text(arm.body)
    if comment:
        out["comment"] = comment
    if notice:
        out["notice"] = notice
    if summary:
        out["summary"] = summary
    return out


def _api_error(fallback: str | None, negated: bool, out: GateReading, step: Step, source: Source) -> None:
    if negated:
        return  # read from the `api-error` arm
    if fallback is None:
        source.note(step.line, "gate: a failed `gh run list` fails the step (no fallback); read as on_api_error: abort")
        out.on_api_error = "abort"
        return
    echo = shell.echo_parts(fallback)
    value = "".join(p.text for p in echo) if echo else None
    if value is None:
        source.note(step.line, f"gate: the fallback `|| {fallback}` is not an echo; read as on_api_error: abort")
        out.on_api_error = "abort"
        return
    index = gate_table.arm_for([_Arm(a["match"]) for a in out.arms], value)
    if index is None:
        source.note(step.line, f"gate: a failed gh call reads as {value!r}, which no arm takes; read as abort")
        out.on_api_error = "abort"
        return
    action = out.arms[index]["action"]
    if value != gate_table.NO_RUN or action != "proceed":
        source.note(step.line, f"gate: a failed gh call reads as {value!r} ({action}); the config's "
                               f"on_api_error: {action} writes its own summary")
    out.on_api_error = action


@dataclass(frozen=True)
class _Arm:
    match: list[str]
