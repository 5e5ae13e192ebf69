"""The agent's start-up configuration (a JSON file written by the harness)."""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    cert: str
    key: str


@dataclass(frozen=True)
class Front:
    """One registry host the pod plays: where it listens and where its repositories are stored."""

    endpoint: Endpoint
    upstream: str
    public_host: str  # as crane names it, port included: `registry.example.com:5000`
    prefix: str  # storage folder in the one upstream registry ('' for ghcr.io)


@dataclass(frozen=True)
class AgentConfig:
    api: Endpoint
    registry: Endpoint
    upstream: str  # host:port of the plain-HTTP registry
    public_host: str
    username: str
    password: str
    admin_socket: str
    fronts: tuple[Front, ...] = ()
    docker_hub_auth: Endpoint | None = None


def _front(section: dict) -> Front:
    return Front(_endpoint(section), str(section.get("upstream", "127.0.0.1:5000")),
                 str(section.get("public_host", "ghcr.io")), str(section.get("prefix", "")))


def _endpoint(section: dict) -> Endpoint:
    return Endpoint(str(section["host"]), int(section["port"]), str(section["cert"]), str(section["key"]))


def parse(doc: dict) -> AgentConfig:
    reg = doc["registry"]
    return AgentConfig(
        api=_endpoint(doc["api"]), registry=_endpoint(reg),
        upstream=str(reg.get("upstream", "127.0.0.1:5000")),
        public_host=str(reg.get("public_host", "ghcr.io")),
        username=str(reg.get("username", "")), password=str(reg.get("password", "")),
        admin_socket=str(doc["admin_socket"]),
        fronts=tuple(_front(f) for f in doc.get("registries") or [reg]),
        docker_hub_auth=_endpoint(doc["docker_hub_auth"]) if doc.get("docker_hub_auth") else None,
    )


def load(path: str) -> AgentConfig:
    with open(path, encoding="utf-8") as f:
        return parse(json.load(f))
