"""Registry hosts as the pod plays them: where a repository lives, who may log in, how.

A scenario's repository keys (`harness/library/repository_keys.py`) name their hosts. One
distribution instance stores every host's repositories: ghcr.io's as they are, the others under a
folder named after the host, so two hosts may hold the same repository name.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from harness.library.repository_keys import GHCR, split

DOCKER_HUB = "index.docker.io"
DOCKER_HUB_AUTH = "auth.docker.io"  # Docker Hub's token service, a host of its own
AUTH_KINDS = ("ghcr", "docker-hub", "basic", "token")


def storage_prefix(host: str) -> str:
    """The folder a host's repositories live under in the one registry ('' for ghcr.io)."""
    return "" if host == GHCR else host.replace(":", "-") + "/"


def storage(key_: str) -> str:
    host, repository = split(key_)
    return storage_prefix(host) + repository


def default_auth(host: str) -> str:
    return {GHCR: "ghcr", DOCKER_HUB: "docker-hub"}.get(host, "basic")


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    push: bool = True  # the token service grants push (token auth); Basic auth lets every user push


@dataclass
class HostPlay:
    """One registry host the pod plays: its auth and its accounts (ghcr.io takes the job token)."""

    host: str
    auth: str
    accounts: list[Account] = field(default_factory=list)

    def state(self) -> dict:
        return {"host": self.host, "auth": self.auth,
                "accounts": [{"username": a.username, "password": a.password, "push": a.push}
                             for a in self.accounts]}


def secret_value(name: str) -> str:
    """The value a scenario's secret holds unless the scenario says otherwise."""
    return f"pg-secret-{name.lower().replace('_', '-')}"


def default_plays(config) -> tuple[dict[str, HostPlay], dict[str, str]]:
    """The hosts a config's images name, each with the account its login's secrets open; and the secrets."""
    plays: dict[str, HostPlay] = {GHCR: HostPlay(GHCR, "ghcr")}
    secrets: dict[str, str] = {}
    if config is None:
        return plays, secrets
    for host, login in config.logins:
        if login.login == "github-token":
            continue
        username = login.username if login.username is not None else secret_value(login.username_secret)
        if login.username_secret:
            secrets[login.username_secret] = username
        secrets[login.password_secret] = secret_value(login.password_secret)
        plays[host] = HostPlay(host, default_auth(host), [Account(username, secrets[login.password_secret])])
    return plays, secrets
