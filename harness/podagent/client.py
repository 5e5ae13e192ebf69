"""A small client for the admin API, for the host-side harness and the tests."""
from __future__ import annotations

import base64
import http.client
import json
import socket


class AdminCallError(Exception):
    def __init__(self, status: int, body):
        super().__init__(f"admin API answered {status}: {body}")
        self.status, self.body = status, body


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def _b64(data: bytes | str) -> str:
    return data if isinstance(data, str) else base64.b64encode(data).decode()


class AdminClient:
    def __init__(self, socket_path: str, timeout: float = 120):
        self.socket_path, self.timeout = socket_path, timeout

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        conn = _UnixConnection(self.socket_path, self.timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b"{}")
        finally:
            conn.close()

    def checked(self, method: str, path: str, body: dict | None = None) -> dict:
        status, answer = self.call(method, path, body)
        if status >= 400:
            raise AdminCallError(status, answer)
        return answer

    def health(self) -> dict:
        return self.checked("GET", "/health")

    def put_world(self, world: dict, reset_log: bool = False) -> dict:
        return self.checked("PUT", "/world", {**world, "reset_log": reset_log})

    def faults_used(self) -> list[int]:
        """How many times each fault of the world has hit so far, in the world's order."""
        return self.checked("GET", "/faults")["used"]

    def log(self) -> list[dict]:
        return self.checked("GET", "/log")["requests"]

    def reset_log(self) -> dict:
        return self.checked("POST", "/log/reset")

    def push(self, repository: str, blobs: dict, manifests: list[dict]) -> dict[str, str]:
        """Blob and manifest bodies may be bytes (encoded here) or base64 text."""
        body = {"repository": repository, "blobs": {d: _b64(b) for d, b in blobs.items()},
                "manifests": [{**m, "body": _b64(m["body"])} for m in manifests]}
        return self.checked("POST", "/registry/push", body)["digests"]

    def tags(self, repositories: list[str]) -> dict[str, dict[str, str]]:
        return self.checked("POST", "/registry/tags", {"repositories": repositories})
