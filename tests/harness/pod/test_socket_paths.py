"""A temp folder whose path is too long for the pod's unix sockets is refused in one line before
anything starts (bind() would fail later with a traceback, mid-run)."""
from __future__ import annotations

import pytest

from harness.pod.layout import EngineError
from harness.pod.pod import SOCKET_PATH_MAX, Pod


def test_a_temp_folder_too_long_for_sockets_is_refused(monkeypatch, tmp_path):
    long = tmp_path / ("d" * (SOCKET_PATH_MAX - len(str(tmp_path))))
    monkeypatch.setattr("tempfile.tempdir", str(long))
    with pytest.raises(EngineError, match=r": a temp folder with a shorter path \(the pod's unix sockets would need "
                                          r"\d+ bytes, at most 107 fit\); set TMPDIR to one$"):
        Pod(images=None)


def test_a_short_temp_folder_is_accepted(monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", "/tmp")
    monkeypatch.setattr("harness.pod.engine.client", lambda: None)  # no engine needed to name the pod's folder
    pod = Pod(images=None)
    assert len(str(pod.dir / "exec" / "0" / "worker-1.sock")) <= SOCKET_PATH_MAX
    pod._spawner.shutdown()
