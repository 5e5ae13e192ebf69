"""Shared fixtures: paths, readable text snapshots, and a `gen` runner."""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

# A shell starts a background job with SIGINT ignored, and Python then never raises KeyboardInterrupt
# (nor do the gen processes the tests start, which inherit the ignore): the Ctrl-C tests need it back.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFIG = ROOT / ".github" / "auto-promote.yaml"

# The gen processes the tests start import this checkout, not whichever one the venv was installed
# from (a worktree shares its main checkout's venv).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
SEED = FIXTURES / "seed-auto-promote-on-e2e.yml"


class TextSnapshot(SingleFileSnapshotExtension):
    """One readable UTF-8 file per snapshot."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch):
    """Tests run in GitHub Actions too: their `gen` runs must not write into the job's real summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def text_snapshot(snapshot):
    return snapshot.use_extension(TextSnapshot)


def run_gen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd,
                          capture_output=True, text=True)


def read_terminal(main: int, proc, answers: list[str] = (), timeout: float = 600) -> str:
    """Everything written to the pseudo-terminal `main` until `proc` ends, typing each of `answers`
    when a prompt (a line ending in `:`) waits for it. Closes `main`."""
    seen, pending = b"", list(answers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
            if pending and seen.rstrip().endswith(b":"):
                os.write(main, (pending.pop(0) + "\n").encode())
        elif proc.poll() is not None:
            break
    os.close(main)
    return seen.decode(errors="replace")


DOCKER_FIXTURES = {"pod", "pod_images", "library_traces", "timeline_traces"}


def pytest_collection_modifyitems(config, items):
    """A test that uses the engine must say so with the `docker` marker, so `-m "not docker"` is honest."""
    unmarked = [item.nodeid for item in items
                if DOCKER_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("docker")]
    if unmarked:
        raise pytest.UsageError(f"tests use the Docker fixtures without the docker marker: {', '.join(unmarked)}")


def docker_engine():
    """The engine client, or a skip: these tests need Docker, which .ci/setup installs and starts."""
    from harness.pod import engine
    from harness.pod.layout import EngineError

    try:
        return engine.client()
    except EngineError as exc:
        pytest.skip(f"this machine has no Docker engine answering ({exc}); run harness/pod/engine.sh")


@pytest.fixture(scope="session")
def pod_images():
    docker_engine()
    from harness.pod import images

    return images.ensure(progress=lambda line: None)


@pytest.fixture(scope="session")
def pod(pod_images):
    from harness.pod.pod import Pod

    with Pod(pod_images) as p:
        yield p


@pytest.fixture(scope="session")
def library_traces(pod_images):
    """Every built-in scenario against the rendered workflow and against the seed, two pods each."""
    from generator.configfile import load_config
    from harness.library import selection
    from harness.play.pods import run_scenarios

    config = load_config(CONFIG)
    scenarios = selection.builtin()
    workflow = ROOT / ".github/workflows/auto-promote-on-e2e.yml"
    return {
        "rendered": {t.scenario: t for t in run_scenarios(scenarios, workflow, lambda line: None, config, pods=2)},
        "seed": {t.scenario: t for t in run_scenarios(scenarios, SEED, lambda line: None, config, pods=2)},
    }


@pytest.fixture(scope="session")
def timeline_traces(pod_images):
    """Every built-in timeline, against the rendered workflow and each of its variants."""
    from generator.configfile import load_config
    from harness.library import selection
    from harness.play.timelines import run_timelines

    traces = run_timelines(selection.builtin_timelines(), ROOT / ".github/workflows/auto-promote-on-e2e.yml",
                           load_config(CONFIG), progress=lambda line: None)
    return {(t.name, t.variant): t for t in traces}
