"""One step order per class of equivalent orders (partial-order reduction).

Two orders of overlapping runs are equivalent when every pair of steps from different runs whose
footprints conflict comes in the same order in both: swapping neighbouring steps that touch nothing in
common changes no tag, no read and no result. The search learns each step's footprint from the orders
it plays (a step not played yet conflicts with everything), and offers the next order whose class no
order played so far covers, until every class is covered or the limit is reached."""
from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field

from harness.library.timeline import Interleave

from .footprint import UNKNOWN, Footprint

Token = tuple  # (run letter, its step index) or, for a cut run's last step, (letter, index, "cut")

# Past this many merges of one shape's ordered steps, classes are found from a seeded sample of them.
ENUMERATION_LIMIT = 5_000


def tokens(order: str, cut: frozenset[str] = frozenset()) -> list[Token]:
    """Each step of `order` named by its run and index; a run in `cut` is cancelled right after its
    last step, so that step and the cancel are one token (cut before any step, the cancel comes first
    and has no place to choose)."""
    total = {who: order.count(who) for who in set(order)}
    seen: dict[str, int] = {}
    out = []
    for who in order:
        k = seen.get(who, 0)
        seen[who] = k + 1
        out.append((who, k, "cut") if who in cut and k + 1 == total[who] else (who, k))
    return out


@dataclass
class _Shape:
    """One combination of the lanes' step strings: its tokens per lane, in each lane's own order."""
    lanes: list[list[Token]]
    lane_of: dict = field(init=False)  # token → its lane

    def __post_init__(self):
        self.lane_of = {t: i for i, lane in enumerate(self.lanes) for t in lane}

    def key(self, order: list[Token], footprints: dict, ordered: set | None = None) -> tuple:
        """The class of `order`: which of each conflicting pair of steps from different lanes came first."""
        lane_of = self.lane_of
        if ordered is None:
            ordered = {t for lane in self.ordered(footprints) for t in lane}
        picked = [t for t in order if t in ordered]
        pairs = []
        for i, first in enumerate(picked):
            for second in picked[i + 1:]:
                if lane_of[first] != lane_of[second] and _fp(footprints, first).conflicts(_fp(footprints, second)):
                    pairs.append((first, second))
        return tuple(sorted(pairs))

    def ordered(self, footprints: dict) -> list[list[Token]]:
        """Per lane, the steps that conflict with some step of another lane: only their order counts."""
        return [[t for t in lane if any(_fp(footprints, t).conflicts(_fp(footprints, u))
                                        for j, other in enumerate(self.lanes) if j != i for u in other)]
                for i, lane in enumerate(self.lanes)]

    def classes(self, footprints: dict, seed: int) -> tuple[list[list[Token]], bool]:
        """One order per class (the first in merge order) and whether every merge was looked at."""
        others = self.ordered(footprints)
        count, placed = 1, 0
        for lane in others:
            placed += len(lane)
            count *= math.comb(placed, len(lane))
        complete = count <= ENUMERATION_LIMIT
        merges = _merges(others) if complete else _sampled(others, random.Random(seed), ENUMERATION_LIMIT)
        found: dict[tuple, list[Token]] = {}
        dependent = {t for lane in others for t in lane}
        for merge in merges:
            found.setdefault(self.key(merge, footprints, dependent), self._fill(merge))
        return list(found.values()), complete

    def _fill(self, merge: list[Token]) -> list[Token]:
        """The order that takes the ordered steps as `merge` has them and every other step as early as
        its lane allows."""
        at = [0] * len(self.lanes)
        out = []
        for token in merge:
            lane = self.lane_of[token]
            stop = self.lanes[lane].index(token) + 1
            out += self.lanes[lane][at[lane]:stop]
            at[lane] = stop
        for i, lane in enumerate(self.lanes):
            out += lane[at[i]:]
        return out


def _fp(footprints: dict, token: Token) -> Footprint:
    return footprints.get(token, UNKNOWN)


