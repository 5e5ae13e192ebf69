"""One warm pod for many scenarios: images once, containers once, world reset per scenario."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from generator.loader import InputError

from . import images, simulate, workflow_file
from .pod import Pod
from .scenario import Scenario
from .trace import Trace


def load_workflow(path: Path) -> workflow_file.Workflow:
    if not path.exists():
        raise InputError(f"{path}: no such workflow file (run `gen render`, or pass --workflow)")
    workflow = workflow_file.load(path)
    try:
        simulate.check_supported(workflow)
    except simulate.UnsupportedWorkflow as exc:
        raise InputError(str(exc)) from None
    return workflow


def run(scenarios: list[Scenario], workflow_path: Path, progress: Callable[[str], None] = print,
        config=None) -> list[Trace]:
    workflow = load_workflow(workflow_path)
    built = images.ensure(progress=progress)
    traces = []
    with Pod(built) as pod:
        for scenario in scenarios:
            traces.append(simulate.run(pod, workflow, scenario, str(workflow_path), built.crane, config))
    return traces
