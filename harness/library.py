"""Find scenarios: built-in ones by name or suite, or files and folders the user names."""
from __future__ import annotations

import fnmatch
from pathlib import Path

from generator.loader import InputError

from . import scenario as scenario_file
from .scenario import Scenario

BUILTIN = Path(__file__).resolve().parent / "scenarios"


def builtin_files() -> list[Path]:
    return sorted(BUILTIN.glob("*.yaml"))


def builtin() -> list[Scenario]:
    out = []
    for path in builtin_files():
        out += scenario_file.load(path)
    return out


def select(args: list[str], tags: list[str] | None = None) -> list[Scenario]:
    """Scenarios named by `args` (paths, built-in names, suites or globs); all built-ins if none."""
    chosen: list[Scenario] = []
    for arg in args or ["*"]:
        chosen += _resolve(arg)
    if tags:
        chosen = [s for s in chosen if set(tags) & set(s.tags)]
    names = [s.name for s in chosen]
    return [s for i, s in enumerate(chosen) if s.name not in names[:i]]


def _resolve(arg: str) -> list[Scenario]:
    path = Path(arg)
    if path.is_file():
        return scenario_file.load(path)
    if path.is_dir():
        return [s for f in sorted(path.glob("*.yaml")) for s in scenario_file.load(f)]
    for f in builtin_files():
        if f.stem == arg:
            return scenario_file.load(f)
    found = [s for s in builtin() if fnmatch.fnmatchcase(s.name, arg)]
    if not found:
        known = ", ".join(f.stem for f in builtin_files())
        raise InputError(f"{arg}: no such file, and no built-in scenario or suite by that name (suites: {known}; "
                         "`gen simulate --list` lists scenarios)")
    return found
