"""The order search: one order per class of equivalent step orders, learnt from the orders played.

The runs here are small programs over named tags: a step reads some tags and writes others, and what
it writes may be what it read (a rollback). Playing every merge of their steps by brute force gives
every outcome the runs can have; the search must reach each of them while playing fewer orders."""
from __future__ import annotations

import math

import pytest

from harness.library.timeline import Interleave
from harness.play.footprint import Footprint
from harness.play.interleave import lane_orders
from harness.play.order_search import OrderSearch, tokens

# run letter → its steps; a step is a list of ("r", tag) or ("w", tag, value); a value "=x" writes
# what this run last read of tag x.
Program = dict[str, list[list[tuple]]]


def _play(program: Program, order: str):
    tags, seen, reads = {"t": "0", "u": "0"}, {who: {} for who in program}, {who: [] for who in program}
    at, footprints = {who: 0 for who in program}, {}
    for who, token in zip(order, tokens(order)):
        got, put = set(), set()
        for op in program[who][at[who]]:
            if op[0] == "r":
                seen[who][op[1]] = tags[op[1]]
                reads[who].append(tags[op[1]])
                got.add(("tag", "", "", op[1]))
            else:
                value = op[2]
                tags[op[1]] = seen[who].get(value[1:], "?") if value.startswith("=") else value
                put.add(("tag", "", "", op[1]))
        at[who] += 1
        footprints[token] = Footprint(frozenset(got), frozenset(put))
    outcome = (tuple(sorted(tags.items())), tuple((w, tuple(r)) for w, r in sorted(reads.items())))
    return outcome, footprints


def _search(program: Program, limit: int = 200, wanted=frozenset(), breaks=lambda outcome: set()):
    shapes = [[who * len(steps)] for who, steps in program.items()]
    search = OrderSearch(shapes, Interleave(orders="search", limit=limit), wanted=wanted)
    outcomes = []
    while (order := search.next()) is not None:
        outcome, footprints = _play(program, order)
        outcomes.append(outcome)
        search.learn(order, footprints, breaks(outcome))
    return search, outcomes


def _every_outcome(program: Program) -> set:
    shapes = [[who * len(steps)] for who, steps in program.items()]
    return {_play(program, order)[0] for order in lane_orders(shapes, Interleave(orders="all", limit=200))}


IDLE = [[("r", "u")]]  # reads a tag nobody writes
RACE = {  # two promotions, each reading the tag, then writing its own value
    "a": IDLE + [[("r", "t")], [("w", "t", "a")]] + IDLE,
    "b": [[("r", "t")], [("w", "t", "b")]] + IDLE * 2,
}
ROLLBACK = {  # a records t, writes it, then puts back what it recorded: b's write in between is lost
    "a": [[("r", "t")], [("w", "t", "a")], IDLE[0], [("w", "t", "=t")]],
    "b": IDLE + [[("w", "t", "b")], [("r", "t")]] + IDLE,
}
THREE = {
    "a": [[("r", "t")], [("w", "t", "a")]],
    "b": IDLE + [[("w", "t", "b")]],
    "c": [[("r", "t")]] + IDLE,
}


@pytest.mark.parametrize("program", [RACE, ROLLBACK, THREE], ids=["race", "rollback", "three-lanes"])
def test_every_outcome_of_every_order_is_reached_with_fewer_orders(program):
    search, outcomes = _search(program)
    merges = math.factorial(sum(map(len, program.values()))) // math.prod(math.factorial(len(s)) for s in program.values())
    assert set(outcomes) == _every_outcome(program)
    assert search.exhausted and not search.stopped
    assert len(outcomes) <= search.space + 2 < merges  # the serial orders may share a class


def test_steps_that_touch_nothing_in_common_leave_one_class():
    program = {"a": IDLE * 4, "b": IDLE * 3}
    search, outcomes = _search(program)
    assert search.tried == ["aaaabbb", "bbbaaaa"] and search.space == 1 and search.exhausted


def test_the_order_of_the_one_rare_outcome_is_found():
    """ROLLBACK loses b's write only when it falls between a's write and a's rollback."""
    lost = {o for o in _every_outcome(ROLLBACK) if dict(o[1])["b"][1] == "b" and dict(o[0])["t"] == "0"}
    assert len(lost) == 1
    _, outcomes = _search(ROLLBACK)
    assert lost <= set(outcomes)


def test_the_search_is_deterministic():
    assert _search(RACE)[0].tried == _search(RACE)[0].tried


def test_the_limit_ends_the_search_with_the_space_it_knows():
    search, outcomes = _search(RACE, limit=3)
    assert len(outcomes) == 3 and not search.exhausted and search.space > 3


def test_it_stops_once_every_wanted_break_is_found():
    def breaks(outcome):
        return {"no-backwards"} if dict(outcome[0])["t"] == "a" else set()

    search, outcomes = _search(RACE, wanted=frozenset({"no-backwards"}), breaks=breaks)
    assert search.stopped and not search.exhausted
    assert breaks(outcomes[-1]) and not any(breaks(o) for o in outcomes[:-1])


def test_a_cut_runs_last_step_carries_the_cancel():
    assert tokens("abab", frozenset({"a"})) == [("a", 0), ("b", 0), ("a", 1, "cut"), ("b", 1)]
    assert tokens("bb", frozenset({"a"})) == [("b", 0), ("b", 1)]
