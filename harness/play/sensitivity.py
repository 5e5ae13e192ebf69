"""Sensitivity: break one branch of a config's rendered workflow at a time and check that the library
derived from that config notices (a scenario that covers the branch fails). Each edit is computed
from the config (its gate table, trigger names, images, short length, target tag and ancestry
policy), so it applies to any config's render, not only molecule-core's; an edit that has no branch
to break in a config (a gate whose arms all agree, one image) says why instead. `gen bench
--sensitivity` prints the kill count per config; the tests run the same edits."""
from __future__ import annotations

import fnmatch
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator import bash, gate
from generator.config import Config
from generator.render import render
from harness.library import derived
from harness.library.derived import gate as derived_gate
from harness.library.derived.base import slug
from harness.library.derived.gate import scenario_name

from .pods import run_scenarios

CASE_INDENT = " " * 12  # where the gate's `case` arms sit in the rendered workflow


@dataclass(frozen=True)
class Edit:
    name: str
    find: str  # occurs once in the rendered workflow
    replace: str
    scenarios: tuple[str, ...]  # derived scenarios that cover the branch; the first must fail


@dataclass
class Kill:
    edit: Edit
    failed: list[str]  # the scenarios that failed against the broken copy

    @property
    def killed(self) -> bool:
        return self.edit.scenarios[0] in self.failed


@dataclass
class SensitivityResult:
    config: str
    kills: list[Kill] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)  # edit → why the config has no such branch
    control_failed: list[str] = field(default_factory=list)  # scenarios that fail on the unbroken copy
    seconds: float = 0.0

    @property
    def killed(self) -> int:
        return sum(k.killed for k in self.kills)


def edits(config: Config, text: str) -> tuple[list[Edit], dict[str, str]]:
    """The single-branch edits for this config's rendered `text`, and the ones that do not apply."""
    out, skipped = [], {}
    for name, build in EDITS.items():
        edit = build(config, text)
        if isinstance(edit, str):
            skipped[name] = edit
        else:
            assert text.count(edit.find) == 1, f"edit {name}: its text must occur once in the render"
            out.append(edit)
    return out, skipped


def _arm_line(arm) -> str:
    return f"{CASE_INDENT}{'|'.join(arm.match)})\n"


def _explicit(arm) -> bool:
    return "*" not in arm.match


def _state_of(pattern: str) -> str | None:
    """The derived scenario's state for a pattern naming one class of run state (`pending/*` → `pending/`)."""
    values = [v for v in derived_gate.states() if fnmatch.fnmatchcase(v, pattern)]
    return values[0] if len(values) == 1 else None


def _gate_asked(config: Config) -> str | None:
    return None if config.publish_triggers else "no publish trigger: the gate is never asked"


def _state_moved(config: Config, text: str):
    """A state moved into an earlier arm with another action (the seed's cancelled-with-failure bug)."""
    if why := _gate_asked(config):
        return why
    arms = config.gate.arms
    for j, early in enumerate(arms):
        if not _explicit(early):
            continue
        for late in arms[j + 1:]:
            if late.action == early.action:
                continue
            for pattern in late.match:
                state = _state_of(pattern)
                if state and gate.decide(config.gate, state).action == late.action:
                    return Edit("gate-state-moved-to-an-earlier-arm", _arm_line(early),
                                f"{CASE_INDENT}{pattern}|{'|'.join(early.match)})\n", (scenario_name(state),))
    return "no two explicit arms with different actions"


def _arm_flipped(action: str, name: str, old: str, new: str):
    """The first arm taking `action` does the opposite (an abort that exits 0, a defer that proceeds)."""
    def build(config: Config, text: str):
        if why := _gate_asked(config):
            return why
        for i, arm in enumerate(config.gate.arms):
            if arm.action != action:
                continue
            state = next((v for v in derived_gate.states() if gate.decide(config.gate, v).arm == i), None)
            if state is None:
                continue
            start = text.index(_arm_line(arm))
            end = text.index(f"{CASE_INDENT}  ;;\n", start) + len(f"{CASE_INDENT}  ;;\n")
            body = text[start:end]
            if body.count(old) != 1 or text.count(body) != 1:
                continue
            return Edit(name, body, body.replace(old, new), (scenario_name(state),))
        return f"no `{action}` arm"
    return build


