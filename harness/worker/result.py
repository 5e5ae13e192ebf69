"""What one step did, as the worker reports it and the trace records it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

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

    def to_wire(self) -> dict:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: dict) -> "StepResult":
        annotations = [Annotation(a["level"], a["message"], tuple(tuple(p) for p in a["properties"]))
                       for a in data["annotations"]]
        log = [(stream, line) for stream, line in data["log"]]
        return cls(**{**data, "annotations": annotations, "log": log})
