"""Warnings: settings that can promote a red or unknown commit or strand a green one, each naming
the timeline that shows it; `gen check --strict` fails on them, `accept_warnings` owns one."""
from __future__ import annotations

import shutil

import pytest

from generator import hazards
from generator.config import Config
from generator.configfile import load_config
from tests.conftest import CONFIG, ROOT, run_gen

OUTPUT = ".github/workflows/auto-promote-on-e2e.yml"
MOLECULE = {"fail-open", "per-sha-race", "split-unprotected", "token-cannot-read-runs"}


def _safe() -> Config:
    """A config on the safe defaults (what `gen init` writes)."""
    return Config.model_validate({"triggers": [{"name": "Integration", "role": "e2e"},
                                               {"name": "build", "role": "publish"}],
                                  "e2e": {"workflow_file": "integration.yml", "display": "Integration"},
                                  "images": [{"name": "api", "ref": "ghcr.io/acme/api", "env": "API"},
                                             {"name": "web", "ref": "ghcr.io/acme/web", "env": "WEB"}]})


def _arms(config: Config, **changes) -> Config:
    """The safe table with some arms' actions changed: {index: action} or extra patterns."""
    arms = [a.model_dump() for a in config.gate.arms]
    for index, action in changes.get("actions", {}).items():
        arms[index]["action"] = action
    for index, extra in changes.get("extra", {}).items():
        arms[index]["match"] = arms[index]["match"] + extra
    return Config.model_validate({**config.model_dump(), "gate": {**config.gate.model_dump(), "arms": arms}})


def _with(config: Config, **fields) -> Config:
    data = config.model_dump()
    for dotted, value in fields.items():
        node, *rest = dotted.split("__")
        if rest:
            data[node][rest[0]] = value
        else:
            data[node] = value
    return Config.model_validate(data)


CASES = {
    "fail-open": lambda c: _with(c, gate__on_api_error="proceed"),
    "defer-strands": lambda c: _with(c, gate__on_api_error="defer"),
    "branch-glob": lambda c: _with(c, branch="release/*"),
    "no-publish-trigger": lambda c: _with(c, triggers=[{"name": "Integration", "role": "e2e"}]),
    "catch-all-proceeds": lambda c: _arms(c, actions={5: "proceed"}),
    "proceeds-unproven": lambda c: _arms(c, actions={3: "proceed"}),
    "cancelled-aborts": lambda c: _arms(c, actions={2: "abort"}),
    "no-run-stuck": lambda c: _arms(c, actions={4: "defer"}),
    "no-label-refuses": lambda c: _with(c, ancestry__no_label="fail", ancestry__on_dispatch="check"),
    "per-sha-race": lambda c: _with(c, concurrency__policy="per-sha"),
    "split-unprotected": lambda c: _with(c, retag__protect_split=False),
    "token-cannot-read-runs": lambda c: _with(c, permissions={"contents": "read", "packages": "write"}),
}


def test_the_safe_defaults_raise_no_warning():
    assert hazards.find(_safe()) == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_warning_fires_alone(code):
    found = hazards.find(CASES[code](_safe()))
    assert [h.code for h in found] == [code]
    assert found[0].timeline


def test_every_code_is_tested_and_listed():
    assert set(CASES) == set(hazards.CODES)


def test_the_catch_all_names_the_states_it_promotes():
    text = hazards.find(CASES["catch-all-proceeds"](_safe()))[0].text
    assert "completed/neutral" in text and "completed/(null)" in text


def test_one_image_cannot_split():
    one = Config.model_validate({**_safe().model_dump(), "images": _safe().model_dump()["images"][:1],
                                 "retag": {"protect_split": False}})
    assert hazards.find(one) == []


def test_molecule_core_keeps_the_seeds_behaviour_and_says_so():
    assert {h.code for h in hazards.find(load_config(CONFIG))} == MOLECULE


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".github/workflows").mkdir(parents=True)
    shutil.copy(CONFIG, tmp_path / ".github/auto-promote.yaml")
    return tmp_path


def _config_text(project, old: str, new: str) -> None:
    path = project / ".github/auto-promote.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new).replace("  readme: README.md", "  readme: null"), encoding="utf-8")


def test_check_warns_with_file_line_col_and_strict_fails(project):
    _config_text(project, "branch: main", "branch: 'release/*'")
    assert run_gen("render", cwd=project).returncode == 0
    proc = run_gen("check", "--no-lint", cwd=project)
    assert proc.returncode == 0, proc.stdout
    line = next(l for l in proc.stdout.splitlines() if "[branch-glob]" in l)
    number = [n for n, l in enumerate((project / ".github/auto-promote.yaml").read_text().splitlines(), 1)
              if l.startswith("branch:")][0]
    assert line.startswith(f".github/auto-promote.yaml:{number}:9: warning: branch: 'release/*' holds glob characters")
    assert "(timeline branch-glob-fails-open[release-glob])" in line
    assert "5 warning(s), 5 not accepted; `gen check --strict` fails on them" in proc.stdout
    strict = run_gen("check", "--no-lint", "--strict", cwd=project)
    assert strict.returncode == 1
    assert "(--strict fails on them)" in strict.stdout


def test_molecule_core_check_stays_green_without_strict():
    proc = run_gen("check", "--no-lint")
    assert proc.returncode == 0, proc.stdout
    assert {code for code in MOLECULE if f"[{code}]" in proc.stdout} == MOLECULE
    assert run_gen("check", "--no-lint", "--strict").returncode == 1


def test_accepted_warnings_print_but_do_not_fail_strict(project):
    codes = sorted(MOLECULE)
    _config_text(project, "docs:\n", "accept_warnings: [" + ", ".join(codes) + "]\n\ndocs:\n")
    assert run_gen("render", cwd=project).returncode == 0
    proc = run_gen("check", "--no-lint", "--strict", cwd=project)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.count("warning (accepted)") == 4


def test_an_unknown_accepted_code_is_a_config_error(project):
    _config_text(project, "docs:\n", "accept_warnings: [fail-opn]\n\ndocs:\n")
    proc = run_gen("check", "--no-lint", cwd=project)
    assert proc.returncode == 2
    assert "accept_warnings[0]: a warning code, one of fail-open" in proc.stderr


def test_explain_lists_the_warnings():
    proc = run_gen("explain")
    assert "### Warnings: settings that can promote a red commit or strand a green one" in proc.stdout
    assert "- **fail-open** (`gate.on_api_error`)" in proc.stdout and "Timeline: `outage-fails-open`." in proc.stdout


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_warning_names_a_timeline_that_breaks_an_invariant(code):
    from harness.library import selection

    hazard = hazards.find(CASES[code](_safe()))[0]
    name, _, variant = hazard.timeline.rstrip("]").partition("[")
    timeline = next((t for t in selection.builtin_timelines() if t.name == name), None)
    assert timeline is not None, f"{hazard.timeline}: no such built-in timeline"
    expect = timeline.expect if not variant else next(v.expect for v in timeline.variants if v.name == variant)
    assert "broken" in expect.invariants.values(), f"{hazard.timeline} breaks no invariant"


def test_readme_has_no_stale_copy():
    assert (ROOT / "README.md").read_text(encoding="utf-8").count("### Warnings: settings") == 1
