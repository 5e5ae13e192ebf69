"""Step orders for overlapping concurrency groups (lanes): every order keeps each lane's own steps
in sequence, the serial orders come first, and a sample is seeded."""
from __future__ import annotations

import math

import pytest

from generator.loader import InputError
from harness.library.timeline import Interleave
from harness.play.interleave import lane_orders, orders
from harness.workflow.concurrency import Concurrency, schedule


def _keeps(order: str, lane: str) -> bool:
    letters = set(lane)
    return "".join(ch for ch in order if ch in letters) == lane


def test_three_lanes_all_orders():
    lanes = [["aa"], ["bb"], ["c"]]
    found = lane_orders(lanes, Interleave(orders="all", limit=30))
    assert len(found) == len(set(found)) == math.factorial(5) // (2 * 2 * 1)
    assert found[:2] == ["aabbc", "cbbaa"]
    assert all(_keeps(o, "aa") and _keeps(o, "bb") and _keeps(o, "c") for o in found)


def test_a_sample_is_seeded_distinct_and_keeps_each_lane():
    lanes = [["a" * 4], ["b" * 3], ["c" * 3]]
    settings = Interleave(orders="sample", limit=12, seed=5)
    first = lane_orders(lanes, settings)
    assert first == lane_orders(lanes, settings) and len(set(first)) == 12
    assert first[:2] == ["aaaabbbccc", "cccbbbaaaa"]
    assert all(_keeps(o, "aaaa") and _keeps(o, "bbb") and _keeps(o, "ccc") for o in first)
    assert lane_orders(lanes, Interleave(orders="sample", limit=12, seed=6)) != first


def test_two_lanes_are_the_orders_of_two_runs():
    settings = Interleave(orders="sample", limit=6, seed=3)
    assert lane_orders([["aaaa"], ["bbb"]], settings) == orders(4, 3, settings)


def test_a_cancelled_run_takes_each_cut_point_once():
    plan = schedule([Concurrency("g", cancel_in_progress=True)] * 2)
    shapes = [lane.shapes(3) for lane in plan.lanes]
    found = lane_orders(shapes, Interleave(orders="all", limit=3))
    assert sorted(found) == ["aabbb", "abbb", "bbb"]
    with pytest.raises(InputError, match="exceed limit"):
        lane_orders(shapes, Interleave(orders="all", limit=2))
    sampled = lane_orders(shapes, Interleave(orders="sample", limit=8))
    assert sorted(sampled) == sorted(found)  # the sample stops at every order there is


def test_a_cut_lane_beside_another_group():
    plan = schedule([Concurrency("g"), Concurrency("h"), Concurrency("g", cancel_in_progress=True)])
    shapes = [lane.shapes(2) for lane in plan.lanes]
    assert shapes == [["cc", "acc"], ["bb"]]
    found = lane_orders(shapes, Interleave(orders="all", limit=20))
    assert len(found) == math.comb(4, 2) + math.comb(5, 2)
    assert all(_keeps(o, "bb") for o in found)


class _Step:
    ran = True


class _Runner:
    """A run whose every step ran; `moves` is what the target tag holds after each of its steps."""

    def __init__(self, moves: list[dict], state: dict):
        self.moves, self.state = list(moves), state

    def pending(self) -> bool:
        return bool(self.moves)

    def step(self):
        self.state.update(self.moves.pop(0))
        return _Step()

    def cancel(self) -> None: ...

    def finish(self) -> list:
        return []


class _Run:
    by_operator = False


class _History:
    """prev ← c1 ← c2."""
    order = ["prev", "c1", "c2"]

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.order.index(older) < self.order.index(newer)

    def label(self, rev: str) -> str:
        return rev


@pytest.mark.parametrize("a, b, order, wanted", [
    # a's split check puts back what its own retag replaced: a half-done promotion undone, not a move back
    ([{"platform": "c1"}, {"platform": "prev"}], [], "aa", []),
    # b's rollback restores prev over a's promotion of c1 (the per-SHA split-protection bug)
    ([{"platform": "c1"}], [{"platform": "c2"}, {"platform": "prev"}], "abb", ["platform:latest moved back from c2 to prev"]),
    # a late retag over another run's newer one (the per-SHA race)
    ([{"platform": "c1"}, {"platform": "c1"}], [{"platform": "c2"}], "aba", ["platform:latest moved back from c2 to c1"]),
])
def test_step_through_tells_a_rollback_of_ones_own_move_from_a_move_back(a, b, order, wanted):
    from harness.play.interleave import step_through

    state = {"platform": "prev"}
    runners = {"a": (_Runner(a, state), _Run()), "b": (_Runner(b, state), _Run())}
    found, _ = step_through(order, runners, _History(), dict(state), lambda: dict(state), "latest")
    assert [v.text for v in found] == wanted
