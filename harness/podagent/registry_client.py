"""Seeding and reading the upstream registry directly over plain HTTP with basic auth."""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
from urllib.parse import quote, urlsplit

MANIFEST_TYPES = ", ".join([
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
])
# distribution's reference grammar for repository names and tags.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
REPOSITORY = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
TAG = re.compile(r"^[\w][\w.-]{0,127}$")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


class RegistryError(Exception):
    """A request to the upstream registry failed; carries what the admin API reports."""

    def __init__(self, step: str, method: str, path: str, status: int | None, body: str):
        super().__init__(f"{step}: {method} {path} -> {status}: {body}")
        self.details = {"error": str(self), "step": step, "request": f"{method} {path}",
                        "status": status, "response": body}


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def check_repository(name: str) -> str:
    if not isinstance(name, str) or not REPOSITORY.match(name):
        raise ValueError(f"invalid repository name {name!r}")
    return name


def check_reference(ref: str) -> str:
    if not isinstance(ref, str) or not (TAG.match(ref) or DIGEST.match(ref)):
        raise ValueError(f"invalid manifest reference {ref!r}")
    return ref


class RegistryClient:
    def __init__(self, upstream: str, username: str, password: str, timeout: float = 60):
        host, _, port = upstream.rpartition(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.auth = {"Authorization": f"Basic {token}"} if username else {}

    def close(self) -> None:
        self.conn.close()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """One round trip; returns (status, headers, body). The connection is reused."""
        try:
            self.conn.request(method, path, body=body, headers={**self.auth, **(headers or {})})
            resp = self.conn.getresponse()
            return resp.status, resp.headers, resp.read()
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            raise RegistryError("connect", method, path, None, str(e)) from None

    def expect(self, step: str, method: str, path: str, ok: tuple, body: bytes | None = None,
               headers: dict | None = None):
        status, resp_headers, data = self.request(method, path, body, headers)
        if status not in ok:
            raise RegistryError(step, method, path, status, data.decode("utf-8", "replace"))
        return resp_headers

    def push(self, repository: str, blobs: dict[str, bytes], manifests: list[dict]) -> dict[str, str]:
        check_repository(repository)
        for digest, data in blobs.items():
            self.ensure_blob(repository, digest, data)
        return {m["reference"]: self.put_manifest(repository, m["reference"], m["media_type"], m["body"])
                for m in manifests}

    def ensure_blob(self, repository: str, digest: str, data: bytes) -> None:
        if digest_of(data) != digest:
            raise ValueError(f"blob {digest} does not match its content ({digest_of(data)})")
        status, _, _ = self.request("HEAD", f"/v2/{repository}/blobs/{digest}")
        if status == 200:
            return
        started = self.expect("start upload", "POST", f"/v2/{repository}/blobs/uploads/", (202,), b"")
        location = urlsplit(started.get("Location", ""))
        target = location.path + "?" + (location.query + "&" if location.query else "") + "digest=" + quote(digest)
        self.expect("upload blob", "PUT", target, (201,), data, {"Content-Type": "application/octet-stream"})

    def put_manifest(self, repository: str, reference: str, media_type: str, body: bytes) -> str:
        check_reference(reference)
        path = f"/v2/{repository}/manifests/{reference}"
        headers = self.expect("put manifest", "PUT", path, (201,), body, {"Content-Type": media_type})
        return headers.get("Docker-Content-Digest") or digest_of(body)

    def tags(self, repository: str) -> dict[str, str]:
        check_repository(repository)
        status, _, data = self.request("GET", f"/v2/{repository}/tags/list")
        if status == 404:
            return {}
        if status != 200:
            raise RegistryError("list tags", "GET", f"/v2/{repository}/tags/list", status, data.decode("utf-8", "replace"))
        names = json.loads(data).get("tags") or []
        return {tag: self.tag_digest(repository, tag) for tag in sorted(names)}

    def tag_digest(self, repository: str, tag: str) -> str:
        path = f"/v2/{repository}/manifests/{tag}"
        headers = self.expect("resolve tag", "HEAD", path, (200,), headers={"Accept": MANIFEST_TYPES})
        return headers.get("Docker-Content-Digest", "")
