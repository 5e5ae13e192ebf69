"""JSON Schemas of the files users write, for `gen schema` and the files `docs.schemas` keeps.

The config's schema comes from its models; scenario and timeline schemas are built the same way
from the harness's models (wired in by the CLI, the one place that sees both packages).
"""
from __future__ import annotations

import json

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .config import Config

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILES = {"config": "config.schema.json", "scenario": "scenario.schema.json", "timeline": "timeline.schema.json"}


def of_model(model: type[BaseModel], title: str) -> dict:
    return {"$schema": DIALECT, "title": title, **model.model_json_schema()}


def of_file(single: type[BaseModel], suite: type[BaseModel], title: str) -> dict:
    """A file holding one item, or a suite of them (with a `shared:` place for anchors)."""
    refs, schema = models_json_schema([(single, "validation"), (suite, "validation")])
    return {"$schema": DIALECT, "title": title,
            "anyOf": [refs[(single, "validation")], refs[(suite, "validation")]], **schema}


def config_schema() -> dict:
    return of_model(Config, "promote-gen config (.github/auto-promote.yaml)")


def text(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def modeline(schema_path: str) -> str:
    """The first line of a YAML file whose editor should complete and check it against `schema_path`."""
    return f"yaml-language-server: $schema={schema_path}"
