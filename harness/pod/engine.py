"""The Docker engine: one client, and a clear error when nothing answers."""
from __future__ import annotations

import functools

import docker
from docker.errors import DockerException

from .layout import EngineError


@functools.lru_cache(maxsize=1)
def client() -> docker.DockerClient:
    try:
        c = docker.from_env(version="auto", timeout=120)
        c.ping()
        return c
    except DockerException as exc:
        raise EngineError(f"no Docker engine answers ({exc}); start one with harness/pod/engine.sh "
                          "(installs Debian's docker.io and runs dockerd, as root)") from None
