"""The `uses:` actions the harness knows, each reproducing what the real action does to the job.

An action not listed here is an error before anything runs: a silently skipped step would make
every later result meaningless.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
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
    public: tuple[str, ...] = ()  # env names whose values are not secrets (the rest are masked in logs)


@dataclass(frozen=True)
class KnownAction:
    repository: str
    inputs: dict[str, str]  # name → default
    plan: Callable[[dict, dict, str], ActionPlan]  # (inputs, github context, crane's version)


def _setup_crane(inputs: dict, github: dict, crane_version: str) -> ActionPlan:
    note = SETUP_CRANE_NOTE.format(crane=crane_version, version=inputs["version"])
    return ActionPlan(path=(CRANE_DIR,), script=SETUP_CRANE, env={"ACTION_TOKEN": github["token"]}, log=(note,))


DOCKER_LOGIN_SOURCE = Path(__file__).resolve().parent / "docker_login.py"
DOCKER_LOGIN_NOTE = "docker login {registry} (the harness checks the credentials with the registry, as dockerd does)"


def _docker_login(inputs: dict, github: dict, crane_version: str) -> ActionPlan:
    # docker/login-action v3: `docker login` with the inputs; logout in its post step (not played:
    # the job's runner is discarded after it, as a hosted runner is).
    source = DOCKER_LOGIN_SOURCE.read_text(encoding="utf-8")
    script = f"set -e\npython3 - <<'PROMOTE_GEN_DOCKER_LOGIN'\n{source}PROMOTE_GEN_DOCKER_LOGIN\n"
    env = {"LOGIN_REGISTRY": inputs["registry"], "LOGIN_USERNAME": inputs["username"],
           "LOGIN_PASSWORD": inputs["password"]}
    return ActionPlan(script=script, env=env, public=("LOGIN_REGISTRY", "LOGIN_USERNAME"),
                      log=(DOCKER_LOGIN_NOTE.format(registry=inputs["registry"] or "docker.io"),))


KNOWN = {
    "imjasonh/setup-crane": KnownAction("imjasonh/setup-crane", {"version": "latest-release"}, _setup_crane),
    "docker/login-action": KnownAction("docker/login-action", {
        "registry": "", "username": "", "password": "", "scope": "", "ecr": "auto", "logout": "true"},
        _docker_login),
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
