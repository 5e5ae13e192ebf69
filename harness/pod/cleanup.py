"""Remove what earlier runs left behind: containers of pods whose process is gone, their volumes,
networks and temp dirs. A live run's pod is spared (its owning process still answers)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import engine
from .layout import PID_LABEL, RUN_LABEL


def leftovers(client=None, everything: bool = False) -> list:
    """Containers from pods whose process is gone (or all pods' with `everything`)."""
    client = client or engine.client()
    found = []
    for container in client.containers.list(all=True, filters={"label": RUN_LABEL}):
        pid = container.labels.get(PID_LABEL, "")
        if everything or not _alive(pid):
            found.append(container)
    return found


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
        return True
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True


def cleanup(everything: bool = False) -> list[str]:
    """Remove leftover pod containers, volumes and networks; returns what was removed."""
    client = engine.client()
    removed = []
    for container in leftovers(client, everything):
        container.remove(force=True, v=True)
        removed.append(f"container {container.name}")
    for volume in client.volumes.list(filters={"label": RUN_LABEL}):
        volume.remove(force=True)
        removed.append(f"volume {volume.name}")
    for network in client.networks.list(filters={"label": RUN_LABEL}):
        network.remove()
        removed.append(f"network {network.name}")
    for stale in Path(tempfile.gettempdir()).glob("promote-gen-pg-*"):
        if everything or not any(stale.name.startswith(f"promote-gen-{c}") for c in _live_runs(client)):
            shutil.rmtree(stale, ignore_errors=True)
    return removed


def _live_runs(client) -> set[str]:
    return {c.labels.get(RUN_LABEL) for c in client.containers.list(filters={"label": RUN_LABEL})}
