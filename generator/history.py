"""The bugs in the seed's history, rendered on purpose. Timelines replay the day each one bit against
the workflow rendered with the bug (`render(config, path, history={...})`), so the "without the
fix" run exists for every config, in its own names, rather than as a text edit that only finds
molecule-core's words. Three are config changes; the rest are switches in the templates. One is
promote-gen's own: split protection under per-SHA concurrency, which `generator/rules.py` now refuses."""
from __future__ import annotations

from .config import Config, GateArm

CANCELLED = "completed/cancelled"

BUGS = {
    "cancelled-aborts": "`completed/cancelled` in an abort arm, as before 31f9a5e (a superseded run paged someone)",
    "run-list-null": "the gate's jq without `(.[0] // {})`: an empty run list reads `null/none`",
    "e2e-only-trigger": "only the E2E trigger: commits whose paths skip E2E never promote",
    "no-ancestry-check": "no ancestry step, as before #2244: a late completion moves the target tag back",
    "label-reads-null": "the revision-label lookup without `// empty`: a missing label reads `null`",
    "ancestry-error-text": "the seed's `|| echo \"error\"` capture: gh's error body reaches the summary",
    "rollback-per-sha": "split protection under per-SHA concurrency, as promote-gen allowed before issue 9: the "
                        "rollback restores digests recorded before another commit's run retagged",
}
TEMPLATE_SWITCHES = frozenset({"run-list-null", "label-reads-null", "ancestry-error-text", "no-ancestry-check"})


def unknown(history) -> list[str]:
    return sorted(set(history) - set(BUGS))


def apply(config: Config, history) -> Config:
    """The config with the history's config-level bugs in it (the template switches go to render)."""
    if "cancelled-aborts" in history:
        arms = [arm.model_copy(update={"match": [m for m in arm.match if m != CANCELLED]}) for arm in config.gate.arms]
        arms = [GateArm(match=[CANCELLED], action="abort", comment="cancelled grouped with failure (the old bug)"),
                *(arm for arm in arms if arm.match)]
        config = config.model_copy(update={"gate": config.gate.model_copy(update={"arms": arms})})
    if "e2e-only-trigger" in history:
        config = config.model_copy(update={"triggers": [t for t in config.triggers if t.role == "e2e"]})
    if "rollback-per-sha" in history:
        config = config.model_copy(update={
            "concurrency": config.concurrency.model_copy(update={"policy": "per-sha"}),
            "retag": config.retag.model_copy(update={"protect_split": True})})
    return config
