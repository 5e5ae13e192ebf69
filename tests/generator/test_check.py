"""`gen check`: drift detection on a tampered copy, lint cleanliness, and source-mapped shellcheck."""
from __future__ import annotations

import shutil

import pytest

from generator import lint
from generator.configfile import load_config
from generator.render import render
from generator.templating import environment
from generator.templating import render as render_script
from tests.conftest import CONFIG, FIXTURES, ROOT, run_gen

OUTPUT = ".github/workflows/auto-promote-on-e2e.yml"


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".github/workflows").mkdir(parents=True)
    shutil.copy(CONFIG, tmp_path / ".github/auto-promote.yaml")
    shutil.copy(ROOT / OUTPUT, tmp_path / OUTPUT)
    return tmp_path


def test_check_passes_on_the_committed_tree():
    proc = run_gen("check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "up to date and lint-clean" in proc.stdout


@pytest.mark.parametrize("edit", ["hand-edit a script", "delete a step line", "append a comment"])
def test_hand_edit_is_drift(project, edit):
    path = project / OUTPUT
    text = path.read_text(encoding="utf-8")
    if edit == "hand-edit a script":
        text = text.replace("completed/failure|completed/timed_out)", "completed/failure)", 1)
    elif edit == "delete a step line":
        text = text.replace("          echo \"full=${FULL}\" >> \"$GITHUB_OUTPUT\"\n", "", 1)
    else:
        text += "# tweak\n"
    path.write_text(text, encoding="utf-8")
    proc = run_gen("check", "--no-lint", cwd=project)
    assert proc.returncode == 1
    assert "--- .github/workflows/auto-promote-on-e2e.yml (committed)" in proc.stdout
    assert "+++ .github/workflows/auto-promote-on-e2e.yml (rendered)" in proc.stdout
    changed = [l for l in proc.stdout.splitlines() if l[:1] in "-+" and l[:3] not in ("---", "+++")]
    assert changed
    assert "run: gen render" in proc.stdout
    assert path.read_text(encoding="utf-8") == text  # check never writes


def test_config_change_without_render_is_drift(project):
    config = project / ".github/auto-promote.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("short_sha_length: 7", "short_sha_length: 8"),
                      encoding="utf-8")
    proc = run_gen("check", "--no-lint", cwd=project)
    assert proc.returncode == 1
    assert '-          echo "short=${FULL:0:7}"' in proc.stdout
    assert '+          echo "short=${FULL:0:8}"' in proc.stdout
    assert run_gen("render", cwd=project).returncode == 0
    assert run_gen("check", "--no-lint", cwd=project).returncode == 0


def test_missing_workflow_is_drift(project):
    (project / OUTPUT).unlink()
    proc = run_gen("check", "--no-lint", cwd=project)
    assert proc.returncode == 1
    assert "run: gen render" in proc.stdout


def test_rendered_workflow_is_lint_clean():
    rendered = render(load_config(CONFIG), ".github/auto-promote.yaml")
    assert lint.actionlint(rendered.text, OUTPUT) == []
    assert lint.zizmor(rendered.text, OUTPUT) == []
    assert lint.shellcheck(rendered.scripts) == []


@pytest.mark.parametrize("name", ["acme", "fleet", "star40"])
def test_other_configs_render_lint_clean(name):
    """One image (the Verify loop over an array, not `for img in "${IMAGE}"`: SC2066), three, and a
    `*`-only gate with 40-digit short SHAs."""
    config = load_config(FIXTURES / "configs" / f"{name}.yaml")
    rendered = render(config, f"tests/fixtures/configs/{name}.yaml")
    assert lint.actionlint(rendered.text, OUTPUT) == []
    assert lint.zizmor(rendered.text, OUTPUT) == []
    assert lint.shellcheck(rendered.scripts) == []
    loop = 'for img in "${IMAGES[@]}"; do' if len(config.images) == 1 else "for img in " + " ".join(
        f'"${{{image.env}}}"' for image in config.images) + "; do"
    assert loop in rendered.text


