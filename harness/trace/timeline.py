"""What happened in one timeline: each event, the runs it fired, the step orders tried, where
:latest went, and the invariants broken, with the event that broke them."""
from __future__ import annotations

from dataclasses import dataclass, field

from harness.world.world import World

from .check import Check
from .job import JobResult


@dataclass(frozen=True)
class Violation:
    invariant: str
    text: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.text}"


@dataclass
class TimelineRun:
    """One run of the workflow under test, fired by a timeline event."""

    label: str
    triggered: bool
    reason: str
    target: str
    group: str | None = None
    jobs: list[JobResult] = field(default_factory=list)
    # Why a red run would tell an operator something true (the name is the --json key).
    legit: list[str] = field(default_factory=list)
    by_operator: bool = False
    cancel_in_progress: bool = False  # the run's `concurrency.cancel-in-progress`, evaluated
    queue: str = "single"  # the run's `concurrency.queue`
    cancelled: str = ""  # why GitHub's concurrency queue cancelled the run (empty: it was not)

    @property
    def conclusion(self) -> str:
        if not self.triggered:
            return "not triggered"
        if self.cancelled:
            return "cancelled"
        if not any(j.ran for j in self.jobs):
            return "skipped"
        return "failure" if any(j.conclusion == "failure" for j in self.jobs) else "success"

    def fresh(self) -> "TimelineRun":
        """The same planned run, not yet run (for another step order)."""
        return TimelineRun(self.label, self.triggered, self.reason, self.target, self.group,
                           by_operator=self.by_operator, cancel_in_progress=self.cancel_in_progress,
                           queue=self.queue)


@dataclass
class OrderTried:
    order: str  # e.g. "aabab": which run took each step
    runs: list[TimelineRun]
    latest: dict[str, str | None]
    violations: list[Violation]


@dataclass
class EventPlayed:
    index: int
    text: str
    runs: list[TimelineRun] = field(default_factory=list)
    latest: dict[str, str | None] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    orders: list[OrderTried] = field(default_factory=list)
    continued_from: str | None = None
    search: str = ""  # how the orders were chosen: search, sample or all
    space: int | None = None  # search: the classes of equivalent orders, as far as the steps played tell
    exhausted: bool = False  # search: an order of every class was played
    stopped: bool = False  # search: ended once the orders broke every invariant the variant expects broken


@dataclass
class TimelineTrace:
    name: str
    variant: str
    description: str
    workflow: str
    world: World
    target: str  # the config's target tag: the tag whose moves the timeline follows
    tools: str = ""  # the pod's crane, gh and registry versions
    initial: dict[str, str | None] = field(default_factory=dict)
    events: list[EventPlayed] = field(default_factory=list)
    final: list[Violation] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    summaries: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def scenario(self) -> str:  # the name the pass/fail table shows
        return f"{self.name}[{self.variant}]"

    def broken(self) -> dict[str, int]:
        """invariant → first event index that broke it (0 for the end-of-timeline check)."""
        out: dict[str, int] = {}
        for record in self.events:
            for v in record.violations:
                out.setdefault(v.invariant, record.index)
        for v in self.final:
            out.setdefault(v.invariant, 0)
        return out
