"""ghcr.io's auth, played by the front: the registry behind it runs without auth.

`/v2/…` without a bearer token answers 401 with a Bearer challenge pointing at `/token`; `/token`
accepts Basic credentials whose password is the job's token (ghcr.io ignores the user name, which
is why setup-crane logs in as "dummy") and hands out a bearer token.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re

REPOSITORY = re.compile(r"^/v2/(.+?)/(manifests|blobs|tags)/")
WRITE_METHODS = {"PUT", "POST", "PATCH", "DELETE"}


def _error(code: str, message: str) -> bytes:
    return json.dumps({"errors": [{"code": code, "message": message, "detail": None}]}).encode()


def bearer_for(token: str) -> str:
    return "pgb_" + hashlib.sha256(f"promote-gen:{token}".encode()).hexdigest()[:32]


def challenge(method: str, path: str, host: str) -> dict[str, str]:
    match = REPOSITORY.match(path)
    scope = ""
    if match:
        actions = "pull,push" if method in WRITE_METHODS else "pull"
        scope = f',scope="repository:{match.group(1)}:{actions}"'
    return {"WWW-Authenticate": f'Bearer realm="https://{host}/token",service="{host}"{scope}',
            "Content-Type": "application/json"}


def check(method: str, path: str, authorization: str, world_token: str, host: str, packages: str = "write"):
    """None when the request may pass; otherwise (status, body, headers) to answer with.

    `packages` is the job token's packages permission: pushing needs `write`, as on ghcr.io.
    """
    if path == "/token":
        return _token(authorization, world_token)
    if not (authorization == f"Bearer {bearer_for(world_token)}" and world_token):
        return 401, _error("UNAUTHORIZED", "authentication required"), challenge(method, path, host)
    if method in WRITE_METHODS and packages != "write":
        return 403, _error("DENIED", "permission_denied: write_package"), {"Content-Type": "application/json"}
    return None


def _token(authorization: str, world_token: str):
    password = _basic_password(authorization)
    if password is None or not world_token or password != world_token:
        return 401, _error("DENIED", "requested access to the resource is denied"), {"Content-Type": "application/json"}
    body = json.dumps({"token": bearer_for(world_token), "expires_in": 300}).encode()
    return 200, body, {"Content-Type": "application/json"}


def _basic_password(authorization: str) -> str | None:
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        _, sep, password = base64.b64decode(value).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return password if sep else None
