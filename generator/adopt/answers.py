"""What `gen init` asks (or takes from flags), turned into a valid config with the safe defaults."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .. import loader, references, rules
from ..config import Config, Tags, Workflow

# Which flag each config field comes from, so a bad answer is reported against what the user typed.
FLAGS = {"images": "--image", "branch": "--branch", "triggers": "--e2e-workflow/--publish-workflow",
         "e2e": "--e2e-file", "tags": "--candidate/--target", "workflow": "--output"}


class AnswerError(Exception):
    def __init__(self, flag: str, message: str):
        super().__init__(f"{flag}: {message}")
        self.flag = flag


@dataclass
class Answers:
    images: list[str] = field(default_factory=list)
    branch: str = "main"
    e2e_workflow: str | None = None
    e2e_file: str | None = None
    publish_workflows: list[str] = field(default_factory=list)
    candidate: str = Tags.model_fields["candidate"].default
    target: str = Tags.model_fields["target"].default
    output: str = Workflow.model_fields["output"].default

    def missing(self) -> list[str]:
        return [flag for flag, value in (("--image", self.images), ("--e2e-workflow", self.e2e_workflow),
                                         ("--e2e-file", self.e2e_file)) if not value]


def to_config(answers: Answers, schemas: str | None) -> Config:
    data = {
        "workflow": {"name": f"Auto-promote :{answers.target} after E2E", "output": answers.output},
        "branch": answers.branch,
        "triggers": [{"name": answers.e2e_workflow, "role": "e2e"}]
        + [{"name": name, "role": "publish"} for name in answers.publish_workflows],
        "e2e": {"workflow_file": answers.e2e_file, "display": answers.e2e_workflow},
        "images": image_entries(answers.images),
        "registries": registry_entries(answers.images),
        **({"environment": "release"} if registry_entries(answers.images) else {}),
        "tags": {"candidate": answers.candidate, "target": answers.target},
        "docs": {"schemas": schemas},
    }
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        raise AnswerError(FLAGS.get(str(loc[0]), str(loc[0])),
                          f"{loader.dotted(loc)}: {error['msg'].lower()} (got {error.get('input')!r})") from None
    problems = rules.check(config)
    if problems:
        p = problems[0]
        raise AnswerError(FLAGS.get(str(p.path[0]), str(p.path[0])),
                          f"{loader.dotted(p.path)}: {p.expected} (got {p.got!r})")
    return config


def image_entries(refs: list[str]) -> list[dict]:
    """Name each image by its last path segment (the one before it too when two clash), env by name."""
    lasts = [ref.rstrip("/").rsplit("/", 1)[-1] for ref in refs]
    out = []
    for ref, last in zip(refs, lasts):
        parts = ref.rstrip("/").split("/")
        name = last if lasts.count(last) == 1 or len(parts) < 3 else f"{parts[-2]}-{last}"
        env = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") + "_IMAGE"
        out.append({"name": name, "ref": ref, "env": env if not env[0].isdigit() else "IMAGE_" + env})
    return out


def registry_entries(refs: list[str]) -> dict[str, dict]:
    """A `secret` login for each host other than ghcr.io, its secrets named after the host (edit to taste)."""
    out: dict[str, dict] = {}
    for ref in refs:
        host = references.parse(ref).host
        if host != references.GHCR and not references.problem(ref):
            stem = "DOCKERHUB" if host == references.DOCKER_HUB else re.sub(r"[^A-Z0-9]+", "_", host.upper()).strip("_")
            out.setdefault(host, {"login": "secret", "username_secret": f"{stem}_USERNAME",
                                  "password_secret": f"{stem}_TOKEN"})
    return out


def workflows_here(root: Path = Path(".github/workflows")) -> dict[str, str]:
    """`name:` → file name of the workflows already in the repository, to suggest and to fill in files."""
    found: dict[str, str] = {}
    for path in sorted(root.glob("*.y*ml")) if root.is_dir() else []:
        try:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            found.setdefault(data["name"], path.name)
    return found


def promotion_workflows(root: Path = Path(".github/workflows")) -> list[Path]:
    """Hand-written workflows of the seed's family, which `gen init --from` can read."""
    out = []
    for path in sorted(root.glob("*.y*ml")) if root.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "workflow_run" in text and "crane tag" in text and "Generated by `gen render`" not in text:
            out.append(path)
    return out
