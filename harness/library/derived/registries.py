"""Derived registry scenarios: for each host the config's images name, its login and the ways it
fails, played with the auth the real service uses (see the README's Registries section):

- bad credentials at login: the password secret holds a wrong value. docker/login-action asks the
  registry at once and fails its step; `crane auth login` stores it unchecked, so Verify's first
  read gets the 401 and nothing moves. ghcr.io with the job token has none: GitHub mints the token.
- a refused push at retag: the account's token grants pull only (Docker Hub, or a self-hosted
  registry played with distribution's token auth: htpasswd Basic lets every account push), and a
  registry that answers 401 to every PUT. ghcr.io's job token always holds `packages: write` (the
  config insists on it), so there only the 401 on PUT applies.
- the host down (503 to everything) while the others work: the login step or Verify stops the run
  before any retag; with several hosts, also down only for the retag's PUTs, so images on other
  hosts have moved first and `retag.protect_split` (when on) rolls them back.
- a self-hosted registry on token auth instead of Basic: the promotion goes through.
"""
from __future__ import annotations

from generator.config import RegistryLogin

from ..scenario import Scenario
from .base import Names, scenario, slug, workflow_run

AREA = "registries"
WRONG_PASSWORD = "not-the-password"
PULL_ONLY_USER, PULL_ONLY_PASSWORD = "pull-only-bot", "pull-only-token"
DOCKER_HUB = "index.docker.io"
GHCR = "ghcr.io"


def scenarios(names: Names) -> list[Scenario]:
    config = names.config
    event = workflow_run(config.e2e_trigger.name)  # E2E's own completion: the gate passes it through
    several = len(config.logins) > 1
    out = []
    for host, login in config.logins:
        images = [image.name for image in config.images if image.registry == host]
        what = f"{host} ({', '.join(images)})"
        name = f"registry-{slug(host)}"
        moved = _moved_before(names, host)
        if login.login != "github-token":
            out.append(scenario(names, AREA, f"{name}-bad-credentials", "abort",
                                f"{login.password_secret} holds a wrong password for {what}: " + _bad_login(login),
                                event, secrets={login.password_secret: WRONG_PASSWORD}))
        if login.login != "github-token":
            play = {} if host == DOCKER_HUB else {"auth": "token"}
            how = "Docker Hub's token service" if host == DOCKER_HUB else "the registry's token auth"
            out.append(scenario(names, AREA, f"{name}-push-refused", "abort",
                                f"{how} grants the account pull but not push on {what}: Verify reads, the first "
                                f"retag there gets 401 insufficient_scope; {moved}.", event,
                                secrets=_pull_only_secrets(login),
                                registry_hosts={host: {**play, "accounts": [
                                    {"username": _user(login), "password": PULL_ONLY_PASSWORD, "push": False}]}}))
        out.append(scenario(names, AREA, f"{name}-put-401", "abort",
                            f"{what} answers 401 to every PUT: the first retag there fails; {moved}.", event,
                            faults=[{"name": f"{name}-put-401", "service": "registry", "host": host, "method": "PUT",
                                     "status": 401}]))
        rest = [h for h, _ in config.logins if h != host]
        others = f" while {', '.join(rest)} {'works' if len(rest) == 1 else 'work'}" if several else ""
        stops = "the login step fails at its first request" if login.login == "docker/login-action" else \
            "Verify cannot read the candidates there"
        out.append(scenario(names, AREA, f"{name}-down", "abort",
                            f"{what} answers 503 to everything{others}: {stops}, so no tag moves.", event,
                            faults=[{"name": f"{name}-down", "service": "registry", "host": host, "status": 503}]))
        if several:
            out.append(scenario(names, AREA, f"{name}-down-at-retag", "abort",
                                f"{what} goes down after Verify: its PUTs answer 503 past crane's retries; "
                                f"{moved}.", event,
                                faults=[{"name": f"{name}-down-at-retag", "service": "registry", "host": host,
                                         "method": "PUT", "status": 503}]))
        if host not in (GHCR, DOCKER_HUB):
            out.append(scenario(names, AREA, f"{name}-token-auth", "promote",
                                f"{what} uses distribution's token auth (a Bearer token from https://{host}/auth/token) "
                                "instead of htpasswd Basic: the login and every retag go through.", event,
                                registry_hosts={host: {"auth": "token"}}))
    return out


def _bad_login(login: RegistryLogin) -> str:
    if login.login == "docker/login-action":
        return "docker/login-action checks it with the registry and fails its step; nothing else runs."
    return "crane auth login stores it unchecked, Verify's first read gets 401, and no tag moves."


def _user(login: RegistryLogin) -> str:
    return login.username if login.username is not None else PULL_ONLY_USER


def _pull_only_secrets(login: RegistryLogin) -> dict:
    """The login's secrets holding a pull-only account's credentials."""
    secrets = {login.password_secret: PULL_ONLY_PASSWORD}
    if login.username_secret:
        secrets[login.username_secret] = PULL_ONLY_USER
    return secrets


def _moved_before(names: Names, host: str) -> str:
    """What happens to the images retagged before the first one on `host`."""
    config = names.config
    first = next(i for i, image in enumerate(config.images) if image.registry == host)
    if first == 0:
        return "nothing has moved yet, so no tag moves"
    before = [image.name for image in config.images[:first]]
    them, stay = ("it", "stays") if len(before) == 1 else ("them", "stay")
    if config.retag.protect_split:
        return f"{', '.join(before)} moved first and the split check (protect_split) rolls {them} back"
    return f"{', '.join(before)} moved first and {stay} moved (protect_split is off: the fleet is split)"
