"""`gen check`: render through the same function as `gen render`, compare, then lint."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from . import lint
from .render import Rendered


@dataclass
class Report:
    drift: list[str] = field(default_factory=list)  # unified diff lines
    findings: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.drift and not self.findings


def drift(rendered_text: str, path: Path) -> list[str]:
    try:
        committed = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        committed = ""
    if committed == rendered_text:
        return []
    return list(difflib.unified_diff(
        committed.splitlines(keepends=True), rendered_text.splitlines(keepends=True),
        fromfile=f"{path} (committed)", tofile=f"{path} (rendered)",
    ))


def findings(rendered: Rendered, output: str) -> list[str]:
    return (lint.actionlint(rendered.text, output)
            + lint.zizmor(rendered.text, output)
            + lint.shellcheck(rendered.scripts))
