"""What one job did: each step's result, and the job's."""
from __future__ import annotations

from dataclasses import dataclass, field

from harness.worker.result import StepResult

__all__ = ["JobResult", "StepResult"]


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
