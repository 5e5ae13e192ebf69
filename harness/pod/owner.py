"""Who owns a pod: the process id and that process's start time, written on every container and in
the pod's temp dir, so `gen simulate --cleanup` removes only what no live process owns (a pid alone
can be reused by another process after a crash). And the shield that keeps a second Ctrl-C from
cutting a cleanup short."""
from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

PID_START_LABEL = "promote-gen.pid-start"
OWNER_FILE = "owner"  # in the pod's temp dir: "<pid> <start>"


def start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), or "" if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2:].split()[19]


def me() -> tuple[str, str]:
    return str(os.getpid()), start_time(os.getpid())


def alive(pid: str, start: str | None) -> bool:
    """The owner still runs: the pid answers and, when the start time was recorded, it matches."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass
    return not start or start_time(int(pid)) == start


def dir_alive(folder: Path) -> bool:
    """A pod temp dir whose owner still runs (a dir being set up has its owner file first)."""
    try:
        pid, start = (folder / OWNER_FILE).read_text().split()
    except (OSError, ValueError):
        return False
    return alive(pid, start)


class SignalsDeferred:
    """Inside the block, Ctrl-C and SIGTERM are remembered, not raised, so a cleanup runs to its end;
    on leaving, the first one remembered is delivered again (unless an exception is already on its
    way out, which ends the run anyway). Works only in the main thread; elsewhere it does nothing."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self) -> "SignalsDeferred":
        self.caught: list[int] = []
        self.previous = {}
        if threading.current_thread() is threading.main_thread():
            self.previous = {s: signal.signal(s, self._remember) for s in self.SIGNALS}
        return self

    def _remember(self, signum, frame) -> None:
        self.caught.append(signum)

    def __exit__(self, exc_type, exc, tb) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        if self.caught and exc_type is None:
            signal.raise_signal(self.caught[0])
