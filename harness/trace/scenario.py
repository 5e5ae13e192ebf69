"""What happened in one simulated scenario run, as data."""
from __future__ import annotations

from dataclasses import dataclass, field

from .check import Check
from .job import JobResult, StepResult


@dataclass
class ScenarioTrace:
    scenario: str
    description: str
    workflow: str
    event: str
    triggered: bool
    trigger_reason: str
    concurrency: str | None = None
    tools: str = ""  # the pod's crane, gh and registry versions
    jobs: list[JobResult] = field(default_factory=list)
    registry_before: dict[str, dict[str, str]] = field(default_factory=dict)
    registry_after: dict[str, dict[str, str]] = field(default_factory=dict)
    digest_names: dict[str, str] = field(default_factory=dict)  # digest → what it is
    requests: list[dict] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    seconds: float = 0.0
    intent: str | None = None  # what the scenario states it shows
    outcome: str | None = None  # the intent the run amounted to
    upstream: str | None = None  # the workflow_run event's workflow, None for a dispatch

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def unmatched(self) -> list[dict]:
        return [r for r in self.requests if r.get("unmatched")]

    def steps(self) -> list[StepResult]:
        return [s for job in self.jobs for s in job.steps]

    def api_requests(self) -> list[str]:
        return [request_line(r) for r in self.requests if r["service"] == "api"]


def request_line(r: dict) -> str:
    query = r.get("query") or ""
    if isinstance(query, dict):
        query = "&".join(f"{k}={v}" for k, v in sorted(query.items()))
    return f"{r['method']} {r['path']}{'?' + query if query else ''}"
