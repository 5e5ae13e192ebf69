"""Overlapping runs, interleaved at step boundaries: which orders to try, and playing one."""
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

from .footprint import NOTHING, Footprint
from .order_search import OrderSearch, tokens


class FixedOrders:
    """The orders `sample` or `all` chooses up front, offered one by one like the search's."""

    space, exhausted, stopped = None, False, False

    def __init__(self, shapes: list[list[str]], settings: Interleave):
        self.left = lane_orders(shapes, settings)

    def next(self) -> str | None:
        return self.left.pop(0) if self.left else None

    def learn(self, order: str, footprints: dict, broken: set[str] = frozenset()) -> None:
        pass


def order_source(shapes: list[list[str]], settings: Interleave, cut: frozenset[str], wanted: frozenset[str]):
    if settings.orders == "search":
        return OrderSearch(shapes, settings, cut, wanted)
    return FixedOrders(shapes, settings)


def orders(steps_a: int, steps_b: int, settings: Interleave) -> list[str]:
    """Step orders for two overlapping jobs: both serial orders first, then all or a seeded sample."""
    return lane_orders([["a" * steps_a], ["b" * steps_b]], settings)


def lane_orders(shapes: list[list[str]], settings: Interleave) -> list[str]:
    """Step orders for overlapping lanes (concurrency groups), each lane taking one of its shapes (a
    string of run letters, one per step): the serial orders first (the lanes in turn, then in reverse),
    then every merge or a seeded sample of them."""
    combos = list(itertools.product(*shapes))
    total = sum(_merge_count(combo) for combo in combos)
    firsts = [lane[0] for lane in shapes]
    serial = list(dict.fromkeys(["".join(firsts), "".join(reversed(firsts))]))
    if settings.orders == "all":
        if total > settings.limit:
            raise InputError(f"interleave: all {total} orders exceed limit {settings.limit}; use orders: sample")
        found = [order for combo in combos for order in _merges(list(combo))]
        return serial + [o for o in found if o not in serial]
    rng = random.Random(settings.seed)
    out = list(serial)
    while len(out) < min(settings.limit, total):
        combo = [rng.choice(lane) if len(lane) > 1 else lane[0] for lane in shapes]
        order = _sample_merge(combo, rng)
        if order not in out:
            out.append(order)
    return out


def _merge_count(combo) -> int:
    count, placed = 1, 0
    for lane in combo:
        placed += len(lane)
        count *= math.comb(placed, len(lane))
    return count


def _merges(combo: list[str]) -> list[str]:
    """Every order that keeps each lane's own sequence: lane 0's positions first, lexicographically."""
    length = sum(len(lane) for lane in combo)

    def fill(free: list[int], lanes: list[str], slots: dict[int, str]):
        if len(lanes) == 1:
            yield _place(slots | dict(zip(free, lanes[0])), length)
            return
        for picks in itertools.combinations(free, len(lanes[0])):
            rest = [p for p in free if p not in picks]
            yield from fill(rest, lanes[1:], slots | dict(zip(picks, lanes[0])))

    return list(fill(list(range(length)), combo, {}))


def _sample_merge(combo: list[str], rng: random.Random) -> str:
    free, slots = list(range(sum(len(lane) for lane in combo))), {}
    for lane in combo[:-1]:
        picks = sorted(rng.sample(free, len(lane)))
        slots |= dict(zip(picks, lane))
        free = [p for p in free if p not in set(picks)]
    slots |= dict(zip(free, combo[-1]))
    return _place(slots, len(slots))


def _place(slots: dict[int, str], length: int) -> str:
    return "".join(slots[i] for i in range(length))


def step_through(order: str, runners: dict[str, tuple[WorkflowRunner, TimelineRun]], world: World, before: dict,
                 read_latest: Callable[[], dict], tag: str, cut: frozenset[str] = frozenset(),
                 touched: Callable[[], Footprint] = lambda: NOTHING) -> tuple[list[Violation], dict]:
    """Run overlapping runs a step at a time in `order` (each run's jobs in dependency order); a run in
    `cut` is cancelled after its last step in `order` (before any, when it has none). :latest is read
    after every step that ran, because a move back and forth inside the overlap is invisible from
    its two ends. Gives the moves back and each step's footprint (`touched` reads what the pod saw
    since it was last called), keyed as order_search.tokens names the steps."""
    moves, current = [], dict(before)
    writer: dict[str, str] = {}  # repository → the run whose step last moved its tag
    undo: dict[str, dict[str, str | None]] = {who: {} for who in runners}  # what each run's first move replaced
    left = {who: order.count(who) for who in runners}
    footprints: dict = {}
    for who in sorted(cut):
        if not left[who]:
            runners[who][0].cancel()
    touched()
    for who, token in zip(order, tokens(order, cut)):
        runner, run = runners[who]
        if runner.pending() and runner.step().ran:
            now = read_latest()
            # A run putting back what its own move replaced (the split check's rollback) undoes a
            # half-done promotion of its own; it moves nothing another run promoted.
            own = {repo for repo, rev in now.items() if rev != current.get(repo) and writer.get(repo) == who
                   and repo in undo[who] and undo[who][repo] == rev}
            moves += invariants.no_backwards(world, {r: v for r, v in current.items() if r not in own},
                                             now, run.by_operator, tag)
            for repo, rev in now.items():
                if rev != current.get(repo):
                    undo[who].setdefault(repo, current.get(repo))
                    writer[repo] = who
            current = now
        left[who] -= 1
        if who in cut and not left[who]:
            runner.cancel()
        footprints[token] = touched()
    for runner, run in runners.values():
        run.jobs = runner.finish()
    return moves, footprints
