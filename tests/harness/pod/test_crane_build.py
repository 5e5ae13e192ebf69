"""The crane build: what the images hold, and that a cancelled build leaves no process or tree behind."""
from __future__ import annotations

import _thread
import hashlib
import io
import json
import os
import tarfile
import threading
import time
from pathlib import Path

import pytest

from harness.pod import crane_build
from tests.conftest import docker_engine
from tests.harness.pod.test_pod import sh


def test_the_key_follows_the_recipe(monkeypatch):
    tag = crane_build.image_tag()
    assert tag == crane_build.image_tag() and tag.startswith("promote-gen/crane:")
    monkeypatch.setattr(crane_build, "LDFLAGS", crane_build.LDFLAGS + " -X main.extra=1")
    assert crane_build.image_tag() != tag
    monkeypatch.undo()
    monkeypatch.setattr(crane_build, "IMPORTS", crane_build.IMPORTS[:-1])
    assert crane_build.image_tag() != tag


@pytest.mark.docker
def test_crane_image_holds_only_the_binary(pod_images):
    client = docker_engine()
    image = client.images.get(crane_build.image_tag())
    assert image.labels[crane_build.VERSION_LABEL] == crane_build.CRANE_VERSION
    assert image.labels["promote-gen.crane.source"].startswith(f"{crane_build.SOURCE} {crane_build.SOURCE_VERSION}")
    assert len(image.attrs["RootFS"]["Layers"]) == 1
    with tarfile.open(fileobj=io.BytesIO(b"".join(image.save()))) as saved:
        layer = json.load(saved.extractfile("manifest.json"))[0]["Layers"][0]
        with tarfile.open(fileobj=saved.extractfile(layer)) as tar:
            members = [(m.name, m.isfile(), m.mode) for m in tar.getmembers()]
    assert members == [("crane", True, 0o755)]


@pytest.mark.docker
def test_runner_runs_the_built_binary_and_names_its_tools(pod, pod_images, tmp_path):
    binary = crane_build.extract(docker_engine(), crane_build.image_tag(), tmp_path)
    code, out = sh(pod, "sha256sum /opt/setup-crane/bin/crane; ls -R /opt/setup-crane; crane version")
    assert code == 0
    assert out.split("\n") == [f"{hashlib.sha256(binary.read_bytes()).hexdigest()}  /opt/setup-crane/bin/crane",
                               "/opt/setup-crane:", "bin", "", "/opt/setup-crane/bin:", "crane",
                               crane_build.CRANE_VERSION, ""]
    code, out = sh(pod, "gh --version")
    assert out.startswith(f"gh version {pod_images.gh} ")
    assert pod_images.crane == crane_build.CRANE_VERSION
    assert pod_images.tools == f"crane {pod_images.crane}, gh {pod_images.gh}, distribution {pod_images.distribution}"
    assert pod_images.distribution.startswith("2.8.")


# Cancelling: a build whose first step hangs, in a shell that has a child and takes 0.5 s to exit --

@pytest.fixture
def hanging_build(monkeypatch, tmp_path):
    temp, pids = tmp_path / "temp", tmp_path / "pids"
    temp.mkdir()
    pids.mkdir()
    monkeypatch.setattr(crane_build, "_build_dir", lambda: str(temp))
    monkeypatch.setattr(crane_build, "_exists", lambda client, tag: False)

    def update(apt):
        apt.builder.call(["sh", "-c", f"trap 'sleep 0.5; exit 1' TERM; echo $$ > {pids}/sh; "
                                      f"sleep 60 & echo $! > {pids}/sleep; wait"])

    monkeypatch.setattr(crane_build.Apt, "update", update)
    lines: list[str] = []
    job = crane_build.Job(client=None, progress=lines.append).start()
    deadline = time.monotonic() + 10
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(temp.iterdir())) == 1, "the build's tree should exist while it runs"
    return job, temp, [int((pids / n).read_text()) for n in ("sh", "sleep")]


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie waits only for its reaper


def test_cancel_stops_every_process_and_removes_the_tree(hanging_build):
    job, temp, pids = hanging_build
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 2
    assert list(temp.iterdir()) == []
    assert all(_gone(pid) for pid in pids)
    assert isinstance(job.error, crane_build.Cancelled)


def test_ctrl_c_twice_while_waiting_still_cleans_up(hanging_build):
    job, temp, pids = hanging_build
    threading.Timer(0.2, _thread.interrupt_main).start()
    threading.Timer(0.3, _thread.interrupt_main).start()  # lands while cancel() waits for the shell
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        job.result()
    assert 0.5 < time.monotonic() - started < 2.5
    assert list(temp.iterdir()) == []
    assert all(_gone(pid) for pid in pids)


def test_build_errors_name_the_step_and_clean_up(monkeypatch, tmp_path):
    monkeypatch.setattr(crane_build, "_build_dir", lambda: str(tmp_path))
    monkeypatch.setattr(crane_build, "_exists", lambda client, tag: False)
    monkeypatch.setattr(crane_build.Apt, "update",
                        lambda apt: apt.builder.call(["sh", "-c", "echo 'E: no route to the mirror' >&2; exit 100"]))
    job = crane_build.Job(client=None, progress=lambda line: None).start()
    with pytest.raises(crane_build.BuildError, match=r"(?s)sh -c failed \(exit 100\):.*no route to the mirror"):
        job.result()
    assert list(tmp_path.iterdir()) == []
    assert os.path.isdir(tmp_path)
