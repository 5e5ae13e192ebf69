"""Progress for long `gen simulate` runs: one line rewritten in place on a terminal (which scenario,
how many left, elapsed); nothing at all when stderr is a pipe or a file, so logs stay plain."""
from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total, self.done, self.clock = total, 0, clock
        self.started = clock()
        self.lock = threading.Lock()  # pods run scenarios in threads

    def start(self, name: str) -> None:
        """`name` begins; the line says it and what is left."""
        with self.lock:
            self._show(f"[{self.done + 1}/{self.total}] {name}")

    def finish(self, name: str, passed: bool) -> None:
        with self.lock:
            self.done += 1
            self._show(f"[{self.done}/{self.total}] {name}: {'pass' if passed else 'FAIL'}")

    def close(self) -> None:
        if self.live and self.total:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _show(self, text: str) -> None:
        if not self.live:
            return
        left = self.total - self.done
        elapsed = self.clock() - self.started
        self.stream.write(f"\r\x1b[K{text} · {left} left · {elapsed:.1f} s")
        self.stream.flush()
