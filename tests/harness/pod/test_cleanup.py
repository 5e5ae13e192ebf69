"""`gen simulate --cleanup` removes only what no live process owns, and two cleanups at once both
succeed: what the other one removed first is "already gone", not an error."""
from __future__ import annotations

import subprocess
import sys

import pytest
from docker.errors import APIError, NotFound

from harness.pod import cleanup, layout, owner
from tests.conftest import ROOT, docker_engine

DEAD_PID = "999999"


def _gen_cleanup() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator.cli", "simulate", "--cleanup"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _labels(run: str, pid: str, start: str | None = None) -> dict:
    return {layout.RUN_LABEL: run, layout.PID_LABEL: pid, **({owner.PID_START_LABEL: start} if start else {})}


@pytest.mark.docker
def test_volumes_of_a_live_owner_are_spared_and_a_dead_ones_removed():
    client = docker_engine()
    pid, start = owner.me()
    live = client.volumes.create(labels=_labels("pg-test-live-volume", pid, start))
    dead = client.volumes.create(labels=_labels("pg-test-dead-volume", DEAD_PID))
    reused = client.volumes.create(labels=_labels("pg-test-reused-volume", pid, "1"))  # our pid, not our start
    try:
        removed = cleanup.cleanup(everything=False)
        names = {v.name for v in client.volumes.list(filters={"label": layout.RUN_LABEL})}
        assert live.name in names and f"volume {live.name}" not in removed
        assert dead.name not in names and f"volume {dead.name}" in removed
        assert reused.name not in names and f"volume {reused.name}" in removed
    finally:
        for volume in (live, dead, reused):
            try:
                volume.remove(force=True)
            except NotFound:
                pass


@pytest.mark.docker
def test_two_cleanups_at_once_both_succeed(pod_images):
    client = docker_engine()
    made = [client.containers.create(pod_images.runner, ["sleep", "1"], network_mode="none",
                                     labels=_labels(f"pg-test-race-{i}", DEAD_PID)) for i in range(8)]
    try:
        first, second = _gen_cleanup(), _gen_cleanup()
        outs = [p.communicate(timeout=120) for p in (first, second)]
        assert (first.returncode, second.returncode) == (0, 0), outs
        assert all("Traceback" not in err for _, err in outs), outs
        said = "".join(out for out, _ in outs)
        assert all(f"container {c.name}" in said for c in made)
        assert client.containers.list(all=True, filters={"label": f"{layout.PID_LABEL}={DEAD_PID}"},
                                      ignore_removed=True) == []
    finally:
        for container in made:
            try:
                container.remove(force=True)
            except (NotFound, APIError):
                pass


def test_already_gone_is_success_and_other_engine_errors_are_not():
    def gone():
        raise NotFound("no such container")

    def in_progress():
        raise APIError("removal in progress", response=type("R", (), {"status_code": 409})())

    def broken():
        raise APIError("engine down", response=type("R", (), {"status_code": 500})())

    assert cleanup._removed(gone) is False
    assert cleanup._removed(in_progress) is False
    assert cleanup._removed(lambda: None) is True
    with pytest.raises(APIError):
        cleanup._removed(broken)