def _merges(lanes: list[list[Token]]):
    """Every interleaving that keeps each lane's order."""
    if not any(lanes):
        yield []
        return
    for i, lane in enumerate(lanes):
        if lane:
            rest = lanes[:i] + [lane[1:]] + lanes[i + 1:]
            for tail in _merges(rest):
                yield [lane[0]] + tail


def _sampled(lanes: list[list[Token]], rng: random.Random, count: int):
    for _ in range(count):
        left = [list(lane) for lane in lanes]
        merge = []
        while any(left):
            pick = rng.choice([i for i, lane in enumerate(left) if lane for _ in lane])
            merge.append(left[pick].pop(0))
        yield merge


class OrderSearch:
    def __init__(self, shapes: list[list[str]], settings: Interleave, cut: frozenset[str] = frozenset(),
                 wanted: frozenset[str] = frozenset()):
        """`wanted`: the invariants the timeline expects broken; once orders broke them all the search
        stops, since the rest can only show the same bug again."""
        self.settings, self.cut, self.wanted = settings, cut, wanted
        self.broken: set[str] = set()
        self.stopped = False  # ended early: every wanted break found
        self.combos = list(itertools.product(*shapes))
        firsts = [lane[0] for lane in shapes]
        self.serial = list(dict.fromkeys(["".join(firsts), "".join(reversed(firsts))]))
        self.lane_letters = [set("".join(lane)) for lane in shapes]
        self.footprints: dict[Token, Footprint] = {}
        self.tried: list[str] = []
        self.space: int | None = None  # classes under what is known once the search ends
        self.exhausted = False

    def next(self) -> str | None:
        """The next order to play, or None when every class is covered or the limit is reached."""
        if self.wanted and self.wanted <= self.broken:
            self.stopped = True
        if self.stopped or len(self.tried) >= self.settings.limit:
            self._settle(self._survey())
            return None
        for order in self.serial:
            if order not in self.tried:
                return order
        for combo in self.combos:  # each shape once first: its steps' footprints are learnt from it
            if not any(self._combo_of(t) == combo for t in self.tried):
                return "".join(combo)
        survey = self._survey()
        if survey.uncovered:
            return survey.uncovered[0]
        self._settle(survey)
        return None

    def learn(self, order: str, footprints: dict[Token, Footprint], broken: set[str] = frozenset()) -> None:
        self.tried.append(order)
        self.broken |= broken
        for token, footprint in footprints.items():
            known = self.footprints.get(token)
            self.footprints[token] = footprint if known is None else known | footprint

    def _combo_of(self, order: str) -> tuple[str, ...]:
        return tuple("".join(ch for ch in order if ch in letters) for letters in self.lane_letters)

    def _shape(self, combo: tuple[str, ...]) -> _Shape:
        whole = tokens("".join(combo), self.cut)
        lanes, at = [], 0
        for part in combo:
            lanes.append(whole[at:at + len(part)])
            at += len(part)
        return _Shape(lanes)

    def _survey(self) -> "_Survey":
        """Every shape's classes under what is known, in one pass: how many, whether every merge was
        looked at, and an order of each class no order tried covers, in a seeded shuffle (when the
        limit cuts the search short, the classes tried are spread over the space, not its first corner)."""
        survey = _Survey()
        for combo in self.combos:
            shape = self._shape(combo)
            found, complete = shape.classes(self.footprints, self.settings.seed)
            covered = {shape.key(tokens(t, self.cut), self.footprints) for t in self.tried
                       if self._combo_of(t) == combo}
            survey.total += len(found)
            survey.complete &= complete
            survey.uncovered += ["".join(t[0] for t in order) for order in found
                                 if shape.key(order, self.footprints) not in covered]
        random.Random(self.settings.seed).shuffle(survey.uncovered)
        return survey

    def _settle(self, survey: "_Survey") -> None:
        if any(t not in self.footprints for combo in self.combos for lane in self._shape(combo).lanes for t in lane):
            return  # a shape never played: how many classes it holds is not known
        self.space = survey.total
        self.exhausted = survey.complete and not survey.uncovered


@dataclass
class _Survey:
    total: int = 0
    complete: bool = True
    uncovered: list[str] = field(default_factory=list)
