"""The steps around the gate: short SHA, the pinned setup-crane, retags, ancestry and summary."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import shell, text
from .source import Source, Step, eol_comment

SHA40 = re.compile(r"^[0-9a-f]{40}$")
CANDIDATE_NAMES = {"steps.sha.outputs.short": "short", "SHORT": "short", "steps.sha.outputs.full": "sha", "SHA": "sha"}


def short_length(step: Step, source: Source) -> int:
    for line in step.lines:
        match = re.search(r"short=\$\{[A-Za-z_]+:0:([0-9]+)\}", line.text)
        if match:
            return int(match.group(1))
    source.note(step.line, "sha: no `short=${FULL:0:N}` output; read the short SHA as 7 characters")
    return 7


def setup_crane(step: Step, source: Source) -> dict | None:
    uses = step.uses or ""
    action, _, ref = uses.partition("@")
    version = eol_comment(step.node, "uses")
    if not SHA40.match(ref):
        source.note(step.key_line("uses"), f"setup-crane: `{uses}` is not pinned to a commit SHA; the config pins "
                                           "the known release instead")
        return None
    if not version:
        source.note(step.key_line("uses"), "setup-crane: no `# version` comment after the SHA; written as `unknown`")
    return {"uses": action, "sha": ref, "version": version or "unknown"}


@dataclass
class Retag:
    env: str
    candidate: str
    target: str
    label: str | None
    line: int


def retag(step: Step, source: Source) -> Retag | None:
    for line in step.lines:
        cmd = shell.command(line.text)
        argv = cmd.argv
        if len(argv) >= 4 and argv[0].raw == "crane" and argv[1].raw == "tag":
            return _retag_words(argv[2], argv[3], step, line, source)
    source.note(step.line, f"retag: step `{step.name}` has no `crane tag IMAGE:CANDIDATE TARGET`")
    return None


def _retag_words(src: shell.Word, target: shell.Word, step: Step, line: shell.Line, source: Source) -> Retag | None:
    parts = list(src.parts)
    if len(parts) < 2 or parts[0].kind != "var" or parts[1].kind != "lit" or not parts[1].text.startswith(":"):
        source.note(line.number, f"retag: `{src.raw}` is not `${{IMAGE_VAR}}:candidate`")
        return None
    rest = [shell.Part("lit", parts[1].text[1:])] + parts[2:]
    candidate = text.config_text(rest, text.Placeholders(CANDIDATE_NAMES), line.number, source)
    label = None
    match = re.match(r"^Retag (.+?) :", step.name or "")
    if match:
        label = match.group(1)
    if target.literal is None:
        source.note(line.number, f"retag: the target tag `{target.raw}` is not literal")
        return None
    return Retag(parts[0].text, candidate, target.literal, label, line.number)


def summary_names(step: Step, target: str) -> tuple[list[str], list[str]]:
    """(image names from the `- NAME:candidate → :target` lines, fan-out notes after them)."""
    names, notes, after = [], [], False
    for i, line in enumerate(step.lines):
        if line.text != "{":
            continue
        group = shell.read_group(step.lines, i)
        for inner in group.body:
            shown = text.printed(inner)
            if shown is None:
                continue
            match = re.match(r"^- (.+?):.* → :" + re.escape(target) + "$", shown)
            if match:
                names.append(match.group(1))
                after = True
            elif after and shown:
                notes.append(text.config_text(text.echoed(inner), text.Placeholders(
                    {"steps.sha.outputs.short": "short", "SHORT": "short"}), inner.number, _Quiet()))
        break
    return names, notes


class _Quiet:
    """A note sink for text whose unknown expansions stay literal without comment."""

    def note(self, line: int, message: str) -> None:
        pass


ANCESTRY_NAMES = {"TARGET_SHA": "target", "CURRENT_REVISION": "current", "STATUS": "status", "REPO": "repo"}


@dataclass
class AncestryReading:
    label: str | None = None
    no_label: str = "skip"
    summaries: dict[str, list[str]] = field(default_factory=dict)


def ancestry(step: Step, source: Source, short_len: int) -> AncestryReading:
    out = AncestryReading()
    ph = text.Placeholders(ANCESTRY_NAMES, {"TARGET_SHA": "target_short", "CURRENT_REVISION": "current_short"}, short_len)
    lines, i = step.lines, 0
    identical_shortcut = False
    while i < len(lines):
        line = lines[i]
        sub = shell.substitution(line.text)
        if sub and sub.variable == "CURRENT_REVISION":
            _label(sub, line, out, source)
        elif sub and sub.variable == "STATUS":
            _compare(sub, line, source)
            if sub.negated:
                i = shell.read_if(lines, i).end
                continue
        elif line.text.startswith("if "):
            block = shell.read_if(lines, i)
            if "-z" in block.condition and "CURRENT_REVISION" in block.condition:
                exits = [l.text for l in block.then if l.text.startswith("exit ")]
                out.no_label = "fail" if "exit 1" in exits else "skip"
                _summary(out, "no_label_fail" if out.no_label == "fail" else "no_label", block.then, ph, source)
            elif "CURRENT_REVISION" in block.condition and "TARGET_SHA" in block.condition:
                identical_shortcut = True
            else:
                source.note(block.line, f"ancestry: `if {block.condition}` is not read")
            i = block.end
            continue
        elif line.text.startswith("case "):
            case = shell.read_case(lines, i)
            for arm in case.arms:
                key = {"behind": "behind", "diverged": "diverged"}.get(arm.patterns[0], "error")
                if arm.patterns[0] in ("ahead", "identical"):
                    continue
                if "exit 1" not in [l.text for l in arm.body]:
                    source.note(arm.line, f"ancestry: the `{'|'.join(arm.patterns)}` arm does not exit 1; "
                                          "the rendered check refuses there")
                _summary(out, key, arm.body, ph, source)
            i = case.end
            continue
        i += 1
    if not identical_shortcut:
        source.note(step.line, "ancestry: no shortcut when the label equals the target; the rendered check has one")
    return out


def _summary(out: AncestryReading, key: str, body: list[shell.Line], ph: text.Placeholders, source: Source) -> None:
    for i, line in enumerate(body):
        if line.text == "{":
            out.summaries[key] = text.group_lines(shell.read_group(body, i), ph, source)
            return


def _label(sub: shell.Substitution, line: shell.Line, out: AncestryReading, source: Source) -> None:
    match = re.search(r"\.config\.Labels\[\"([^\"]+)\"\]", sub.command)
    if not match:
        source.note(line.number, "ancestry: no `.config.Labels[\"…\"]` lookup; the revision label stays the default")
        return
    out.label = match.group(1)
    if "// empty" not in sub.command:
        source.note(line.number, "ancestry: the label lookup lacks `// empty`, so a missing label reads as `null`; "
                                 "the rendered check reads it as missing")


def _compare(sub: shell.Substitution, line: shell.Line, source: Source) -> None:
    if "${CURRENT_REVISION}...${TARGET_SHA}" not in sub.command:
        source.note(line.number, "ancestry: the compare is not `CURRENT...TARGET`; the rendered check asks that way")
    if sub.fallback:
        source.note(line.number, f"ancestry: `|| {sub.fallback}` appends to whatever gh printed; the rendered check "
                                 "decides by gh's exit status, so an error body never reaches the summary")
