"""Read the config file: YAML → typed model → cross-field rules, or one clear error."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from . import loader, rules
from .config import Config
from .outputs import OutputProblem

DEFAULT_PATH = Path(".github/auto-promote.yaml")


def load_config(path: Path = DEFAULT_PATH) -> Config:
    return load_positioned(path)[0]


def load_positioned(path: Path = DEFAULT_PATH) -> tuple[Config, Callable[[], Any]]:
    """The config and a function giving its positions (for warnings' file:line:col)."""
    if not str(path).isprintable():
        raise loader.InputError(f"{loader.printable(str(path))}: a config path without control characters")
    config, positioned = loader.load_model(path, Config)
    loader.raise_first(path, positioned, [(p.path, p.expected, p.got) for p in rules.check(config)])
    return config, positioned


def output_error(path: Path, problem: OutputProblem) -> loader.InputError:
    """An output path problem, reported at the config field that names the path."""
    tree = loader.scan(path, loader.read_text(path))
    return loader.InputError(loader.problem_line(path, tree, problem.field, problem.expected, problem.got))
