"""The pod `gen simulate` starts ahead (harness/pod/ahead.py): the run plays in it rather than in a
second one, and bad input found while it starts still exits 2 in one line and leaves nothing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from harness.pod import ahead, images, layout
from tests.conftest import ROOT, docker_engine


@pytest.mark.parametrize("argv, wanted", [
    (["simulate", "happy-path"], True),
    (["simulate", "--workflow", "w.yml", "happy-path", "--pods=2"], True),
    (["simulate", "--pods=2", "happy-path"], True),
    (["simulate"], False),  # the whole library: its timelines want pods of another shape
    (["simulate", "--config", "c.yaml", "--tag", "smoke"], False),  # only option values
    (["simulate", "--list", "happy-path"], False),
    (["simulate", "--cleanup"], False),
    (["simulate", "happy-path", "--help"], False),
    (["render"], False),
    ([], False),
])
def test_only_a_simulate_naming_what_to_run_starts_a_pod_ahead(argv, wanted):
    assert ahead.wanted(argv) is wanted


@pytest.fixture
def short_tmp():
    folder = Path(tempfile.mkdtemp(prefix="pga-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _simulate(tmp: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str], dict]:
    """Run gen simulate; what it printed, the roles of the containers it created, and what it left."""
    client = docker_engine()
    since = time.time() - 1
    with subprocess.Popen([sys.executable, "-m", "generator.cli", "simulate", *args], cwd=ROOT,
                          env=dict(os.environ, TMPDIR=str(tmp)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as running:
        stdout, stderr = running.communicate(timeout=300)
    proc = subprocess.CompletedProcess(running.args, running.returncode, stdout, stderr)
    label = f"{layout.PID_LABEL}={running.pid}"
    created = [e["Actor"]["Attributes"]["promote-gen.role"] for e in _created(client, since, label)]
    left = {"containers": client.containers.list(all=True, filters={"label": label}, ignore_removed=True),
            "temp dirs": sorted(p.name for p in tmp.glob("promote-gen-*"))}
    return proc, created, {k: v for k, v in left.items() if v}


def _created(client, since: float, label: str):
    return client.events(since=since, until=time.time() + 1, decode=True,
                         filters={"type": "container", "event": "create", "label": label})


@pytest.mark.docker
def test_a_named_scenario_plays_in_the_pod_started_ahead(pod_images, short_tmp, monkeypatch):
    from generator import cli

    monkeypatch.setenv("TMPDIR", str(short_tmp))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr(images, "last", lambda: pod_images)  # not what another tree's run remembered meanwhile
    taken, real = [], ahead.take
    monkeypatch.setattr(ahead, "take", lambda *args: taken.append(real(*args)) or taken[-1])
    monkeypatch.setattr(sys, "argv", ["gen", "simulate", "happy-path", "--quiet"])
    since = time.time() - 1
    assert cli._guarded_main(None) == 0  # gen's own process (main() would end it with os._exit)
    assert len(taken) == 1 and taken[0] is not None
    client = docker_engine()
    label = f"{layout.RUN_LABEL}={taken[0].run_id}"
    assert [e["Actor"]["Attributes"]["promote-gen.role"] for e in _created(client, since, label)] == ["runner0"]
    assert client.containers.list(all=True, filters={"label": label}, ignore_removed=True) == []
    assert list(short_tmp.iterdir()) == []


@pytest.mark.docker
def test_bad_input_found_while_the_pod_starts_ahead_exits_2_and_leaves_nothing(pod_images, short_tmp):
    proc, created, left = _simulate(short_tmp, "--workflow", "no-such.yml", "happy-path")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["no-such.yml: no such workflow file (run `gen render`, or pass --workflow)"]
    assert created == ["runner0"]  # the pod was started ahead, and removed
    assert left == {}


def test_the_images_ensure_found_are_remembered_for_the_next_start(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "LAST", tmp_path / "images.json")
    assert images.last() is None
    found = images.Images("promote-gen/runner:1", crane="v0.20.1", gh="2.63.2", distribution="2.8.3", base="b:1")
    images._remember(found)
    assert images.last() == found
    (tmp_path / "images.json").write_text("{")  # torn or from another version: not used
    assert images.last() is None


@pytest.mark.docker
def test_a_caller_in_python_gets_no_pod_ahead(pod_images, short_tmp, monkeypatch):
    from generator import cli

    monkeypatch.setenv("TMPDIR", str(short_tmp))
    monkeypatch.setattr("tempfile.tempdir", None)
    started = []
    monkeypatch.setattr(ahead, "start", lambda: started.append(True))
    assert cli.main(["simulate", "--workflow", "no-such.yml", "happy-path"]) == 2
    assert started == []