def test_zizmor_sees_only_the_justified_suppression(tmp_path):
    rendered = render(load_config(CONFIG), ".github/auto-promote.yaml")
    unsuppressed = rendered.text.replace("  # zizmor: ignore[dangerous-triggers]", "  # note:")
    findings = lint.zizmor(unsuppressed, OUTPUT)
    assert len(findings) == 1 and "dangerous-triggers" in findings[0]
    line = next(l for l in rendered.text.splitlines() if "zizmor: ignore" in l)
    assert line.startswith("  workflow_run:  # zizmor: ignore[dangerous-triggers] ")


def test_lint_findings_fail_check(project, monkeypatch, capsys):
    from generator import cli

    monkeypatch.chdir(project)
    monkeypatch.setattr(lint, "zizmor", lambda text, name: [f"zizmor: {name}:3: demo (high): planted"])
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "zizmor: .github/workflows/auto-promote-on-e2e.yml:3: demo (high): planted" in out
    assert "1 lint finding(s)" in out


def test_missing_linter_is_exit_2(project, monkeypatch, capsys):
    from generator import cli

    monkeypatch.chdir(project)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(lint.sys, "executable", "/nonexistent/python")
    assert cli.main(["check"]) == 2
    assert "actionlint not found on PATH" in capsys.readouterr().err


def test_seed_lints_dirty():
    """The linters are live: the hand-written seed has the injection findings we removed."""
    text = (ROOT / "tests/fixtures/seed-auto-promote-on-e2e.yml").read_text(encoding="utf-8")
    findings = lint.zizmor(text, OUTPUT)
    assert sum("template-injection" in f for f in findings) >= 6


def test_shellcheck_findings_point_at_template_lines(tmp_path):
    steps = tmp_path / "steps"
    steps.mkdir()
    (steps / "demo.sh.j2").write_text(
        "set -euo pipefail\n"
        "{% for name in names %}\n"
        "echo \"{{ name }}\"\n"
        "{% endfor %}\n"
        "echo $UNQUOTED_{{ suffix }}\n",
        encoding="utf-8",
    )
    script = render_script(environment(tmp_path), "steps/demo.sh.j2", {"names": ["a", "b"], "suffix": "X"})
    assert script.text == 'set -euo pipefail\necho "a"\necho "b"\necho $UNQUOTED_X\n'
    assert [script.origin(i) for i in (1, 2, 3, 4)] == [
        "templates/steps/demo.sh.j2:1", "templates/steps/demo.sh.j2:3",
        "templates/steps/demo.sh.j2:3", "templates/steps/demo.sh.j2:5"]
    findings = lint.shellcheck({"demo": script})
    assert len(findings) == 1
    assert findings[0].startswith("shellcheck: templates/steps/demo.sh.j2:5: SC2086 (info): ")


def test_repo_ci_workflow_is_lint_clean():
    ci = (ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert lint.actionlint(ci, ".github/workflows/ci.yml") == []
    assert lint.zizmor(ci, ".github/workflows/ci.yml") == []
    assert "gen check" in ci and "pytest" in ci


def test_default_words_name_the_configs_target_tag_and_branch():
    """acme's target is `stable`: no default summary, notice or invariant says `:latest`."""
    from harness.report import policy

    config = load_config(FIXTURES / "configs" / "acme.yaml")
    text = render(config, "c").text
    assert "current :stable has no revision label" in text and "| Current :stable revision |" in text
    assert ":latest" not in text
    section = policy.markdown(config, text)
    assert ":stable never moves to an ancestor" in section and ":latest" not in section
    custom = config.model_copy(update={"summary": config.summary.model_copy(
        update={"fanout_notes": ["Pods on {branch} pull :{tag} within 5 minutes."]})})
    assert 'echo "Pods on trunk pull :stable within 5 minutes."' in render(custom, "c").text
