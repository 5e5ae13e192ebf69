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
    needs: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    skip_reason: str = ""

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)


def run_conclusion(jobs: list[JobResult]) -> str:
    """The run's conclusion: failure when a job failed, skipped when every job was, else success."""
    conclusions = [j.conclusion for j in jobs]
    for worst in ("failure", "cancelled"):
        if worst in conclusions:
            return worst
    return "skipped" if conclusions and all(c == "skipped" for c in conclusions) else "success"