def _empty_list_reads_null(config: Config, text: str):
    if why := _gate_asked(config):
        return why
    fallback = next((a for a in config.gate.arms if any(fnmatch.fnmatchcase("null/none", p) for p in a.match)), None)
    if fallback is not None and fallback.action == gate.decide(config.gate, gate.NO_RUN).action:
        return "`null/none` takes the no-run arm's action too: no branch to break"
    return Edit("gate-empty-list-reads-null", """--jq '(.[0] // {}) | "\\(.status // "none")/\\(.conclusion // "none")"'""",
                """--jq '.[0] | "\\(.status)/\\(.conclusion // "none")"'""", (scenario_name(gate.NO_RUN),))


def _e2e_not_recognised(config: Config, text: str):
    if why := _gate_asked(config):
        return why
    e2e = config.e2e_trigger.name
    find = f'if [ "$UPSTREAM_NAME" = "{e2e}" ]'
    if text.count(find) != 1:
        return "the E2E name is escaped in the script"
    return Edit("gate-e2e-upstream-not-recognised", find, 'if [ "$UPSTREAM_NAME" = "never" ]',
                (f"trigger-{slug(e2e)}-success",))


def _job_if_drops_conclusion(config: Config, text: str):
    return Edit("job-if-drops-conclusion", " && github.event.workflow_run.conclusion == 'success')", ")",
                (f"trigger-{slug(config.e2e_trigger.name)}-failure",))


def _ancestry_dispatch(config: Config, text: str):
    plain = "id: ancestry\n        if: steps.gate.outputs.proceed == 'true'\n"
    skip = "id: ancestry\n        if: steps.gate.outputs.proceed == 'true' && github.event_name != 'workflow_dispatch'\n"
    if config.ancestry.on_dispatch == "skip":
        return Edit("ancestry-dispatch-policy-inverted", skip, plain, ("ancestry-dispatch-older",))
    return Edit("ancestry-dispatch-policy-inverted", plain, skip, ("ancestry-dispatch-older",))


def _constant(name: str, find: str, replace: str, scenario: str):
    return lambda config, text: Edit(name, find, replace, (scenario,))


def _no_label_inverted(config: Config, text: str):
    if config.ancestry.no_label == "skip":
        return Edit("ancestry-no-label-inverted", "(legacy image)\"\n            exit 0",
                    "(legacy image)\"\n            exit 1", ("ancestry-no-label",))
    return Edit("ancestry-no-label-inverted", "without an ancestry check\"\n            exit 1",
                "without an ancestry check\"\n            exit 0", ("ancestry-no-label",))


def _short_sha_shortened(config: Config, text: str):
    n = config.tags.short_sha_length
    if "{short}" not in config.tags.candidate:
        return "the candidate tag holds the whole SHA, not the short one"
    return Edit("short-sha-shortened", f'echo "short=${{FULL:0:{n}}}"', f'echo "short=${{FULL:0:{n - 1}}}"',
                ("retag-all-move",))


def _verify_drops_last(config: Config, text: str):
    last = config.images[-1]
    if len(config.images) == 1:
        return Edit("verify-loop-drops-an-image", f'IMAGES=("${{{last.env}}}")', "IMAGES=()",
                    (f"verify-{slug(last.name)}-missing",))
    loop = " ".join(f'"${{{i.env}}}"' for i in config.images)
    kept = " ".join(f'"${{{i.env}}}"' for i in config.images[:-1])
    return Edit("verify-loop-drops-an-image", f"for img in {loop}; do", f"for img in {kept}; do",
                (f"verify-{slug(last.name)}-missing",))


def _retag_wrong_image(config: Config, text: str):
    candidate = bash.candidate(config.tags.candidate)
    last = config.images[-1]
    find = f'crane tag "${{{last.env}}}:{candidate}" {config.tags.target}\n'
    if len(config.images) == 1:
        return Edit("retag-last-image-goes-astray", find, f'crane tag "${{{last.env}}}:{candidate}" '
                                                          f'{config.tags.target}-astray\n', ("retag-all-move",))
    first = config.images[0]
    return Edit("retag-last-image-goes-astray", find, f'crane tag "${{{first.env}}}:{candidate}" {config.tags.target}\n',
                ("retag-all-move",))


