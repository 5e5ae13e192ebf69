"""The registry rules: references as crane reads them, a login for every host, permissions that follow."""
from __future__ import annotations

from . import references
from .config import JOB_TOKEN_PUSH, Config, RegistryLogin
from .loader import KEY, suggest




def check(config: Config) -> list[tuple[tuple, str, object]]:
    out = _references(config) + _hosts(config)
    for key, login in config.registries.items():
        out += _login(key, login)
    if config.uses_secrets and config.environment is None:
        host = next(h for h, login in config.logins if login.login != "github-token")
        key = next(k for k in config.registries if references.normalise_host(k) == host)
        out.append((("registries", key, "login"), "a top-level `environment:` (a GitHub Environment holding "
                    "this login's secrets, so its protection rules gate them; zizmor: secrets-outside-env)",
                    config.registries[key].login))
    return out + _permissions(config)


def _references(config: Config) -> list:
    out = []
    for i, image in enumerate(config.images):
        why = references.problem(image.ref)
        if why:
            out.append((("images", i, "ref"), why, image.ref))
        elif config.login_for(image.registry) is None:
            out.append((("images", i, "ref"),
                        f"a registry host with a login: add `registries: {{{image.registry}: {{login: secret, "
                        f"username: …, password_secret: …}}}}` (or `login: docker/login-action`)", image.ref))
    return out


def _hosts(config: Config) -> list:
    out, seen = [], {}
    used = {image.registry for image in config.images}
    for key in config.registries:
        host = references.normalise_host(key)
        why = references.host_problem(host)
        if why:
            out.append((("registries", key, KEY), why, key))
        elif host in seen:
            out.append((("registries", key, KEY), f"a host listed once (`{seen[host]}` is the same host to crane)",
                        key))
        elif host not in used:
            out.append((("registries", key, KEY),
                        f"a host some image's ref names ({', '.join(sorted(used))}){suggest(host, used)}", key))
        seen.setdefault(host, key)
    return out


def _login(key: str, login: RegistryLogin) -> list:
    base = ("registries", key)
    host = references.normalise_host(key)
    out = []
    given = {name for name in login.model_fields_set if getattr(login, name) is not None}
    if login.login == "github-token":
        if host != references.GHCR:
            out.append((base + ("login",), "`secret` or `docker/login-action`: the job's token logs in to ghcr.io "
                                          "only", login.login))
        for name in ("username", "username_secret", "password_secret", "action"):
            if name in given:
                out.append((base + (name, KEY), f"no `{name}` with `login: github-token` (the job token is used)",
                            name))
        return out
    if login.password_secret is None:
        out.append((base + ("login",), f"a `password_secret` beside `login: {login.login}`", login.login))
    if (login.username is None) == (login.username_secret is None):
        which = "both" if login.username is not None else "neither"
        out.append((base + ("login",), f"exactly one of `username` and `username_secret` beside "
                                       f"`login: {login.login}` (got {which})", login.login))
    for name in ("username_secret", "password_secret"):
        secret = getattr(login, name)
        if secret is not None and secret.upper().startswith("GITHUB_"):
            out.append((base + (name,), "a secret name not starting with GITHUB_ (GitHub reserves those)", secret))
    if login.login == "secret" and "action" in given:
        out.append((base + ("action", KEY), "no `action` with `login: secret` (crane logs in itself)", "action"))
    return out


def _permissions(config: Config) -> list:
    level = config.permissions.get(JOB_TOKEN_PUSH)
    if config.uses_job_token and level != "write":
        hosts = ", ".join(h for h, login in config.logins if login.login == "github-token")
        loc = ("permissions", JOB_TOKEN_PUSH) if level else ("permissions",)
        return [(loc, f"`{JOB_TOKEN_PUSH}: write`: {hosts} logs in with the job token, which pushes the target tag",
                 level or "no packages scope")]
    if not config.uses_job_token and level == "write":
        return [(("permissions", JOB_TOKEN_PUSH), f"no `{JOB_TOKEN_PUSH}: write`: no registry logs in with the job "
                 "token (least privilege)", level)]
    return []
