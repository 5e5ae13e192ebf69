"""A pod started ahead of need. `gen simulate` naming what to run starts one in a thread before it
imports and plans the rest, so the container's start and the agent's boot (about 0.3 s, mostly the
engine's) overlap that work. The first play wanting a pod of its shape (the cached images, one
runner, only ghcr.io) takes it; another shape closes it and starts its own. The CLI closes it at
the end whatever happened: after a take the player has closed it already, and a second close does
nothing.

Imports only the standard library until `start`."""
from __future__ import annotations

import threading

_current: Ahead | None = None


class Ahead:
    def __init__(self):
        self.pod = None  # set before it starts, so a close reaches a half-started one
        self.taken = False
        self.starting = threading.Event()  # the engine is starting its container (or the start gave up)
        self.done = threading.Event()  # waited on, not Thread.join (see crane_build.Job)
        self.thread = threading.Thread(target=self._work, name="pod-ahead", daemon=True)

    def _work(self) -> None:
        from . import images
        from .pod import Pod

        try:
            built = images.last()  # checked when taken: the run's own `ensure` must find the same
            if built is None:
                return
            self.pod = Pod(built)
            self.pod.start(self.starting)
        except Exception:  # noqa: BLE001 - the main path starts its own pod and reports what fails there
            if self.pod is not None:
                self.pod.close()
                self.pod = None
        finally:
            self.starting.set()
            self.done.set()


def wanted(argv: list[str]) -> bool:
    """`gen simulate` with something named to run, neither listed nor cleaned up: it will want a pod.
    A guess from the words alone (the parser is not built yet); a wrong one costs a pod's start."""
    if not argv or argv[0] != "simulate":
        return False
    rest = argv[1:]
    if any(word.split("=")[0] in ("--list", "--cleanup", "-h", "--help") for word in rest):
        return False
    return any(not word.startswith("-") and not (i and rest[i - 1].startswith("-") and "=" not in rest[i - 1])
               for i, word in enumerate(rest))


def start() -> None:
    """Start the pod ahead, unless the harness's packages are missing (the command says so itself)."""
    global _current
    from .owner import SignalsDeferred

    try:  # here, before the thread: two threads importing at once can deadlock on a module's lock
        from . import images, pod  # noqa: F401
    except ImportError:
        return
    ahead = Ahead()
    with SignalsDeferred():  # a Ctrl-C now waits until close() can tell whether the thread runs
        _current = ahead
        ahead.thread.start()
    # Until the engine is asked to start the container, the thread has the interpreter to itself:
    # the rest of this process's work would only share it, and the container start is what takes longest.
    while not ahead.starting.wait(0.2):
        pass


def take(images, runners: int, registry_hosts: list[str] | None):
    """The pod started ahead if it is the pod `Pod(images, runners, registry_hosts)` would be, else None
    (and the one started ahead is closed). Only the first call can get it."""
    ahead = _current
    if ahead is None or ahead.taken:
        return None
    ahead.taken = True
    while not ahead.done.wait(0.2):  # short waits: a signal is handled between them
        pass
    if ahead.pod is not None and ahead.pod.fits(images, runners, registry_hosts):
        return ahead.pod
    if ahead.pod is not None:
        ahead.pod.close()
    return None


def close() -> None:
    """Remove the pod started ahead, taken or not, once its start has ended; Ctrl-C waits for it."""
    global _current
    from .owner import SignalsDeferred

    with SignalsDeferred():
        ahead, _current = _current, None
        if ahead is None:
            return
        ahead.done.wait()
        if ahead.pod is not None:
            ahead.pod.close()
