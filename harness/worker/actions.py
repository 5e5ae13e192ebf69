"""The `uses:` actions the harness knows, each reproducing what the real action does to the job.

An action not listed here is an error before anything runs: a silently skipped step would make
every later result meaningless.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

CRANE_DIR = "/opt/setup-crane/bin"

# imjasonh/setup-crane installs crane and logs in to ghcr.io with the job token
# (action.yml: `echo "${{ github.token }}" | crane login ghcr.io --username "dummy" --password-stdin`).
SETUP_CRANE = """\
set -e
echo "${ACTION_TOKEN}" | crane auth login ghcr.io --username "dummy" --password-stdin
"""
SETUP_CRANE_NOTE = "crane {crane} is preinstalled in the harness image; requested version: {version}"


@dataclass(frozen=True)
class ActionPlan:
    """What running the action means: PATH entries, then an optional script in the job's shell.

    `log` lines are the harness's own words, logged on stdout before the script runs. They are not
    echoed by the script: docker delivers stdout and stderr on separate streams, so an echo just
    before a command writing stderr could arrive after it and make the trace depend on timing.
    """

    path: tuple[str, ...] = ()
    script: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    log: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownAction:
    repository: str
    inputs: dict[str, str]  # name → default
    plan: Callable[[dict, dict, str], ActionPlan]  # (inputs, github context, crane's version)


def _setup_crane(inputs: dict, github: dict, crane_version: str) -> ActionPlan:
    note = SETUP_CRANE_NOTE.format(crane=crane_version, version=inputs["version"])
    return ActionPlan(path=(CRANE_DIR,), script=SETUP_CRANE, env={"ACTION_TOKEN": github["token"]}, log=(note,))


KNOWN = {
    "imjasonh/setup-crane": KnownAction("imjasonh/setup-crane", {"version": "latest-release"}, _setup_crane),
}


class UnknownAction(Exception):
    pass


def lookup(uses: str) -> KnownAction:
    repository = uses.split("@", 1)[0].lower()
    for name, action in KNOWN.items():
        if repository == name.lower():
            return action
    raise UnknownAction(f"unknown action `{uses}`: the harness runs only {', '.join(sorted(KNOWN))}")


def resolve_inputs(action: KnownAction, given: dict) -> dict:
    unknown = sorted(set(given) - set(action.inputs))
    if unknown:
        raise UnknownAction(f"`{action.repository}` has no input {', '.join(unknown)}")
    return {**action.inputs, **{k: str(v) for k, v in given.items()}}
