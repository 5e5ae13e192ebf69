"""What one job did: each step's result, and the job's."""
from __future__ import annotations

from dataclasses import dataclass, field

from harness.workflow.commands import Annotation


@dataclass
class StepResult:
    index: int
    title: str
    id: str | None
    condition: str
    ran: bool
    outcome: str
    conclusion: str
    exit_code: int | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    uses: str | None = None
    seconds: float = 0.0
    skip_reason: str = ""
    invocation: dict | None = None  # argv, env, workdir: what `gen bench` replays without the harness


@dataclass
class JobResult:
    id: str
    condition: str
    ran: bool
    conclusion: str
    steps: list[StepResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)
