"""The README's table of what the runner models and refuses is the code's: every key, both ways."""
from __future__ import annotations

import re

from harness.workflow import keys
from tests.conftest import ROOT

SECTION = "### What the runner models, and what it refuses"


def readme_rows() -> dict[tuple[str, str], str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n### ", len(SECTION))]
    rows, level = {}, None
    for line in section.splitlines():
        head = re.match(r"\| (\w+) key \|", line)
        if head:
            level = head.group(1)
        row = re.match(r"\| `([^`]+)` \| (modelled|\*\*refused\*\*): (.*) \|$", line)
        if row and level:
            rows[(level, row.group(1))] = f"{row.group(2).strip('*')}: {row.group(3)}"
    return rows


def test_readme_lists_every_key_modelled_or_refused():
    expected = {}
    for level, modelled, refused in (("workflow", keys.WORKFLOW_MODELLED, keys.WORKFLOW_REFUSED),
                                     ("job", keys.JOB_MODELLED, keys.JOB_REFUSED),
                                     ("step", keys.STEP_MODELLED, keys.STEP_REFUSED)):
        expected |= {(level, k): f"modelled: {v}" for k, v in modelled.items()}
        expected |= {(level, k): f"refused: {v}" for k, v in refused.items()}
    assert readme_rows() == expected
