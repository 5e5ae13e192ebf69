"""Remove what earlier runs left behind: containers of pods whose process is gone, their volumes,
networks and temp dirs. A live run's pod is spared: its owner (pid and that process's start time,
on every container and in the temp dir) still runs."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from docker.errors import APIError, NotFound

from . import engine, owner
from .layout import PID_LABEL, RUN_LABEL


def _orphaned(labels: dict, everything: bool) -> bool:
    return everything or not owner.alive(labels.get(PID_LABEL, ""), labels.get(owner.PID_START_LABEL))


def leftovers(client=None, everything: bool = False) -> list:
    """Containers from pods whose process is gone (or all pods' with `everything`)."""
    client = client or engine.client()
    return [c for c in client.containers.list(all=True, filters={"label": RUN_LABEL}, ignore_removed=True)
            if _orphaned(c.labels, everything)]


def cleanup(everything: bool = False) -> list[str]:
    """Remove leftover pod containers, volumes, networks and temp dirs; returns what was removed.

    What a live owner labelled is spared; one without owner labels (no pod makes volumes or
    networks today) counts as orphaned. Another cleanup may be removing the same things at once:
    "already gone" (404) and "removal in progress" (409) are success, not errors."""
    client = engine.client()
    removed = []
    for container in leftovers(client, everything):
        if _removed(lambda: container.remove(force=True, v=True)):
            removed.append(f"container {container.name}")
    for volume in client.volumes.list(filters={"label": RUN_LABEL}):
        if _orphaned(volume.attrs.get("Labels") or {}, everything) and _removed(lambda: volume.remove(force=True)):
            removed.append(f"volume {volume.name}")
    for network in client.networks.list(filters={"label": RUN_LABEL}):
        if _orphaned(network.attrs.get("Labels") or {}, everything) and _removed(network.remove):
            removed.append(f"network {network.name}")
    live = {c.labels.get(RUN_LABEL) for c in client.containers.list(all=True, filters={"label": RUN_LABEL}, ignore_removed=True)
            if not _orphaned(c.labels, False)}
    for stale in Path(tempfile.gettempdir()).glob("promote-gen-pg-*"):
        if stale.is_dir() and (everything or not _dir_owned(stale, live)):
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(f"temp dir {stale}")
    return removed


def _removed(remove) -> bool:
    """Run one removal; False when another cleanup got there first (gone, or being removed)."""
    try:
        remove()
    except NotFound:
        return False
    except APIError as exc:
        if exc.status_code == 409:  # "removal already in progress", or still in use by a live container
            return False
        raise
    return True


def _dir_owned(folder: Path, live_runs: set) -> bool:
    if (folder / owner.OWNER_FILE).exists():
        return owner.dir_alive(folder)
    # A dir from before owner files (or one a moment old, its owner file still to come): spared
    # while its run's containers have a live owner.
    if time.time() - folder.stat().st_mtime < 60:
        return True
    return any(folder.name.startswith(f"promote-gen-{run}") for run in live_runs if run)
