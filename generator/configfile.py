"""Read the config file: YAML → typed model → cross-field rules, or one clear error."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from . import loader, rules
from .config import Config

DEFAULT_PATH = Path(".github/auto-promote.yaml")


def load_config(path: Path = DEFAULT_PATH) -> Config:
    return load_positioned(path)[0]


def load_positioned(path: Path = DEFAULT_PATH) -> tuple[Config, Callable[[], Any]]:
    """The config and a function giving its positioned document (for warnings' file:line:col)."""
    config, positioned = loader.load_model(path, Config)
    loader.raise_first(path, positioned, [(p.path, p.expected, p.got) for p in rules.check(config)])
    return config, positioned
