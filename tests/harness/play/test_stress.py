"""No lost output, a fixed sample: 400 short steps through the job worker (one job in four driven a
step at a time) while two processes spin. `gen bench --stress 2000` runs the full one."""
from __future__ import annotations

import pytest

from harness.play import nstep, stress

pytestmark = pytest.mark.docker


def test_no_step_loses_its_output_under_load(pod_images):
    result = stress.run(pod_images, steps=400, per_job=100, busy=2, progress=lambda line: None)
    assert (result.steps, result.jobs) == (400, 4)
    assert result.lost == []


def test_the_check_sees_a_lost_line():
    full = [("stdout", "out 3"), ("stderr", "err 3")]
    assert nstep.lost(3, full, {"value": "3"}, "- step 3\n", ["step 3 done"]) == []
    assert nstep.lost(3, full[1:], {"value": "3"}, "- step 3\n", []) == ["stdout line", "notice"]
