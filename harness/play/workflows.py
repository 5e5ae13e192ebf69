"""The workflow under test, read and checked before anything starts: a parse error or a step the
harness cannot run is bad input (one line, exit 2), never a half-run."""
from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from generator.loader import InputError
from harness.worker import actions
from harness.workflow import model
from harness.workflow.model import Workflow


def load(path: Path) -> Workflow:
    if not path.exists():
        raise InputError(f"{path}: no such workflow file (run `gen render`, or pass --workflow)")
    workflow = model.load(path)
    check_supported(workflow)
    return workflow


def parse(text: str, display: str) -> Workflow:
    workflow = model.parse(YAML(typ="rt").load(text), display)
    check_supported(workflow)
    return workflow


def check_supported(workflow: Workflow) -> None:
    for job in workflow.jobs:
        for step in job.steps:
            if step.uses:
                try:
                    actions.lookup(step.uses)
                except actions.UnknownAction as exc:
                    raise InputError(f"{step.where or workflow.path}: job {job.id}, step {step.index} "
                                     f"({step.title}): {exc}") from None
