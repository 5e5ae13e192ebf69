"""Every bad input in tests/bad_inputs.py keeps the promise: one positioned line, exit 2, no traceback,
nothing changed. Most run through `gen`'s main function in this process; pipes, read-only mounts and
inputs that could crash an interpreter run in a subprocess, as a user runs them."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests import bad_inputs

CASES = bad_inputs.all_cases()


def _read_only_mounts_work() -> bool:
    if not shutil.which("unshare"):
        return False
    proc = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    return proc.returncode == 0


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.title)
def test_bad_input_keeps_the_promise(case):
    if case.wrap and not _read_only_mounts_work():
        pytest.skip("this machine cannot make a read-only mount (unshare --mount is refused)")
    # Speed is `python -m tests.bad_inputs`'s to measure (under 2 s each); here a hang still fails at 60 s.
    result = (bad_inputs.run(case, timed=False) if bad_inputs.needs_subprocess(case)
              else bad_inputs.run_in_process(case))
    assert result.kept, f"{result.why}\n{result.stderr[-2000:]}"


def test_every_class_has_cases():
    classes = {c.cls for c in CASES}
    assert {"config-code", "outputs", "config-file", "config-fields", "cli", "workflow-file", "workflow-fields",
            "scenario-file", "scenario-fields", "timeline-file", "timeline-fields", "simulate-selection"} <= classes
    assert len(CASES) >= 386
