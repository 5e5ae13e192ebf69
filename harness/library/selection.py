"""Find scenarios and timelines: built-in ones by name or suite, or files and folders the user names."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.loader import InputError

from . import derived, loader
from .scenario import Scenario
from .timeline import Timeline

HERE = Path(__file__).resolve().parent
BUILTIN = HERE / "scenarios"
BUILTIN_TIMELINES = HERE / "timelines"


@dataclass
class Selection:
    scenarios: list[Scenario] = field(default_factory=list)
    timelines: list[Timeline] = field(default_factory=list)

    def extend(self, other: "Selection") -> None:
        self.scenarios += other.scenarios
        self.timelines += other.timelines

    def __len__(self) -> int:
        return len(self.scenarios) + len(self.timelines)


def builtin_files() -> list[Path]:
    return sorted(BUILTIN.glob("*.yaml")) + sorted(BUILTIN_TIMELINES.glob("*.yaml"))


def load_file(path: Path) -> Selection:
    kind, items = loader.load(path)
    return Selection(timelines=items) if kind is loader.TIMELINES else Selection(scenarios=items)


def builtin_selection() -> Selection:
    found = Selection()
    for path in builtin_files():
        found.extend(load_file(path))
    return found


def builtin() -> list[Scenario]:
    return builtin_selection().scenarios


def builtin_timelines() -> list[Timeline]:
    return builtin_selection().timelines


DERIVED = "derived"  # the suite name of the library derived from the config
PARITY = "parity"  # the suite name of the whole hand-written (molecule-core) library


def select(args: list[str], tags: list[str] | None = None, config: Config | None = None) -> Selection:
    """What `args` name: paths, suites (`derived`, `parity`, a built-in file's stem), names or globs,
    which match the library derived from `config` first and the hand-written library when that has none.
    Nothing named: the derived library and the built-in timelines fitted to the config (with one), else
    everything built in."""
    chosen = Selection()
    if not args and config is not None:
        chosen.extend(default_selection(config))
    for arg in args or ([] if config is not None else ["*"]):
        chosen.extend(_resolve(arg, config))
    if tags:
        chosen.scenarios = [s for s in chosen.scenarios if set(tags) & set(s.tags)]
        chosen.timelines = [t for t in chosen.timelines if set(tags) & set(t.tags)]
    chosen.scenarios = _unique(chosen.scenarios, "scenario")
    chosen.timelines = _unique(chosen.timelines, "timeline")
    if not len(chosen):
        named = " ".join(args) if args else "the built-in library"
        raise InputError(f"gen simulate: nothing selected: {named}" + (f" has no scenario or timeline tagged "
                         f"{', '.join(tags)}" if tags else " holds no scenario or timeline")
                         + " (`gen simulate --list` lists them)")
    return chosen


def _unique(items: list, kind: str) -> list:
    """Each item once (a file named twice is read twice); two different items with one name are bad input."""
    out, seen = [], {}
    for item in items:
        first = seen.get(item.name)
        if first is None:
            seen[item.name] = item
            out.append(item)
        elif _where(first) != _where(item):
            origin = first._origin
            earlier = f"{origin.path}" if origin is not None else "an earlier file"
            raise InputError(loader.problem(item, ("name",), f"a {kind} name not used in {earlier}", item.name))
    return out


def _where(item) -> tuple:
    origin = item._origin
    return (str(origin.path.resolve()), origin.base) if origin is not None else (id(item),)


def default_selection(config: Config) -> Selection:
    """What a bare `gen simulate` runs for a config: the library derived from it, and the built-in
    timelines fitted to it."""
    return Selection(derived.scenarios(config), derived.timelines(config, builtin_timelines()))


def _resolve(arg: str, config: Config | None = None) -> Selection:
    path = Path(arg)
    if path.is_file():
        return load_file(path)
    if path.is_dir():
        found = Selection()
        for f in sorted(path.glob("*.yaml")):
            found.extend(load_file(f))
        return found
    if arg == DERIVED:
        if config is None:
            raise InputError(f"{DERIVED}: the library derived from a config, and there is none (pass --config; "
                             f"without one, name built-in scenarios, suites or files)")
        return Selection(derived.scenarios(config))
    if arg == PARITY:
        return Selection(builtin())
    for f in builtin_files():
        if f.stem == arg:
            return load_file(f)
    if config is not None:
        mine = [s for s in derived.scenarios(config) if fnmatch.fnmatchcase(s.name, arg)]
        if mine:
            return Selection(mine)
    everything = builtin_selection()
    found = Selection([s for s in everything.scenarios if fnmatch.fnmatchcase(s.name, arg)],
                      [t for t in everything.timelines if fnmatch.fnmatchcase(t.name, arg)])
    if not len(found):
        known = ", ".join([DERIVED, PARITY] + [f.stem for f in builtin_files()])
        raise InputError(f"{arg}: no such file, and no built-in scenario, timeline or suite by that name "
                         f"(suites: {known}; `gen simulate --list` lists them)")
    return found
