"""Read the config file: YAML → typed model → cross-field rules, or one clear error."""
from __future__ import annotations

from pathlib import Path

from . import loader, rules
from .config import Config

DEFAULT_PATH = Path(".github/auto-promote.yaml")


def load_config(path: Path = DEFAULT_PATH) -> Config:
    config, positioned = loader.load_model(path, Config)
    problems = rules.check(config)
    if problems:
        doc = positioned()
        first = min(problems, key=lambda p: loader.position(doc, p.path))
        raise loader.InputError(loader.problem_line(path, doc, first.path, first.expected, first.got))
    return config
