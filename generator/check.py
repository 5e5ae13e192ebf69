"""`gen check`: render through the same function as `gen render`, compare, then lint."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import docs, lint
from .outputs import Output
from .render import Rendered


@dataclass
class Report:
    drift: list[str] = field(default_factory=list)  # unified diff lines
    findings: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.drift and not self.findings


def drift(files: list[Output], root: Path) -> list[str]:
    """A unified diff for every output whose committed text differs from what the config renders."""
    out: list[str] = []
    for output in files:
        out += docs.diff(output.path, docs.read(root / output.path), output.text)
    return out


def findings(rendered: Rendered, output: str) -> list[str]:
    return (lint.actionlint(rendered.text, output)
            + lint.zizmor(rendered.text, output)
            + lint.shellcheck(rendered.scripts))
