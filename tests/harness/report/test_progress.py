"""Progress for long runs: one line rewritten in place on a terminal, nothing when piped."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

import pytest

from harness.report.progress import Progress
from tests.conftest import ROOT, read_terminal


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_it_says_which_how_many_left_and_elapsed():
    ticks = iter([0.0, 1.5, 3.0, 4.25])
    stream = _Terminal()
    progress = Progress(2, stream, clock=lambda: next(ticks))
    progress.start("happy-path")
    progress.finish("happy-path", True)
    progress.close()
    assert stream.getvalue() == ("\r\x1b[K[1/2] happy-path · 2 left · 1.5 s"
                                 "\r\x1b[K[1/2] happy-path: pass · 1 left · 3.0 s\r\x1b[K")


def test_piped_it_writes_nothing():
    stream = io.StringIO()
    progress = Progress(3, stream)
    progress.start("a")
    progress.finish("a", False)
    progress.close()
    assert stream.getvalue() == ""


def _simulate(stderr_on_pty: bool) -> tuple[int, str, str]:
    cmd = [sys.executable, "-m", "generator.cli", "simulate", "--quiet", "smoke"]
    if not stderr_on_pty:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        return proc.returncode, proc.stdout, proc.stderr
    main, child = pty.openpty()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=child, text=True)
    os.close(child)
    screen = read_terminal(main, proc)
    out = proc.stdout.read()
    proc.wait(timeout=60)
    return proc.returncode, out, screen


@pytest.mark.docker
def test_simulate_shows_progress_on_a_terminal_and_stays_plain_when_piped(pod_images):
    code, out, screen = _simulate(stderr_on_pty=True)
    assert code == 0, screen
    assert "\r\x1b[K[1/2] happy-path · 2 left · " in screen
    assert "[2/2] happy-path-from-config: pass · 0 left · " in screen
    assert "\r" not in out and "2/2 passed" in out  # the table on stdout is the same either way
    code, piped_out, piped_err = _simulate(stderr_on_pty=False)
    assert code == 0
    assert "\r" not in piped_err and "\x1b" not in piped_err and "left ·" not in piped_err
    assert piped_out.splitlines()[-1] == out.splitlines()[-1]
