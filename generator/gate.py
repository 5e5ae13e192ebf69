"""The gate's decision table: which `status/conclusion` strings exist and which arm takes each.

The rendered bash is a `case` over the same arms in the same order, so these functions predict
what the bash decides; the harness checks that it really does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .config import Gate, GateArm
from .vocabulary import RUN_CONCLUSIONS, RUN_STATUSES

# What `gh run list --json status,conclusion` can print for a run. gh exports a null
# conclusion as "", so a running E2E prints `in_progress/`.
STATUSES = RUN_STATUSES
CONCLUSIONS = (*RUN_CONCLUSIONS, "")
NO_RUN = "none/none"
API_ERROR = "api-error"

PATTERN = re.compile(r"\*|(\*|[a-z_]+)/(\*|[a-z_]*)")


def universe() -> list[str]:
    """Every string the gate's `case` can see, in a stable order."""
    return [f"{s}/{c}" for s in STATUSES for c in CONCLUSIONS] + [NO_RUN]


def arm_for(arms: list[GateArm], value: str) -> int | None:
    """Index of the first arm whose pattern matches, as bash `case` picks it."""
    for i, arm in enumerate(arms):
        if any(fnmatchcase(value, p) for p in arm.match):
            return i
    return None


@dataclass(frozen=True)
class Decision:
    value: str
    action: str
    arm: int | None  # None for the API-error path

    @property
    def proceed(self) -> bool:
        return self.action == "proceed"

    @property
    def exit_code(self) -> int:
        return 1 if self.action == "abort" else 0


def decide(gate: Gate, value: str) -> Decision:
    """What the rendered gate does when gh prints `value` (or fails, for API_ERROR)."""
    if value == API_ERROR:
        if gate.on_api_error == "proceed":
            return decide(gate, NO_RUN)
        return Decision(value, gate.on_api_error, None)
    index = arm_for(gate.arms, value)
    if index is None:
        raise ValueError(f"no gate arm matches {value!r}")
    return Decision(value, gate.arms[index].action, index)


def pattern_problem(pattern: str) -> str | None:
    """Why a pattern is not a `status/conclusion` glob over known names, or None."""
    if not PATTERN.fullmatch(pattern):
        return "a `status/conclusion` pattern such as `completed/success`, `in_progress/*` or `*`"
    if pattern in ("*", NO_RUN):
        return None
    status, conclusion = pattern.split("/")
    if status != "*" and status not in STATUSES:
        return f"a run status, one of {', '.join(STATUSES)} or *"
    if conclusion != "*" and conclusion not in CONCLUSIONS:
        return f"a conclusion, one of {', '.join(c for c in CONCLUSIONS if c)}, empty (null) or *"
    return None


def uncovered(arms: list[GateArm]) -> list[str]:
    return [v for v in universe() if arm_for(arms, v) is None]


def unreachable(arms: list[GateArm]) -> list[int]:
    """Arms that no known value reaches because earlier arms take all of it."""
    reached = {arm_for(arms, v) for v in universe()}
    return [i for i in range(len(arms)) if i not in reached]