EDITS: dict[str, Callable] = {
    "gate-state-moved-to-an-earlier-arm": _state_moved,
    "gate-abort-arm-exits-0": _arm_flipped("abort", "gate-abort-arm-exits-0", f"{CASE_INDENT}  exit 1\n", ""),
    "gate-defer-arm-proceeds": _arm_flipped("defer", "gate-defer-arm-proceeds", 'echo "proceed=false"',
                                            'echo "proceed=true"'),
    "gate-empty-list-reads-null": _empty_list_reads_null,
    "gate-e2e-upstream-not-recognised": _e2e_not_recognised,
    "job-if-drops-conclusion": _job_if_drops_conclusion,
    "ancestry-dispatch-policy-inverted": _ancestry_dispatch,
    "ancestry-compare-arguments-swapped": _constant(
        "ancestry-compare-arguments-swapped", '"repos/${REPO}/compare/${CURRENT_REVISION}...${TARGET_SHA}"',
        '"repos/${REPO}/compare/${TARGET_SHA}...${CURRENT_REVISION}"', "ancestry-compare-ahead"),
    "ancestry-no-label-inverted": _no_label_inverted,
    "ancestry-identical-shortcut-removed": _constant(
        "ancestry-identical-shortcut-removed", 'if [ "$CURRENT_REVISION" = "$TARGET_SHA" ]; then',
        'if [ "$CURRENT_REVISION" = "never" ]; then', "ancestry-label-equals-target"),
    "short-sha-shortened": _short_sha_shortened,
    "verify-loop-drops-an-image": _verify_drops_last,
    "retag-last-image-goes-astray": _retag_wrong_image,
}


def run(config: Config, label: str, pods: int = 2, only: list[str] | None = None,
        progress: Callable[[str], None] = print) -> SensitivityResult:
    """Each edit's scenarios against its broken copy, after a control run on the unbroken render."""
    started = time.monotonic()
    text = render(config, label).text
    chosen, skipped = edits(config, text)
    if only is not None:
        chosen = [e for e in chosen if e.name in only]
    library = {s.name: s for s in derived.scenarios(config)}
    result = SensitivityResult(label, not_applicable=skipped)
    with tempfile.TemporaryDirectory(prefix="promote-gen-sensitivity-") as folder:
        def failing(workflow_text: str, names: list[str]) -> list[str]:
            path = Path(folder) / "workflow.yml"
            path.write_text(workflow_text, encoding="utf-8")
            traces = run_scenarios([library[n] for n in names], path, lambda line: None, config, pods=pods)
            return [t.scenario for t in traces if not t.passed]

        covered = sorted({n for e in chosen for n in e.scenarios})
        result.control_failed = failing(text, covered)
        for edit in chosen:
            failed = failing(text.replace(edit.find, edit.replace), list(edit.scenarios))
            result.kills.append(Kill(edit, failed))
            progress(f"{label}: {edit.name}: {'killed' if result.kills[-1].killed else 'SURVIVED'}")
    result.seconds = time.monotonic() - started
    return result


def report(results: list[SensitivityResult]) -> str:
    width = max([len("config")] + [len(r.config) for r in results])
    lines = [f"{'config':<{width}} {'killed':>7} {'n/a':>4} {'seconds':>8}"]
    for r in results:
        lines.append(f"{r.config:<{width}} {r.killed:>3}/{len(r.kills):<3} {len(r.not_applicable):>4} {r.seconds:>8.1f}")
        lines += [f"  SURVIVED {k.edit.name} ({k.edit.scenarios[0]} passed)" for k in r.kills if not k.killed]
        lines += [f"  n/a {name}: {why}" for name, why in r.not_applicable.items()]
        lines += [f"  CONTROL FAILED {name}" for name in r.control_failed]
    return "\n".join(lines)
