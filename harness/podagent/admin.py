"""Admin API over a unix socket: set the world, read the request log, seed and read the registry.

GET /health · PUT /world · GET /faults (times used) · GET /log · POST /log/reset · POST /registry/push · POST /registry/tags.
Errors answer {"error": ...}: 400 bad input, 404/405 routing, 502 registry failures (with the
failing step, request, status and response), 500 anything unexpected.
"""
from __future__ import annotations

import base64
import binascii
import json

from .httpbase import Handler
from .registry_client import RegistryClient, RegistryError
from .world import parse_world


class AdminError(Exception):
    def __init__(self, status: int, message: str, extra: dict | None = None):
        super().__init__(message)
        self.status, self.body = status, {"error": message, **(extra or {})}


def _b64(value, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise AdminError(400, f"{what} is not valid base64") from None


def health(handler, body) -> dict:
    """`upstream`: the registry accepts connections. It starts beside the agent, in the same
    container, so the pod waits for both before its first push."""
    client = _client(handler, timeout=1)
    try:
        client.conn.connect()
        upstream = True
    except OSError:
        upstream = False
    finally:
        client.close()
    return {"ok": True, "upstream": upstream}


def put_world(handler, body) -> dict:
    world = parse_world(body)
    handler.server.state.set_world(world, reset_log=bool(body.get("reset_log")))
    return {"ok": True}


def get_faults(handler, body) -> dict:
    return {"used": handler.server.state.world.faults.used()}


def get_log(handler, body) -> dict:
    return {"requests": handler.server.state.log.entries()}


def reset_log(handler, body) -> dict:
    handler.server.state.log.reset()
    return {"ok": True}


def _client(handler, timeout: float = 60) -> RegistryClient:
    s = handler.server.settings
    return RegistryClient(s.upstream, s.username, s.password, timeout)


def push(handler, body) -> dict:
    if not isinstance(body.get("blobs") or {}, dict) or not isinstance(body.get("manifests") or [], list):
        raise AdminError(400, "blobs must map digests to base64 and manifests must be a list")
    blobs = {d: _b64(data, f"blob {d}") for d, data in (body.get("blobs") or {}).items()}
    manifests = []
    for i, m in enumerate(body.get("manifests") or []):
        if not isinstance(m, dict) or not {"reference", "media_type", "body"} <= m.keys():
            raise AdminError(400, f"manifests[{i}] needs reference, media_type and body")
        manifests.append({**m, "body": _b64(m["body"], f"manifests[{i}].body")})
    client = _client(handler)
    try:
        return {"digests": client.push(body.get("repository"), blobs, manifests)}
    finally:
        client.close()


def tags(handler, body) -> dict:
    repositories = body.get("repositories")
    if not isinstance(repositories, list):
        raise AdminError(400, "repositories must be a list")
    client = _client(handler)
    try:
        return {repo: client.tags(repo) for repo in repositories}
    finally:
        client.close()


ROUTES = {
    "/health": ("GET", health), "/world": ("PUT", put_world), "/faults": ("GET", get_faults),
    "/log": ("GET", get_log),
    "/log/reset": ("POST", reset_log), "/registry/push": ("POST", push), "/registry/tags": ("POST", tags),
}


class AdminHandler(Handler):
    def serve(self):
        try:
            self.send_json(200, self.dispatch())
        except AdminError as e:
            self.send_json(e.status, e.body)
        except RegistryError as e:
            self.send_json(502, e.details)
        except ValueError as e:
            self.send_json(400, {"error": str(e)})

    def dispatch(self) -> dict:
        route = ROUTES.get(self.path.partition("?")[0])
        raw = self.read_body()
        if route is None:
            raise AdminError(404, f"no admin route {self.path}")
        method, func = route
        if self.command != method:
            raise AdminError(405, f"{self.path} takes {method}")
        return func(self, self.parse(raw))

    @staticmethod
    def parse(raw: bytes) -> dict:
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except ValueError as e:
            raise AdminError(400, f"body is not JSON: {e}") from None
        if not isinstance(body, dict):
            raise AdminError(400, "body must be a JSON object")
        return body

    def address_string(self):
        return "admin"
