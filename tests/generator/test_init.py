"""`gen init` from zero: flags, a terminal interview, refusing to overwrite, atomic writes, and a
config that renders, passes `gen check --strict` and `gen simulate` at once."""
from __future__ import annotations

import re

import os
import pty
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from generator import hazards
from generator.configfile import load_config
from tests.conftest import ROOT, read_terminal, run_gen

ACME = ("init", "--yes", "--image", "ghcr.io/acme/api", "--e2e-workflow", "Integration",
        "--e2e-file", "integration.yml", "--publish-workflow", "build-and-push")
WRITTEN = [".github/auto-promote.yaml", ".github/auto-promote/config.schema.json",
           ".github/auto-promote/scenario.schema.json", ".github/auto-promote/timeline.schema.json",
           ".github/auto-promote/scenarios.yaml", ".github/auto-promote/day.yaml"]


@pytest.fixture
def repo(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def _files(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def test_empty_repository_to_green_check(repo):
    proc = run_gen(*ACME, cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert sorted(_files(repo)) == sorted(WRITTEN)
    assert proc.stdout.splitlines()[-1] == "next: gen render && gen check && gen simulate"
    assert run_gen("render", cwd=repo).returncode == 0
    check = run_gen("check", "--strict", cwd=repo)
    assert check.returncode == 0, check.stdout
    assert "up to date and lint-clean" in check.stdout and "warning" not in check.stdout
    assert not (repo / "README.md").exists()  # docs.readme is null unless asked


def test_the_written_config_holds_the_safe_defaults_and_says_why(repo):
    run_gen(*ACME, cwd=repo)
    text = (repo / ".github/auto-promote.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=auto-promote/config.schema.json\n")
    config = load_config(repo / ".github/auto-promote.yaml")
    assert config.gate.on_api_error == "abort" and config.concurrency.policy == "global"
    assert config.retag.protect_split and config.permissions["actions"] == "read"
    assert config.setup_crane.sha == "6da1ae018866400525525ce74ff892880c099987" and config.setup_crane.version == "v0.5"
    assert hazards.find(config) == []
    assert "# `global` (safe): one promotion at a time" in text
    assert "# What a failed `gh run list` means. `abort` (safe)" in text
    assert "comment: E2E found a regression; the target tag stays put." in text
    for name in ("scenarios.yaml", "day.yaml"):
        starter = (repo / ".github/auto-promote" / name).read_text(encoding="utf-8")
        kind = "scenario" if name == "scenarios.yaml" else "timeline"
        assert starter.startswith(f"# yaml-language-server: $schema={kind}.schema.json\n")


def test_the_starters_use_the_configs_names(repo):
    run_gen(*ACME[:-1], "build-and-push", "--candidate", "sha-{short}", "--target", "stable", cwd=repo)
    suite = YAML(typ="safe").load((repo / ".github/auto-promote/scenarios.yaml").read_text(encoding="utf-8"))
    green = next(s for s in suite["scenarios"] if s["name"] == "publish-with-e2e-green")
    assert green["registry"]["acme/api"][1]["tags"] == ["sha-3a7f12c"]
    assert green["expect"]["registry"] == {"acme/api": {"stable": "sha-3a7f12c"}}
    assert green["workflows"][0] == {"file": "integration.yml", "name": "Integration",
                                     "runs": [{"commit": "target", "status": "completed", "conclusion": "success"}]}
    assert green["event"]["workflow_run"]["workflow"] == "build-and-push"


def test_refuses_to_overwrite_without_force(repo):
    assert run_gen(*ACME, cwd=repo).returncode == 0
    (repo / ".github/auto-promote.yaml").write_text("# mine\n", encoding="utf-8")
    before = _files(repo)
    proc = run_gen(*ACME, cwd=repo)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "--force" in proc.stderr
    assert _files(repo) == before
    assert run_gen(*ACME, "--force", cwd=repo).returncode == 0
    assert (repo / ".github/auto-promote.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server")


@pytest.mark.parametrize("args, message", [
    (("init", "--image", "ghcr.io/acme/api"), "--e2e-workflow, --e2e-file needed when not asking on a terminal"),
    (ACME[:3] + ("ghcr.io/Acme/API",) + ACME[4:], "--image: images[0].ref: string should match pattern"),
    (ACME + ("--candidate", "build-{commit}"), "--candidate/--target: tags.candidate: a tag pattern with {short}"),
    (ACME + ("--e2e-file", "integration"), "--e2e-file: e2e.workflow_file: string should match pattern"),
])
def test_bad_answers_are_one_line_and_write_nothing(repo, args, message):
    proc = run_gen(*args, cwd=repo)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and message in proc.stderr, proc.stderr
    assert _files(repo) == {}


def test_a_folder_in_the_way_writes_nothing(repo):
    (repo / ".github/auto-promote/day.yaml").mkdir(parents=True)
    proc = run_gen(*ACME, "--force", cwd=repo)
    assert proc.returncode == 2 and "is a folder" in proc.stderr
    assert _files(repo) == {}


def test_e2e_file_is_found_from_the_workflows_in_the_repository(repo):
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/it.yml").write_text("name: Integration\non: push\n", encoding="utf-8")
    proc = run_gen("init", "--yes", "--image", "ghcr.io/acme/api", "--e2e-workflow", "Integration",
                   "--publish-workflow", "build", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert load_config(repo / ".github/auto-promote.yaml").e2e.workflow_file == "it.yml"


def test_a_hand_written_promotion_workflow_is_pointed_out(repo):
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/promote.yml").write_bytes((ROOT / "tests/fixtures/seed-auto-promote-on-e2e.yml").read_bytes())
    proc = run_gen(*ACME, cwd=repo)
    assert "gen init --from .github/workflows/promote.yml" in proc.stderr


def test_without_a_publish_trigger_it_writes_and_warns(repo):
    proc = run_gen("init", "--yes", "--image", "ghcr.io/acme/api", "--e2e-workflow", "Integration",
                   "--e2e-file", "integration.yml", cwd=repo)
    assert proc.returncode == 0
    assert "warning: triggers: no trigger has role `publish`" in proc.stdout
    assert not (repo / ".github/auto-promote/day.yaml").exists()  # a day needs a build workflow


def _interview(repo, answers: list[str], *args: str) -> tuple[int, str]:
    """Run `gen init` on a pseudo-terminal, answering each prompt as it appears."""
    main, child = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "init", *args], cwd=repo,
                            stdin=child, stdout=child, stderr=child, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(child)
    screen = read_terminal(main, proc, answers, timeout=20)
    proc.wait(timeout=10)
    return proc.returncode, screen


def test_interview_on_a_terminal(repo):
    answers = ["ghcr.io/acme/api", "ghcr.io/acme/worker", "", "trunk", "Integration", "integration.yml",
               "build-and-push", "", "sha-{short}", "stable"]
    code, screen = _interview(repo, answers)
    assert code == 0, screen
    assert "Images to promote" in screen and "[main]" in screen and "[latest]" in screen
    config = load_config(repo / ".github/auto-promote.yaml")
    assert [i.ref for i in config.images] == ["ghcr.io/acme/api", "ghcr.io/acme/worker"]
    assert (config.branch, config.tags.candidate, config.tags.target) == ("trunk", "sha-{short}", "stable")
    assert [(t.name, t.role) for t in config.triggers] == [("Integration", "e2e"), ("build-and-push", "publish")]


def test_interview_asks_again_for_a_bad_answer(repo):
    answers = ["ghcr.io/acme/api", "", "", "Integration", "not-a-yaml-name", "build", "", "", "",
               "integration.yml"]
    code, screen = _interview(repo, answers)
    assert code == 0, screen
    assert "e2e.workflow_file: string should match pattern" in screen
    assert load_config(repo / ".github/auto-promote.yaml").e2e.workflow_file == "integration.yml"


@pytest.mark.docker
def test_starter_scenarios_pass_and_can_fail(repo, pod_images):
    """`gen simulate` runs the derived library and the starters by default; a gate that ignores a red
    E2E fails one of them."""
    run_gen(*ACME, cwd=repo)
    assert run_gen("render", cwd=repo).returncode == 0
    proc = run_gen("simulate", "--quiet", "--pods", "2", cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    passed = re.search(r"^(\d+)/(\d+) passed$", proc.stdout, re.M)
    assert passed and passed[1] == passed[2] and int(passed[1]) >= 40 + 11, proc.stdout
    assert "a-day[as-is]" in proc.stdout and "publish-with-e2e-red" in proc.stdout
    assert re.search(r"^retag-all-move +promote +pass", proc.stdout, re.M)
    workflow = repo / ".github/workflows/auto-promote-on-e2e.yml"
    broken = repo / "broken.yml"
    text = workflow.read_text(encoding="utf-8")
    arm = "  completed/success)\n"  # let the green arm take a failed E2E too
    assert text.count(arm) == 1
    broken.write_text(text.replace(arm, "  completed/success|completed/failure)\n"), encoding="utf-8")
    failed = run_gen("simulate", "--quiet", "--workflow", str(broken), ".github/auto-promote/scenarios.yaml", cwd=repo)
    assert failed.returncode == 1
    assert any(line.startswith("publish-with-e2e-red") and "FAIL" in line for line in failed.stdout.splitlines())
