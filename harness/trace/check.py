"""One expectation's verdict, as both traces hold them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Check:
    ok: bool
    text: str
