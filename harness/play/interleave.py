"""Two overlapping runs, interleaved at step boundaries: which orders to try, and playing one."""
from __future__ import annotations

import itertools
import math
import random
from typing import Callable

from generator.loader import InputError
from harness.checks import invariants
from harness.library.timeline import Interleave
from harness.runner.run import WorkflowRunner
from harness.trace.timeline import TimelineRun, Violation
from harness.world.world import World


def orders(steps_a: int, steps_b: int, settings: Interleave) -> list[str]:
    """Step orders for two overlapping jobs: both serial orders first, then all or a seeded sample."""
    total = math.comb(steps_a + steps_b, steps_a)
    serial = ["a" * steps_a + "b" * steps_b, "b" * steps_b + "a" * steps_a]
    if settings.orders == "all":
        if total > settings.limit:
            raise InputError(f"interleave: all {total} orders exceed limit {settings.limit}; use orders: sample")
        found = [_order(set(picks), steps_a + steps_b)
                 for picks in itertools.combinations(range(steps_a + steps_b), steps_a)]
        return serial + [o for o in found if o not in serial]
    rng = random.Random(settings.seed)
    out = list(serial)
    while len(out) < min(settings.limit, total):
        order = _order(set(rng.sample(range(steps_a + steps_b), steps_a)), steps_a + steps_b)
        if order not in out:
            out.append(order)
    return out


def _order(picks: set[int], length: int) -> str:
    return "".join("a" if i in picks else "b" for i in range(length))


def step_through(order: str, runners: dict[str, tuple[WorkflowRunner, TimelineRun]], world: World, before: dict,
                 read_latest: Callable[[], dict]) -> list[Violation]:
    """Run two runs a step at a time in `order` (each run's jobs in dependency order); :latest is read
    after every step that ran, because a move back and forth inside the overlap is invisible from its
    two ends."""
    moves, current = [], dict(before)
    for who in order:
        runner, run = runners[who]
        if runner.pending() and runner.step().ran:
            now = read_latest()
            moves += invariants.no_backwards(world, current, now, run.by_operator)
            current = now
    for runner, run in runners.values():
        run.jobs = runner.finish()
    return moves
