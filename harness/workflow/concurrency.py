"""`concurrency:` as GitHub evaluates it when a run is queued, and GitHub's concurrency queue for
runs that overlap (a timeline's `together:`), decided before any step runs: which runs start, in
which order each group carries them, which are cancelled.

Per concurrency group there is at most one running run and one pending run. A run queued while
its group is busy becomes the pending one, and the pending run it displaces is cancelled;
`cancel-in-progress: true` on the newer run cancels the running one as well, and `queue: max`
lets up to 100 runs wait instead of one (a newer run is then cancelled only when the queue is
full). Group names compare case-insensitively; runs without a group never wait. The runs of one
event arrive in the order the timeline lists them, while the first run of each group still runs.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field

from harness import expressions

from .contexts import Contexts
from .model import Workflow

LETTERS = string.ascii_lowercase  # a run's name in a step order: a = the event's first run, b = …
PENDING_MAX = 100  # how many runs `queue: max` lets wait in one group
GITHUB_SAYS = "Canceling since a higher priority waiting request for '{group}' exists"


@dataclass(frozen=True)
class Concurrency:
    """A run's `concurrency:`, evaluated."""

    group: str | None
    cancel_in_progress: bool = False
    queue: str = "single"  # `single`: one pending run, a newer one replaces it; `max`: up to 100 wait


def evaluate(workflow: Workflow, contexts: Contexts) -> Concurrency:
    """`concurrency:` as a string (the group, expanded), or its `group:`, `cancel-in-progress:` (a
    boolean or an expression) and `queue:`."""
    node = workflow.concurrency
    if isinstance(node, str):
        return Concurrency(expressions.interpolate(node, contexts.mapping()))
    if not isinstance(node, dict) or "group" not in node:
        return Concurrency(None)
    group = expressions.interpolate(str(node["group"]), contexts.mapping())
    cancel = node.get("cancel-in-progress", False)
    if isinstance(cancel, str):
        cancel = expressions.truthy(expressions.evaluate_template(cancel, contexts.mapping()))
    return Concurrency(group, bool(cancel), "max" if str(node.get("queue", "single")) == "max" else "single")


@dataclass
class Lane:
    """What one group carries: the runs that start, one after the other (arrival indexes)."""

    runs: list[int]
    cut: bool = False  # the first run is cancelled in progress by a newer run's cancel-in-progress
    waiting: list[int] = field(default_factory=list)

    def shapes(self, steps: int) -> list[str]:
        """The step strings this lane may take: with a cut, one per step boundary the cancel may
        fall on (before the first step, …, before the last); else the runs' steps back to back."""
        rest = "".join(LETTERS[i] * steps for i in self.runs[1:])
        if not self.cut:
            return [LETTERS[self.runs[0]] * steps + rest]
        return [LETTERS[self.runs[0]] * k + rest for k in range(steps)]


@dataclass
class Schedule:
    lanes: list[Lane]
    cancelled: dict[int, str]  # arrival index → why (a run cut in progress is in a lane too)

    @property
    def overlaps(self) -> bool:
        """Whether any step order is to choose: two groups run at once, or a cancel falls mid-run."""
        return len(self.lanes) > 1 or any(lane.cut for lane in self.lanes)


def ordinal(index: int) -> str:
    words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
    return words[index] if index < len(words) else f"#{index + 1}"


def schedule(runs: list[Concurrency]) -> Schedule:
    """Queue runs (their settings, in arrival order) the way GitHub does."""
    lanes: dict[str, Lane] = {}
    cancelled: dict[int, str] = {}
    for i, run in enumerate(runs):
        key = run.group.lower() if run.group is not None else f"\0{i}"
        lane = lanes.get(key)
        if lane is None:
            lanes[key] = Lane([i])
            continue
        says = GITHUB_SAYS.format(group=run.group)
        if run.cancel_in_progress and not lane.cut:
            lane.cut = True
            cancelled[lane.runs[0]] = (f"in progress, by the {ordinal(i)} run's cancel-in-progress; "
                                       f"GitHub: {says}")
        if len(lane.waiting) < (PENDING_MAX if run.queue == "max" else 1):
            lane.waiting.append(i)
        elif run.queue == "max":
            cancelled[i] = f"on arrival: {PENDING_MAX} runs already wait in the group; GitHub: {says}"
            continue
        else:
            dropped = lane.waiting.pop()
            cancelled[dropped] = f"while pending, replaced by the {ordinal(i)} run; GitHub: {says}"
            lane.waiting.append(i)
    for lane in lanes.values():
        lane.runs += lane.waiting
    return Schedule(list(lanes.values()), cancelled)
