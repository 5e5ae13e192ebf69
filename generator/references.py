"""Image references read the way crane reads them (go-containerregistry's pkg/name, non-strict).

crane takes the first path component for the registry host only when it holds a `.` or a `:`;
otherwise the whole text is a Docker Hub repository, so `acme/api` is `index.docker.io/acme/api`
and `ubuntu` is `index.docker.io/library/ubuntu`. `docker.io` is rewritten to `index.docker.io`;
a port is kept. Hosts crane talks plain HTTP to (localhost, loopback, RFC 1918 addresses) are
reported, since a GitHub runner reaches none of them over TLS as the workflow expects.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

DOCKER_HUB = "index.docker.io"
DOCKER_HUB_ALIAS = "docker.io"
GHCR = "ghcr.io"
PLAIN_HTTP_NETS = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8")]
HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$")


@dataclass(frozen=True)
class Reference:
    host: str        # as crane names it: `index.docker.io`, `registry.example.com:5000`
    repository: str  # the path on the wire: `library/ubuntu`, `acme/api`
    written_host: str | None  # the host as the user wrote it, None when crane supplied Docker Hub

    @property
    def name(self) -> str:
        return f"{self.host}/{self.repository}"


def parse(ref: str) -> Reference:
    first, sep, rest = ref.partition("/")
    if sep and ("." in first or ":" in first):
        written, host, repository = first, normalise_host(first), rest
    else:
        written, host, repository = None, DOCKER_HUB, ref
    if host == DOCKER_HUB and "/" not in repository:
        repository = "library/" + repository
    return Reference(host, repository, written)


def normalise_host(host: str) -> str:
    return DOCKER_HUB if host == DOCKER_HUB_ALIAS else host


def problem(ref: str) -> str | None:
    """Why crane's reading of `ref` differs from what its text suggests, or None."""
    parsed = parse(ref)
    if parsed.written_host is None:
        first = ref.split("/", 1)[0]
        if "/" in ref:
            return (f"a reference that names its registry host: crane reads `{ref}` as `{parsed.name}` "
                    f"(`{first}` has no `.` or `:`, so it is a Docker Hub namespace); write `{parsed.name}` "
                    f"if Docker Hub is meant")
        return f"a reference that names its registry host: crane reads `{ref}` as `{parsed.name}`; write that"
    return host_problem(parsed.host)


def host_problem(host: str) -> str | None:
    if not HOST.fullmatch(host):
        return "a registry host: lower-case DNS labels, optionally `:port`"
    name, _, port = host.partition(":")
    if port and not 0 < int(port) < 65536:
        return "a registry port between 1 and 65535"
    if name == "localhost" or name.endswith(".localhost"):
        return f"a registry crane reaches over HTTPS (crane speaks plain HTTP to `{host}`, and a runner's localhost is itself)"
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return None
    if any(address in net for net in PLAIN_HTTP_NETS):
        return f"a registry crane reaches over HTTPS (crane speaks plain HTTP to the private address `{host}`)"
    return None
