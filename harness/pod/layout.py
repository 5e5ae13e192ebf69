"""Where things are in a pod, for the modules that use the pod without driving Docker."""
from __future__ import annotations

from dataclasses import dataclass

from harness.workflow.contexts import HOME

RUN_LABEL = "promote-gen.run"
PID_LABEL = "promote-gen.pid"
HOSTS = {"ghcr.io": "127.0.0.2", "api.github.com": "127.0.0.3"}
OTHER_HOSTS_FROM = 10  # further registry hosts get 127.0.0.10, .11, … in host order


def host_addresses(registry_hosts: list[str]) -> dict[str, str]:
    """host (without port) → loopback address, for ghcr.io, the API and each further registry host;
    Docker Hub brings its token service, auth.docker.io."""
    names = sorted({h.partition(":")[0] for h in registry_hosts} - set(HOSTS))
    if "index.docker.io" in names:
        names = sorted(set(names) | {"auth.docker.io"})
    return {**HOSTS, **{name: f"127.0.0.{OTHER_HOSTS_FROM + i}" for i, name in enumerate(names)}}
REGISTRY_UPSTREAM = "127.0.0.1:5000"
RUNNER_HOME = HOME  # the runner's home inside its container: GitHub's /home/runner
CA_IN_RUNNER = "/etc/promote-gen/ca.pem"


class EngineError(Exception):
    """The environment cannot run the pod; the message says what to do."""


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    output: list[tuple[str, str]]  # (stream, text) in arrival order
    seconds: float
