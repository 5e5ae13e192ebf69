"""Load a scenario or timeline file, parsed once: one item, or a suite under `scenarios:` or
`timelines:`. Cross-field problems are reported like schema errors, at their file:line:col."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator import loader

from . import scenario, timeline
from .common import Model


@dataclass(frozen=True)
class Kind:
    """One kind of library file: its single and suite models, and how to find its problems."""

    name: str  # "scenario" or "timeline"
    key: str  # the suite's list key
    single: type[Model]
    suite: type[Model]
    references: Callable[[Model], list[tuple[tuple, str, object]]]

    def items(self, model: Model) -> list:
        return getattr(model, self.key) if isinstance(model, self.suite) else [model]


SCENARIOS = Kind("scenario", "scenarios", scenario.Scenario, scenario.ScenarioSuite, scenario.references)
TIMELINES = Kind("timeline", "timelines", timeline.Timeline, timeline.TimelineSuite, timeline.references)


def kind_of(data: dict) -> Kind:
    return TIMELINES if "timelines" in data or "events" in data else SCENARIOS


def _model_for(data: dict) -> type[Model]:
    kind = kind_of(data)
    return kind.suite if kind.key in data else kind.single


def load(path: Path) -> tuple[Kind, list]:
    """The file's kind and its scenarios or timelines, each with a name (a single one's default: the file stem)."""
    model, positioned = loader.load_model(path, _model_for)
    kind = SCENARIOS if isinstance(model, (scenario.Scenario, scenario.ScenarioSuite)) else TIMELINES
    is_suite = isinstance(model, kind.suite)
    items = kind.items(model)
    loader.raise_first(path, positioned, _problems(kind, items, is_suite))
    if not is_suite and model.name is None:
        items = [model.model_copy(update={"name": path.stem})]
    for index, item in enumerate(items):
        item._origin = Origin(path, positioned, (kind.key, index) if is_suite else ())
    return kind, items


@dataclass(frozen=True)
class Origin:
    """Where a scenario or timeline was read: a problem found after loading still gets its position."""

    path: Path
    positioned: Callable[[], loader.Node]
    base: tuple

    def problem(self, loc: tuple, expected: str, got: object) -> str:
        """`file:line:col: field: expected (got …)` for the field at `loc` inside the item."""
        return loader.problem_line(self.path, self.positioned(), self.base + loc, expected, got)


def problem(item: Model, loc: tuple, expected: str, got: object) -> str:
    """The one line for a problem with `item` (positioned when it came from a file)."""
    origin = getattr(item, "_origin", None)
    if origin is None:
        return f"{getattr(item, 'name', None) or 'item'}: {loader.dotted(loc)}: {expected} (got {loader._show(got)})"
    return origin.problem(loc, expected, got)


def _problems(kind: Kind, items: list, is_suite: bool) -> list[tuple[tuple, str, object]]:
    base = (lambda i: (kind.key, i)) if is_suite else (lambda i: ())
    problems = [(base(i) + loc, expected, got) for i, item in enumerate(items)
                for loc, expected, got in kind.references(item)]
    if is_suite:
        names = [item.name for item in items]
        problems += [(base(i), f"a `name:` for each {kind.name} in a suite", None)
                     for i, name in enumerate(names) if name is None]
        problems += [(base(i) + ("name",), f"a unique {kind.name} name", name)
                     for i, name in enumerate(names) if name is not None and names.index(name) != i]
    return problems
