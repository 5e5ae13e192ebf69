"""What each registry host lets the job do, predicted from the world the pod plays: whether a login
step passes, whether crane may read there (Verify), whether a push is refused (a retag).

It reads what the pod serves (`podagent/registry_auth.py`, `worker/docker_login.py`): a login the
config gives a host presents the user name and password its secrets hold; the host's accounts say
which credentials open it and which may push; registry faults say where a host answers otherwise.
`crane auth login` stores the credentials without asking the registry, so a wrong password shows at
the first request crane makes (Verify); docker/login-action asks at once, so it fails its own step.
"""
from __future__ import annotations

import re

from generator.config import Config, Image, RegistryLogin
from harness.world import registries
from harness.world.world import World

CRANE_RETRIES = 2  # crane retries a 5xx; a fault lasting this many attempts is absorbed
PING = "/v2/"
TOKEN_PATHS = ("/token", "/auth/token")  # Docker Hub's and ghcr.io's token path; distribution's token auth
PULL_ONLY_AUTHS = ("docker-hub", "token")  # token services grant push per account; Basic lets any account push


def absorbed(fault) -> bool:
    """A registry fault crane's retries outlast: a 5xx that stops before crane gives up."""
    return fault.kind == "status" and (fault.status or 0) >= 500 and fault.times is not None \
        and fault.times <= CRANE_RETRIES


def _hosts(host: str) -> tuple[str, ...]:
    """The hosts a request to `host` reaches: Docker Hub's tokens come from auth.docker.io."""
    return (host, registries.DOCKER_HUB_AUTH) if host == registries.DOCKER_HUB else (host,)


def _faults(world: World, host: str, method: str, paths: tuple[str, ...]):
    """The registry faults a `method` request to one of `paths` on `host` (or its token host) meets."""
    for fault in world.faults:
        if not fault.hits_registry or (fault.host is not None and fault.host not in _hosts(host)):
            continue
        if fault.method not in (None, method):
            continue
        if fault.path is None or any(re.search(fault.path, p) for p in paths):
            yield fault


def _account(world: World, host: str, login: RegistryLogin):
    """The account the login's credentials open on `host`, None when they open none."""
    play = world.registry_hosts.get(host)
    if play is None:
        return None
    user = login.username if login.username is not None else world.secrets.get(login.username_secret or "", "")
    password = world.secrets.get(login.password_secret or "", "")
    return next((a for a in play.accounts if a.username == user and a.password == password), None)


def _job_token(world: World, host: str, login: RegistryLogin) -> bool:
    play = world.registry_hosts.get(host)
    return login.login == "github-token" or (play is not None and play.auth == "ghcr")


def login_fails(world: World, host: str, login: RegistryLogin) -> bool:
    """docker/login-action checks the credentials with the registry (`GET /v2/`, then the token
    realm or Basic); the crane logins store them unchecked and never fail here."""
    if login.login != "docker/login-action":
        return False
    if any(True for _ in _faults(world, host, "GET", (PING, *TOKEN_PATHS))):
        return True  # docker login makes each request once: any answer but 200 fails it
    return _account(world, host, login) is None


def read_fails(world: World, config: Config, image: Image, tag: str) -> bool:
    """crane cannot read `image:tag` (Verify's `crane manifest`): the host refuses the credentials,
    or answers a fault crane's retries do not outlast."""
    host = image.registry
    login = config.login_for(host)
    if login is None:
        return True
    if not _job_token(world, host, login) and _account(world, host, login) is None:
        return True
    paths = (PING, f"/v2/{image.reference.repository}/manifests/{tag}", *TOKEN_PATHS)
    return any(not absorbed(f) for f in _faults(world, host, "GET", paths))


def push_refused(world: World, config: Config, image: Image, tag: str) -> bool:
    """The registry refuses the PUT of `image:tag` for good: a fault crane does not outlast, or an
    account the host's token service grants pull only."""
    path = f"/v2/{image.reference.repository}/manifests/{tag}"
    if any(not absorbed(f) for f in _faults(world, image.registry, "PUT", (path,))):
        return True
    login = config.login_for(image.registry)
    play = world.registry_hosts.get(image.registry)
    if login is None or play is None or _job_token(world, image.registry, login) or play.auth not in PULL_ONLY_AUTHS:
        return False
    account = _account(world, image.registry, login)
    return account is not None and not account.push
