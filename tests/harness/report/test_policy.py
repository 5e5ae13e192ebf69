"""The policy section (`gen explain`): the tables a reviewer reads, the `if` truth table from the rendered workflow, and
the README section that `gen render` writes and `gen check` keeps honest."""
from __future__ import annotations

import shutil

import pytest
from ruamel.yaml import YAML

from generator.configfile import load_config
from generator.render import render
from harness.report import policy, truthtable
from harness.workflow import model
from tests.conftest import CONFIG, ROOT, run_gen


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def rows(config):
    text = render(config, ".github/auto-promote.yaml").text
    return {r.event: r for r in truthtable.rows(model.parse(YAML(typ="rt").load(text), "wf"), config)}


def test_truth_table_rows(rows):
    publish = rows["`publish-workspace-server-image` completed: success"]
    assert (publish.triggered, publish.job_runs) == (True, True)
    assert publish.proceeding == ["sha", "gate", "setup-crane", "GHCR login", "Verify", "ancestry",
                                  "Retag platform", "Retag tenant", "Summary"]
    assert publish.stopping == ["sha", "gate"]
    assert publish.group == "auto-promote-latest-<sha>"
    failed = rows["`publish-workspace-server-image` completed: failure, cancelled, …"]
    assert (failed.triggered, failed.job_runs, failed.proceeding) == (True, False, [])
    assert not rows["`E2E Staging SaaS (full lifecycle)` completed on another branch"].triggered
    assert not rows["`E2E Staging SaaS (full lifecycle)` requested or in progress"].triggered
    assert "ancestry" not in rows["workflow_dispatch with a sha"].proceeding


def test_truth_table_follows_the_config(config):
    hardened = config.model_copy(update={"ancestry": config.ancestry.model_copy(update={"on_dispatch": "check"}),
                                         "retag": config.retag.model_copy(update={"protect_split": True})})
    text = render(hardened, "x").text
    rows = {r.event: r for r in truthtable.rows(model.parse(YAML(typ="rt").load(text), "wf"), hardened)}
    dispatch = rows["workflow_dispatch with a sha"].proceeding
    assert "ancestry" in dispatch and "latest_before" in dispatch and "split_check" in dispatch
    assert rows["workflow_dispatch with a sha"].stopping == ["sha", "gate"]


def test_explain_prints_the_policy(config):
    proc = run_gen("explain")
    assert proc.returncode == 0
    assert proc.stdout == policy.markdown(config, render(config, ".github/auto-promote.yaml").text)
    for heading in ("### Gate", "### Ancestry", "### When the job and its steps run", "### Invariants"):
        assert heading in proc.stdout


def test_readme_section_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    config = load_config(CONFIG)
    assert policy.markdown(config, render(config, ".github/auto-promote.yaml").text) in readme


def test_hand_edited_readme_section_is_drift(tmp_path):
    (tmp_path / ".github/workflows").mkdir(parents=True)
    shutil.copy(CONFIG, tmp_path / ".github/auto-promote.yaml")
    shutil.copy(ROOT / ".github/workflows/auto-promote-on-e2e.yml", tmp_path / ".github/workflows/")
    (tmp_path / "README.md").write_text("# demo\n", encoding="utf-8")
    proc = run_gen("check", "--no-lint", cwd=tmp_path)
    assert proc.returncode == 1 and "+### When the job and its steps run" in proc.stdout
    assert run_gen("render", cwd=tmp_path).returncode == 0
    assert run_gen("check", "--no-lint", cwd=tmp_path).returncode == 0
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# demo\n")
    (tmp_path / "README.md").write_text(text.replace("| yes | yes |", "| yes | no |", 1), encoding="utf-8")
    proc = run_gen("check", "--no-lint", cwd=tmp_path)
    assert proc.returncode == 1 and "run: gen render" in proc.stdout


def test_protected_workflow_is_lint_clean(config):
    from generator import lint

    hardened = config.model_copy(update={
        "retag": config.retag.model_copy(update={"protect_split": True}),
        "gate": config.gate.model_copy(update={"on_api_error": "abort"}),
        "concurrency": config.concurrency.model_copy(update={"policy": "global"})})
    rendered = render(hardened, ".github/auto-promote.yaml")
    assert lint.actionlint(rendered.text, ".github/workflows/x.yml") == []
    assert lint.zizmor(rendered.text, ".github/workflows/x.yml") == []
    assert lint.shellcheck(rendered.scripts) == []
    assert "group: auto-promote-latest\n" in rendered.text
