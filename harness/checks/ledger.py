"""Invariant bookkeeping for a timeline: which invariants each event broke, a state that was
already wrong reported once (where it began), and the not-stuck check when the events settle."""
from __future__ import annotations

from harness.library.invariant_names import NEVER_RED, ONE_REVISION
from harness.trace.timeline import TimelineRun, Violation
from harness.world.world import World

from . import invariants
from .alarms import Promotion, alarm_reasons

STANDING = (NEVER_RED, ONE_REVISION)  # states that stay wrong until something changes them


class InvariantLedger:
    def __init__(self, world: World, promotion: Promotion, publish_file: str):
        self.world, self.promotion, self.publish_file = world, promotion, publish_file
        self._standing: set[Violation] = set()

    def note_reasons(self, run: TimelineRun, latest: dict) -> None:
        """Add the reasons a red `run` would be news, as the world stands now (before or after it ran)."""
        found = alarm_reasons(self.world, self.promotion, run.target, latest)
        run.legit += [reason for reason in found if reason not in run.legit]

    def broken_by(self, runs: list[TimelineRun], before: dict, after: dict) -> list[Violation]:
        """Every invariant the state `after` (reached from `before` by `runs`) breaks."""
        world = self.world
        tag = self.promotion.target
        found = invariants.no_backwards(world, before, after, any(r.by_operator for r in runs), tag)
        found += invariants.never_red(world, after, self.promotion.e2e_file, tag)
        found += invariants.one_revision(world, after)
        found += [invariants.false_alarm(r.label) for r in runs if r.conclusion == "failure" and not r.legit]
        return found

    def new(self, found: list[Violation]) -> list[Violation]:
        """The violations this event caused: one already standing is not reported again."""
        fresh = [v for v in found if v not in self._standing]
        self._standing = {v for v in found if v.invariant in STANDING}
        return list(dict.fromkeys(fresh))

    def settled(self, runs: list[TimelineRun], latest: dict) -> list[Violation]:
        world = self.world
        promotable = invariants.newest_promotable(world, self.publish_file, self.promotion.e2e_file)
        concerned = [r for r in runs if r.triggered and promotable
                     and (r.target == promotable or world.is_ancestor(promotable, r.target))]
        # Only the last word counts: an early red run does not explain a later silent deferral.
        told = bool(concerned) and concerned[-1].conclusion == "failure" and bool(concerned[-1].legit)
        return invariants.not_stuck(world, latest, promotable, told, self.promotion.target)
