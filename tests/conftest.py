"""Shared fixtures: paths, readable text snapshots, and a `gen` runner."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFIG = ROOT / ".github" / "auto-promote.yaml"
SEED = FIXTURES / "seed-auto-promote-on-e2e.yml"


class TextSnapshot(SingleFileSnapshotExtension):
    """One readable UTF-8 file per snapshot."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture
def text_snapshot(snapshot):
    return snapshot.use_extension(TextSnapshot)


def run_gen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd,
                          capture_output=True, text=True)
