"""The molecule-core config renders the seed's structure: triggers, permissions, concurrency,
env, job `if`, and the order, names, ids, `if:`s and `uses:` of the steps. So does the config
`gen init --from` reads out of the seed itself: every assertion runs against both."""
from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from generator.configfile import load_config
from generator.render import render
from tests.conftest import CONFIG, SEED, run_gen


def _load(text: str) -> dict:
    return YAML(typ="safe").load(text)


def _config_from_seed(tmp_path_factory):
    project = tmp_path_factory.mktemp("init-from-seed")
    proc = run_gen("init", "--from", str(SEED), cwd=project)
    assert proc.returncode == 0, proc.stderr
    return project / ".github/auto-promote.yaml"


@pytest.fixture(scope="module", params=["shipped config", "gen init --from seed"])
def pair(request, tmp_path_factory):
    path = CONFIG if request.param == "shipped config" else _config_from_seed(tmp_path_factory)
    rendered = _load(render(load_config(path), ".github/auto-promote.yaml").text)
    return _load(SEED.read_text(encoding="utf-8")), rendered


def _job(doc):
    return doc["jobs"]["promote"]


def _effective_permissions(doc):
    return _job(doc).get("permissions", doc.get("permissions"))


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_triggers(pair):
    seed, ours = pair
    assert ours["on"] == seed["on"]


def test_permissions(pair):
    seed, ours = pair
    assert _effective_permissions(ours) == _effective_permissions(seed) == {"contents": "read", "packages": "write"}
    assert ours["permissions"] == {}  # nothing at the workflow level


def test_concurrency(pair):
    seed, ours = pair
    assert ours["concurrency"] == seed["concurrency"]


def test_env(pair):
    seed, ours = pair
    assert ours["env"] == seed["env"]
    assert ours["name"] == seed["name"]


def test_job_if(pair):
    seed, ours = pair
    assert _squash(_job(ours)["if"]) == _squash(_job(seed)["if"])
    assert _job(ours)["runs-on"] == _job(seed)["runs-on"]


@pytest.mark.parametrize("key", ["name", "id", "if", "uses"])
def test_steps(pair, key):
    seed, ours = pair
    seed_steps, our_steps = _job(seed)["steps"], _job(ours)["steps"]
    assert len(our_steps) == len(seed_steps) == 9
    assert [s.get(key) for s in our_steps] == [s.get(key) for s in seed_steps]


def test_steps_differ_only_by_env_indirection(pair):
    """Where a seed step interpolated `${{ }}` in bash, ours passes the value through env."""
    seed, ours = pair
    for seed_step, our_step in zip(_job(seed)["steps"], _job(ours)["steps"]):
        for key, value in seed_step.get("env", {}).items():
            assert our_step["env"][key] == value, (seed_step.get("name"), key)
        if "run" in seed_step and "${{" in seed_step["run"]:
            assert our_step.get("env"), seed_step.get("name")
