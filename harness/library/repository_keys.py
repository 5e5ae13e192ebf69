"""How scenario and timeline files name a repository in `registry:`: `owner/name` on ghcr.io (as
every file written before other registries were played), `host/owner/name` on any other host
(`index.docker.io/acme/api`, `registry.example.com:5000/acme/api`). The first component names a host
when it holds a `.` or a `:`, as crane reads references."""
from __future__ import annotations

from generator import references

GHCR = references.GHCR


def split(key: str) -> tuple[str, str]:
    """(host, repository) of a repository key."""
    first, sep, rest = key.partition("/")
    if sep and ("." in first or ":" in first):
        return first, rest
    return GHCR, key


def key(host: str, repository: str) -> str:
    return repository if host == GHCR else f"{host}/{repository}"


def of_ref(ref: str) -> str:
    """The key of a config image's `ref`, read as crane reads it (`docker.io/acme/api` →
    `index.docker.io/acme/api`)."""
    parsed = references.parse(ref)
    return key(parsed.host, parsed.repository)
