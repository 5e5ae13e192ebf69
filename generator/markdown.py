"""Config text inside the generated Markdown: code spans that hold any backticks, cells that hold `|`."""
from __future__ import annotations

import re


def code(text: str) -> str:
    """`text` as one code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """Text for a table cell: a `|` would end the cell, even inside a code span."""
    return text.replace("|", "\\|")
