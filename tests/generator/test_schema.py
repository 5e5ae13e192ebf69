"""`gen schema --for config|scenario|timeline`: every config field documented with an example, and
each schema accepting the files it describes (checked by a JSON-Schema validator, not by us)."""
from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import BaseModel
from ruamel.yaml import YAML

from generator import config as config_models
from generator import schema
from harness.library import selection
from tests.conftest import CONFIG, run_gen


def _schema(kind: str) -> dict:
    proc = run_gen("schema", "--for", kind)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _properties(schema: dict):
    """Every (model.field, property schema): the root model's and each one in $defs."""
    for model, node in [("(root)", schema), *schema.get("$defs", {}).items()]:
        for name, prop in (node.get("properties") or {}).items():
            yield f"{model}.{name}", prop


def test_every_config_field_has_a_description_and_an_example():
    found = dict(_properties(_schema("config")))
    models = [m for m in vars(config_models).values()
              if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == config_models.__name__
              and m.model_fields]
    assert len(found) == sum(len(m.model_fields) for m in models)  # the walk sees every field of every model
    missing = sorted(p for p, prop in found.items() if not prop.get("description") or not prop.get("examples"))
    assert missing == []


def test_the_walk_would_catch_a_bare_field():
    bare = {"properties": {"x": {"type": "string"}}, "$defs": {"M": {"properties": {"y": {"description": "d"}}}}}
    assert sorted(p for p, prop in _properties(bare) if not prop.get("examples")) == ["(root).x", "M.y"]


def test_each_example_is_valid_for_its_field():
    config = _schema("config")
    for path, prop in _properties(config):
        for example in prop.get("examples", []):
            sub = {**prop, "$defs": config["$defs"]}
            sub.pop("examples")
            jsonschema.validate(example, sub), path


def _load(path) -> object:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_the_config_schema_accepts_the_shipped_config_and_rejects_a_typo():
    config_schema = _schema("config")
    jsonschema.validate(_load(CONFIG), config_schema)
    bad = _load(CONFIG)
    bad["tags"]["revison_label"] = bad["tags"].pop("revision_label")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, config_schema)


@pytest.mark.parametrize("path", sorted(selection.BUILTIN.glob("*.yaml")), ids=lambda p: p.name)
def test_scenario_schema_validates_every_built_in_scenario_file(path):
    jsonschema.validate(_load(path), _schema_cached("scenario"))


@pytest.mark.parametrize("path", sorted(selection.BUILTIN_TIMELINES.glob("*.yaml")), ids=lambda p: p.name)
def test_timeline_schema_validates_every_built_in_timeline_file(path):
    jsonschema.validate(_load(path), _schema_cached("timeline"))


def test_the_scenario_schema_rejects_what_the_loader_rejects():
    suite = _load(selection.BUILTIN / "smoke.yaml")
    suite["scenarios"][0]["expect"]["triggerd"] = True
    with pytest.raises(jsonschema.ValidationError, match="triggerd"):
        jsonschema.validate(suite, _schema_cached("scenario"))


_CACHE: dict[str, dict] = {}


def _schema_cached(kind: str) -> dict:
    if kind not in _CACHE:
        _CACHE[kind] = _schema(kind)
    return _CACHE[kind]


def test_the_schema_files_init_writes_are_kept_current_by_render(tmp_path):
    assert run_gen("init", "--yes", "--image", "ghcr.io/acme/api", "--e2e-workflow", "Integration",
                   "--e2e-file", "integration.yml", "--publish-workflow", "build", cwd=tmp_path).returncode == 0
    assert run_gen("render", cwd=tmp_path).returncode == 0
    written = tmp_path / ".github/auto-promote" / schema.FILES["scenario"]
    assert json.loads(written.read_text(encoding="utf-8")) == _schema_cached("scenario")
    jsonschema.validate(_load(tmp_path / ".github/auto-promote/scenarios.yaml"), _schema_cached("scenario"))
    jsonschema.validate(_load(tmp_path / ".github/auto-promote/day.yaml"), _schema_cached("timeline"))
    jsonschema.validate(_load(tmp_path / ".github/auto-promote.yaml"), _schema_cached("config"))
    written.write_text("{}\n", encoding="utf-8")
    proc = run_gen("check", "--no-lint", cwd=tmp_path)
    assert proc.returncode == 1 and "scenario.schema.json (committed)" in proc.stdout
    assert run_gen("render", cwd=tmp_path).stdout.splitlines()[-1] == f"wrote {written.relative_to(tmp_path)}"
    assert run_gen("check", "--no-lint", cwd=tmp_path).returncode == 0


def test_render_leaves_readmes_alone_unless_asked(tmp_path):
    (tmp_path / ".github").mkdir()
    text = CONFIG.read_text(encoding="utf-8").replace("docs:\n  readme: README.md\n", "")
    (tmp_path / ".github/auto-promote.yaml").write_text(text, encoding="utf-8")
    assert run_gen("render", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "README.md").exists()
