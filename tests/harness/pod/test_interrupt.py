"""Ctrl-C, as a user presses it (SIGINT to gen's process group), at each stage of a run: the pod's
setup, mid-scenario, mid-timeline, and its cleanup, once or twice. Each time gen exits within 2 s
of the first signal and leaves no labelled container, volume or network and no temp dir."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from harness.pod import layout, owner
from harness.pod.pod import Pod
from tests.conftest import ROOT, docker_engine

pytestmark = pytest.mark.docker

LIMIT = 2.0


@pytest.fixture
def short_tmp():
    """A temp folder of its own, with a path short enough for the pod's unix sockets (pytest's is not)."""
    folder = Path(tempfile.mkdtemp(prefix="pgi-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, TMPDIR=str(tmp_path))  # the pod's temp dir lands here, where the test can see it
    return subprocess.Popen([sys.executable, "-m", "generator.cli", "simulate", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, process_group=0)


def _mine(client, proc) -> dict:
    label = {"label": f"{layout.PID_LABEL}={proc.pid}"}
    return {"containers": client.containers.list(all=True, filters=label, ignore_removed=True),
            "volumes": client.volumes.list(filters=label), "networks": client.networks.list(filters=label)}


def _wait_for(what, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if what():
            return
        time.sleep(0.02)
    raise AssertionError("the run never got there")


def _ctrl_c(proc, twice_after: float | None = None) -> float:
    """Signal the process group as a terminal does; the seconds until gen exited."""
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    if twice_after is not None:
        time.sleep(twice_after)
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
    try:
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return time.monotonic() - sent


def _left(client, proc, tmp_path: Path) -> dict:
    found = {k: v for k, v in _mine(client, proc).items() if v}
    stray = sorted(p.name for p in tmp_path.glob("promote-gen-*"))
    return {**found, **({"temp dirs": stray} if stray else {})}


def _runner_up(client, proc) -> bool:
    return any(c.labels.get("promote-gen.role") == "runner0" for c in _mine(client, proc)["containers"])


STAGES = ("setup", "mid-scenario", "mid-timeline", "cleanup-twice")


def interrupt(stage: str, tmp_path: Path) -> tuple[int, str, float, dict]:
    """Start gen simulate, Ctrl-C it at `stage`: its exit code, stderr, seconds to exit, and what it left."""
    client = docker_engine()
    # the derived library runs for half a minute: a short suite can end before the signal on an idle machine
    subject = {"setup": "happy-path", "mid-scenario": "derived", "mid-timeline": "busy-day",
               "cleanup-twice": "derived"}[stage]
    proc = _start(tmp_path, subject)
    if stage == "setup":
        _wait_for(lambda: _mine(client, proc)["containers"])  # the registry is up, the rest is still coming
    else:
        _wait_for(lambda: _runner_up(client, proc))
        time.sleep(1.5)  # well into the first scenario or the timeline's first events
    seconds = _ctrl_c(proc, twice_after=0.3 if stage == "cleanup-twice" else None)
    return proc.returncode, proc.stderr.read(), seconds, _left(client, proc, tmp_path)


@pytest.mark.parametrize("stage", STAGES)
def test_ctrl_c_stops_within_2_s_and_leaves_nothing(short_tmp, pod_images, stage):
    code, stderr, seconds, left = interrupt(stage, short_tmp)
    assert code == 130, stderr
    assert "Traceback" not in stderr and stderr.strip().endswith("gen: interrupted"), stderr
    assert left == {}
    assert seconds < LIMIT, f"took {seconds:.2f} s to stop"


def test_a_signal_during_cleanup_waits_for_its_end(pod_images, short_tmp, monkeypatch):
    """A real SIGINT delivered while the pod is being removed: removal finishes, then Ctrl-C counts."""
    tmp_path = short_tmp
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    client = docker_engine()
    pod = Pod(pod_images)
    pod.__enter__()
    run_id, real = pod.run_id, pod._remove_all

    def interrupted_removal():
        os.kill(os.getpid(), signal.SIGINT)  # lands now, in the middle of the cleanup
        os.kill(os.getpid(), signal.SIGINT)  # and a second one
        real()

    monkeypatch.setattr(pod, "_remove_all", interrupted_removal)
    with pytest.raises(KeyboardInterrupt):
        pod.__exit__(None, None, None)
    assert client.containers.list(all=True, filters={"label": f"{layout.RUN_LABEL}={run_id}"}, ignore_removed=True) == []
    assert not pod.dir.exists() and list(tmp_path.iterdir()) == []


def test_pods_carry_their_owner(pod):
    labels = pod.containers["runner0"].labels
    assert labels[layout.PID_LABEL] == str(os.getpid())
    assert labels[owner.PID_START_LABEL] == owner.start_time(os.getpid()) != ""
    assert (pod.dir / owner.OWNER_FILE).read_text().split() == [str(os.getpid()), owner.start_time(os.getpid())]


def test_cleanup_spares_only_live_owners(pod_images, pod):
    """A container whose pid is alive but belongs to a process started later (a reused pid) is removed."""
    client = docker_engine()
    reused = client.containers.create(pod_images.runner, ["sleep", "1"], network_mode="none",
                                      labels={layout.RUN_LABEL: "pg-reused", layout.PID_LABEL: str(os.getpid()),
                                              owner.PID_START_LABEL: "1"})
    try:
        proc = subprocess.run([sys.executable, "-m", "generator.cli", "simulate", "--cleanup"], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert f"container {reused.name}" in proc.stdout
        assert len(client.containers.list(all=True, filters={"label": f"{layout.RUN_LABEL}={pod.run_id}"}, ignore_removed=True)) == 1
    finally:
        try:
            reused.remove(force=True)
        except Exception:
            pass


def main() -> None:
    """`python -m tests.harness.pod.test_interrupt [ROUNDS]`: the seconds from Ctrl-C to exit at each stage."""
    from harness.pod import images

    images.ensure(progress=lambda line: None)
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for stage in STAGES:
        times = []
        for _ in range(rounds):
            folder = Path(tempfile.mkdtemp(prefix="pgi-", dir="/tmp"))
            try:
                code, _, seconds, left = interrupt(stage, folder)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            times.append(f"{seconds:.2f}" + ("" if code == 130 and not left else f" (exit {code}, left {left})"))
        print(f"{stage:14} " + "  ".join(times))


if __name__ == "__main__":
    main()
