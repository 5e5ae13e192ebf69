"""The workflow under test, read and checked before anything starts: a parse error, a shape GitHub
would refuse, or a step the harness cannot run is bad input (one line, exit 2), never a half-run."""
from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from generator import references
from generator.loader import KEY, InputError, read_text, read_yaml
from harness.library.loader import problem
from harness.worker import actions
from harness.world import registries
from harness.world.registries import default_plays
from harness.workflow import model, shape
from harness.workflow.model import Workflow


def load(path: Path) -> Workflow:
    if not path.exists():
        raise InputError(f"{path}: no such workflow file (run `gen render`, or pass --workflow)")
    text = read_text(path)
    doc = read_yaml(path, text)
    shape.check(doc, str(path), text)
    workflow = model.parse(doc, str(path))
    check_supported(workflow)
    return workflow


def parse(text: str, display: str) -> Workflow:
    doc = YAML(typ="rt").load(text)
    shape.check(doc, display, text)
    workflow = model.parse(doc, display)
    check_supported(workflow)
    return workflow


def check_supported(workflow: Workflow) -> None:
    for job in workflow.jobs:
        for step in job.steps:
            if step.uses:
                try:
                    action = actions.lookup(step.uses)
                    actions.resolve_inputs(action, step.with_)
                except actions.UnknownAction as exc:
                    raise InputError(f"{step.where or workflow.path}: job {job.id}, step {step.index} "
                                     f"({step.title}): {exc}") from None


def played_hosts(workflow: Workflow, scenarios: list, config=None) -> list[str]:
    """The registry hosts the pod plays: ghcr.io, each host the config logs in to, each a scenario
    sets up. A host the workflow's images or a scenario's registry name outside them is an error
    before anything runs: with no account behind it, every step would fail for the wrong reason."""
    played = set(default_plays(config)[0])
    for scenario in scenarios:
        played |= set(scenario.registry_hosts)
    named: dict[str, str] = {}
    for name, value in workflow.env.items():
        first = value.split("/", 1)[0] if isinstance(value, str) and "/" in value else ""
        # An image reference with an explicit host; other env values are left alone.
        if ("." in first or ":" in first) and references.HOST.fullmatch(first):
            named.setdefault(references.parse(value).host, f"the workflow's env {name}")
    for host, where in sorted(named.items()):
        if host not in played:
            raise InputError(f"{workflow.path}: registry {host} is not simulated: {where} names it, and the pod "
                             f"plays {', '.join(sorted(played))}; give it {_how(config)}, or `registry_hosts:` in "
                             f"the scenario")
    check_registry_keys(scenarios, played, config)
    return sorted(played)


def _how(config) -> str:
    return "a `registries:` login in the config" if config is not None else "a config (--config) that logs in to it"


def check_registry_keys(items: list, played, config=None) -> None:
    """Each scenario's or timeline's `registry:` repositories are on hosts the pod plays, or the first
    one that is not is reported at its key, in its file."""
    for item in items:
        for key in item.registry:
            host = registries.split(key)[0]
            if host not in played:
                besides = ", or `registry_hosts:` in the scenario" if hasattr(item, "registry_hosts") else ""
                raise InputError(problem(item, ("registry", key, KEY),
                                         f"a repository on a host the pod plays ({', '.join(sorted(played))}): "
                                         f"registry {host} is not simulated; give it {_how(config)}{besides}", key))
