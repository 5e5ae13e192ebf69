"""Each registry host's auth, played by its front: the registry behind runs without auth.

- ghcr.io: `/v2/…` without a bearer token answers 401 with a Bearer challenge pointing at `/token`;
  `/token` takes Basic credentials whose password is the job's token (ghcr.io ignores the user
  name, which is why setup-crane logs in as "dummy") and hands out a bearer token; pushing needs the
  token's `packages: write`.
- docker-hub: index.docker.io answers 401 with `Bearer realm="https://auth.docker.io/token",
  service="registry.docker.io"`; auth.docker.io's `/token` takes the account's user name and
  password (401 `incorrect username or password` otherwise) and grants the requested scope's
  actions the account holds (pull, and push unless the account is pull-only).
- token: distribution's token auth, its token service on the registry host itself (`/auth/token`).
- basic: distribution's htpasswd auth, `Basic realm="Registry Realm"`; any account may push.

A refused push answers as distribution does: 401 with the challenge and `error="insufficient_scope"`.
Tokens are signed and say what they grant, so they need no server-side store.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import parse_qs

REPOSITORY = re.compile(r"^/v2/(.+?)/(manifests|blobs|tags)/")
WRITE_METHODS = {"PUT", "POST", "PATCH", "DELETE"}
HUB_REALM = "https://auth.docker.io/token"
HUB_SERVICE = "registry.docker.io"
TOKEN_PATH = "/auth/token"
BASIC_REALM = "Registry Realm"
SIGNING_KEY = b"promote-gen-pod-token-service"
JSON = {"Content-Type": "application/json"}


def _error(code: str, message: str, detail=None) -> bytes:
    return json.dumps({"errors": [{"code": code, "message": message, "detail": detail}]}).encode()


def bearer_for(token: str) -> str:
    return "pgb_" + hashlib.sha256(f"promote-gen:{token}".encode()).hexdigest()[:32]


def challenge(method: str, path: str, host: str) -> dict[str, str]:
    return _bearer_challenge(method, path, f"https://{host}/token", host)


def _scope(method: str, path: str) -> tuple[str, str] | None:
    match = REPOSITORY.match(path)
    if not match:
        return None
    return match.group(1), ("pull,push" if method in WRITE_METHODS else "pull")


def _bearer_challenge(method: str, path: str, realm: str, service: str, error: str | None = None) -> dict[str, str]:
    scope = _scope(method, path)
    text = f'Bearer realm="{realm}",service="{service}"'
    if scope:
        text += f',scope="repository:{scope[0]}:{scope[1]}"'
    if error:
        text += f',error="{error}"'
    return {"WWW-Authenticate": text, **JSON}


def check(method: str, path: str, authorization: str, world_token: str, host: str, packages: str = "write"):
    """ghcr.io: None when the request may pass; otherwise (status, body, headers) to answer with.

    `packages` is the job token's packages permission: pushing needs `write`, as on ghcr.io.
    """
    if path == "/token":
        return _ghcr_token(authorization, world_token)
    if not (authorization == f"Bearer {bearer_for(world_token)}" and world_token):
        return 401, _error("UNAUTHORIZED", "authentication required"), challenge(method, path, host)
    if method in WRITE_METHODS and packages != "write":
        return 403, _error("DENIED", "permission_denied: write_package"), JSON
    return None


def check_host(kind: str, method: str, path: str, query: str, authorization: str, host: str, play: dict):
    """Any other host: None when the request may pass, else the answer (status, body, headers)."""
    accounts = play.get("accounts") or []
    if kind == "basic":
        user = _basic(authorization)
        if user is None or not _account(accounts, *user):
            return 401, _error("UNAUTHORIZED", "authentication required"), {
                "WWW-Authenticate": f'Basic realm="{BASIC_REALM}"', **JSON}
        return None
    realm, service = (HUB_REALM, HUB_SERVICE) if kind == "docker-hub" else (f"https://{host}{TOKEN_PATH}", host)
    if kind == "token" and path == TOKEN_PATH:
        return issue_token(query, authorization, service, accounts)
    grant = _verify(authorization, service, accounts)
    if grant is None:
        return 401, _error("UNAUTHORIZED", "authentication required"), _bearer_challenge(method, path, realm, service)
    scope = _scope(method, path)
    if scope is None:
        return None  # the /v2/ ping: any valid token
    repository, wanted = scope
    held = grant.get(repository, [])
    missing = [a for a in wanted.split(",") if a not in held]
    if missing:
        detail = [{"Type": "repository", "Class": "", "Name": repository, "Action": a} for a in missing]
        return 401, _error("UNAUTHORIZED", "authentication required", detail), _bearer_challenge(
            method, path, realm, service, "insufficient_scope")
    return None


def issue_token(query: str, authorization: str, service: str, accounts: list[dict]):
    """The token service: a token for the requested scopes, with the actions the account holds."""
    params = parse_qs(query)
    if params.get("service", [service])[0] != service:
        return 400, json.dumps({"details": "invalid service"}).encode(), JSON
    user = _basic(authorization)
    account = _account(accounts, *user) if user else None
    if user is not None and account is None:
        return 401, json.dumps({"details": "incorrect username or password"}).encode(), JSON
    grant: dict[str, list[str]] = {}
    for scope in params.get("scope", []):
        for item in scope.split(" "):
            parts = item.split(":")
            if len(parts) != 3 or parts[0] != "repository":
                continue
            allowed = {"pull", "push"} if account and account["push"] else ({"pull"} if account else set())
            grant[parts[1]] = sorted(a for a in parts[2].split(",") if a in allowed)
    token = _sign({"service": service, "user": user[0] if user else "", "access": grant})
    body = {"token": token, "access_token": token, "expires_in": 300, "issued_at": "2026-05-05T02:00:00Z"}
    return 200, json.dumps(body).encode(), JSON


def _sign(claims: dict) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims, sort_keys=True).encode()).decode().rstrip("=")
    mac = hmac.new(SIGNING_KEY, payload.encode(), hashlib.sha256).hexdigest()[:32]
    return f"pgt.{payload}.{mac}"


def _verify(authorization: str, service: str, accounts: list[dict]) -> dict | None:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or token.count(".") != 2:
        return None
    _, payload, mac = token.split(".")
    if not hmac.compare_digest(mac, hmac.new(SIGNING_KEY, payload.encode(), hashlib.sha256).hexdigest()[:32]):
        return None
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if claims.get("service") != service:
        return None
    if claims.get("user") and not any(a["username"] == claims["user"] for a in accounts):
        return None
    return claims.get("access") or {}


def _account(accounts: list[dict], username: str, password: str) -> dict | None:
    return next((a for a in accounts if a["username"] == username and a["password"] == password), None)


def _ghcr_token(authorization: str, world_token: str):
    user = _basic(authorization)
    if user is None or not world_token or user[1] != world_token:
        return 401, _error("DENIED", "requested access to the resource is denied"), JSON
    body = json.dumps({"token": bearer_for(world_token), "expires_in": 300}).encode()
    return 200, body, JSON


def _basic(authorization: str) -> tuple[str, str] | None:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, sep, password = base64.b64decode(value).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (username, password) if sep else None
