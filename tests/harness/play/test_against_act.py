"""`gen bench --against-act`: the fit, the report, act's offline flags, and the N-step workflow."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from harness.library import loader
from harness.play import against_act, nstep, workflows


def test_the_fit_recovers_a_line():
    series = against_act.Series("x", {n: [0.4 + 0.01 * n, 0.4 + 0.01 * n] for n in against_act.SIZES})
    a, b = series.fit()
    assert (round(a, 6), round(b, 6)) == (0.4, 0.01)


def test_the_report_prints_both_fits_and_the_ratios():
    ours = against_act.Series("promote-gen", {n: [0.5 + 0.005 * n] for n in against_act.SIZES}, [1.0, 2.0])
    theirs = against_act.Series("act", {n: [0.5 + 0.4 * n] for n in against_act.SIZES}, [1.0, 2.0])
    text = against_act.report(ours, theirs)
    assert "promote-gen: a = 0.50 s per job, b = 5.0 ms per step" in text
    assert "act:         a = 0.50 s per job, b = 400.0 ms per step" in text
    assert "ratios act / promote-gen: a 1.00x, b 80.0x" in text
    assert "load average 1.0 → 2.0" in text


def test_act_runs_offline_only(tmp_path):
    argv = against_act._act(Path("/bin/act"), (tmp_path / "w.yml", tmp_path / "s.yaml"), "promote-gen/base:x")
    for flag in ("--network", "none", "--container-daemon-socket", "-", "--pull=false"):
        assert flag in argv
    assert argv[-2:] == ["-P", "ubuntu-latest=promote-gen/base:x"]


def test_without_act_it_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(against_act, "ACT_VENV", tmp_path / "none")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(against_act.ActMissing, match="--install-act"):
        against_act.find_act(None, install=False)


@pytest.mark.parametrize("steps", [1, 20])
def test_the_nstep_workflow_and_its_scenario_load(tmp_path, steps):
    workflow = workflows.parse(nstep.workflow(steps), "nstep.yml")
    assert [s.id for s in workflow.jobs[0].steps] == [f"s{i}" for i in range(1, steps + 1)]
    path = tmp_path / "s.yaml"
    path.write_text(nstep.scenario(steps))
    _, items = loader.load(path)
    assert len(items[0].expect.steps) == steps and len(items[0].expect.annotations) == steps
    assert YAML(typ="safe").load(nstep.workflow(steps))["on"] == "workflow_dispatch"


@pytest.mark.docker
def test_promote_gen_passes_the_nstep_scenario_and_times_each_step(tmp_path):
    """What the comparison runs for promote-gen: it must pass (a failing run stops the bench), and
    each step's own time, which the per-step target takes out, is read from a run in a pod."""
    workflow, scenario = against_act._write(tmp_path, 3)
    seconds = against_act._timed(against_act._gen((workflow, scenario)), tmp_path, None, 3)
    steps = against_act.step_seconds(workflow, scenario)
    assert len(steps) == 3 and all(0 < s < seconds for s in steps)
