"""Where things are in a pod, for the modules that use the pod without driving Docker."""
from __future__ import annotations

from dataclasses import dataclass

from harness.workflow.contexts import HOME

RUN_LABEL = "promote-gen.run"
PID_LABEL = "promote-gen.pid"
HOSTS = {"ghcr.io": "127.0.0.2", "api.github.com": "127.0.0.3"}
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
