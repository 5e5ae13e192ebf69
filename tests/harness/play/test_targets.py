"""`gen bench`'s targets: each printed next to its figure, met or not, and never met when not measured."""
from __future__ import annotations

from harness.play import against_act, targets
from harness.play.bench import Row


def _library(wall: float, pods: int = 2) -> dict:
    rows = [Row("a", 0.30, 0.25, 9), Row("b", 0.40, 0.20, 5), Row("c", 0.02, 0.0, 0)]
    return {"rows": rows, "wall": wall + 10.0, "timelines": 4, "pods": pods}


def test_library_targets_compare_each_figure_with_its_limit():
    found = {t.name.split(",")[0]: t for t in targets.library(_library(15.0))}
    assert found["whole library"].measured == "25.00 s" and found["whole library"].met
    assert found["per scenario"].measured == "0.30 s" and found["per scenario"].met
    ratio = found["harness time / the step scripts run directly in the runner"]
    assert ratio.measured == "1.60x" and ratio.met is False  # median of 1.2x and 2.0x: over 1.5x


def test_the_library_target_is_for_two_pods_and_the_whole_library_only():
    (library, *_) = targets.library(_library(5.0, pods=1))
    assert library.met is None and "--pods 2" in library.note
    (library, *_) = targets.library({**_library(5.0), "whole": False})
    assert library.met is None and "whole built-in library" in library.note


def test_act_targets_take_the_steps_own_work_out_of_b():
    ours = against_act.Series("promote-gen", {n: [0.45 + 0.012 * n] for n in against_act.SIZES})
    theirs = against_act.Series("act", {n: [0.5 + 0.4 * n] for n in against_act.SIZES})
    job, step, ahead = targets.against_act(ours, theirs, step_work=0.004)
    assert (job.measured, job.met) == ("0.45 s", True)
    assert (step.measured, step.met) == ("8.0 ms", True)
    assert ahead.met and ahead.measured == "every N"
    slow = against_act.Series("promote-gen", {n: [1.1 + 0.04 * n] for n in against_act.SIZES})
    job, step, ahead = targets.against_act(slow, theirs, step_work=0.004)
    assert not job.met and not step.met and ahead.measured == "behind at N = 1"
    _, noisy, _ = targets.against_act(ours, theirs, step_work=0.020)  # b 12 ms, each step alone 20 ms
    assert noisy.measured == "-8.0 ms" and noisy.met is None


def test_the_report_says_not_measured_and_counts_only_met_targets():
    text = targets.report(targets.library(_library(40.0)) + targets.not_measured("act not found"), (1.0, 2.5), 2)
    assert "load average 1.0 → 2.5 on 2 cores" in text
    assert text.count("not measured") == 3 and "(act not found)" in text
    assert "NO" in text and text.endswith("1/6 targets met")
