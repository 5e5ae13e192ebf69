"""TLS front for the registry: forwards each request to the plain-HTTP upstream, or plays a fault."""
from __future__ import annotations

import http.client
import json
import re
import time

from . import registry_auth, requestlog
from .faults import Fault, reply_for
from .httpbase import SMALL_BODY, Handler

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
              "te", "trailer", "trailers", "transfer-encoding", "upgrade", "expect", "host", "content-length",
              "authorization"}  # the front checked it; the registry behind runs without auth
REWRITTEN = {"location", "www-authenticate", "link"}
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)
UPSTREAM_TIMEOUT = 300
API_VERSION = {"Docker-Distribution-API-Version": "registry/2.0"}
REPOSITORY_PATH = re.compile(r"^/v2/.+/(manifests|blobs|tags)/")


class TokenServiceHandler(Handler):
    """auth.docker.io: Docker Hub's token service, answering for index.docker.io's accounts."""

    def serve(self):
        path, _, query = self.path.partition("?")
        world = self.server.state.world
        fault = world.faults.take("registry", "registry", self.command, path, "auth.docker.io")
        self.entry = self.server.state.log.add(requestlog.entry(
            "registry", self.command, path, query, None, "auth.docker.io", fault.name if fault else None))
        self.read_body()
        if fault:
            reply = reply_for(fault)
            self.server.state.log.finish(self.entry, reply.status if reply else None)
            return self.drop() if reply is None else self.send_bytes(reply.status, reply.body, reply.headers)
        if path != "/token":
            self.server.state.log.finish(self.entry, 404)
            return self.send_bytes(404, b'{"details":"not found"}', {"Content-Type": "application/json"})
        play = world.registries.get("index.docker.io") or {"accounts": []}
        status, body, headers = registry_auth.issue_token(query, self.headers.get("Authorization", ""),
                                                          registry_auth.HUB_SERVICE, play["accounts"])
        self.server.state.log.finish(self.entry, status)
        self.send_bytes(status, body, headers)


class RegistryFrontHandler(Handler):
    """One instance per client connection, so it keeps one upstream connection alive alongside."""

    def setup(self):
        super().setup()
        self.upstream: http.client.HTTPConnection | None = None

    def finish(self):
        try:
            super().finish()
        finally:
            if self.upstream is not None:
                self.upstream.close()

    def serve(self):
        path, _, query = self.path.partition("?")
        front = self.server.settings
        ghcr = front.public_host == "ghcr.io"
        world = self.server.state.world
        fault = world.faults.take("registry", "registry", self.command, path, front.public_host)
        self.entry = self.server.state.log.add(requestlog.entry(
            "registry", self.command, path, query, None, "registry" if ghcr else front.public_host,
            fault.name if fault else None))
        if fault:
            return self.play_fault(fault)
        authorization = self.headers.get("Authorization", "")
        play = world.registries.get(front.public_host)
        if ghcr or (play is not None and play["auth"] == "ghcr"):
            packages = "write" if world.token_permissions is None else world.token_permissions.get("packages", "none")
            denied = registry_auth.check(self.command, path, authorization, world.token, front.public_host, packages)
        else:
            play = play or {"auth": "basic", "accounts": []}
            denied = registry_auth.check_host(play["auth"], self.command, path, query, authorization,
                                              front.public_host, play)
        if denied:
            status, body, headers = denied
            self.read_body()
            self.server.state.log.finish(self.entry, status)
            return self.send_bytes(status, body, {**API_VERSION, **headers})
        self.forward()

    def upstream_path(self) -> str:
        """The path in the one registry: another host's repositories live under its folder."""
        prefix = self.server.settings.prefix
        if prefix and self.path.startswith("/v2/") and REPOSITORY_PATH.match(self.path):
            return "/v2/" + prefix + self.path[len("/v2/"):]
        return self.path

    def play_fault(self, fault: Fault) -> None:
        self.read_body()
        if fault.delay:
            time.sleep(fault.delay)
        reply = reply_for(fault)
        self.server.state.log.finish(self.entry, reply.status if reply else None)
        if reply is None:
            return self.drop()
        self.send_bytes(reply.status, reply.body, {**API_VERSION, **reply.headers})

    def forward(self) -> None:
        body, headers = self.outgoing()
        try:
            resp = self.send_upstream(body, headers)
        except (OSError, http.client.HTTPException) as e:
            self.close_connection = True  # the client's body may be half read
            self.server.state.log.finish(self.entry, 502)
            error = {"errors": [{"code": "UNAVAILABLE", "message": f"registry upstream: {e}", "detail": None}]}
            return self.send_bytes(502, json.dumps(error).encode(), {"Content-Type": "application/json"})
        self.server.state.log.finish(self.entry, resp.status)
        self.relay(resp)

    def outgoing(self):
        """The body to send upstream (bytes when small, else a stream) and the forwarded headers."""
        headers: dict[str, str] = {}
        for key, value in self.headers.items():
            if key.lower() not in HOP_BY_HOP:  # repeated headers (several Accept lines) are joined
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
        headers["Host"] = self.server.settings.public_host
        headers["X-Forwarded-Proto"] = "https"
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        length = int(self.headers.get("Content-Length") or 0)
        if chunked:
            return self.body_chunks(), headers  # http.client re-chunks an iterator
        if length > SMALL_BODY:
            headers["Content-Length"] = str(length)
            return self.body_chunks(), headers
        return (self.read_body() if length else None), headers

    def connection_upstream(self) -> http.client.HTTPConnection:
        if self.upstream is None:
            host, _, port = self.server.settings.upstream.rpartition(":")
            self.upstream = http.client.HTTPConnection(host, int(port), timeout=UPSTREAM_TIMEOUT)
        return self.upstream

    def send_upstream(self, body, headers: dict) -> http.client.HTTPResponse:
        replayable = body is None or isinstance(body, bytes)
        for attempt in (1, 2):
            conn = self.connection_upstream()
            reused = conn.sock is not None
            try:
                conn.request(self.command, self.upstream_path(), body=body, headers=headers)
                return conn.getresponse()
            except STALE:
                conn.close()
                # The upstream may have closed an idle kept-alive connection; retry once on a fresh one.
                if attempt == 2 or not reused or not replayable:
                    raise
        raise AssertionError("unreachable")

    def rewrite(self, value: str) -> str:
        up, public = self.server.settings.upstream, self.server.settings.public_host
        value = value.replace(f"http://{up}", f"https://{public}").replace(f"http://{public}", f"https://{public}")
        value = value.replace(up, public)
        prefix = self.server.settings.prefix
        return value.replace("/v2/" + prefix, "/v2/") if prefix else value

    def relay(self, resp: http.client.HTTPResponse) -> None:
        bodiless = self.command == "HEAD" or resp.status in (204, 304) or resp.status < 200
        body = None if bodiless else self.public_json(resp)
        self.send_response_only(resp.status, resp.reason)
        for key, value in resp.getheaders():
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, self.rewrite(value) if key.lower() in REWRITTEN else value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            return
        length = resp.getheader("Content-Length")
        if length is not None:
            self.send_header("Content-Length", length)
        elif not bodiless:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if bodiless:
            resp.read()
        else:
            self.copy_body(resp, chunked=length is None)
        self.wfile.flush()

    def public_json(self, resp: http.client.HTTPResponse) -> bytes | None:
        """Another host's JSON answer (a tag list's `name`, an error's detail) with the repository
        named as the client named it, not by its storage folder; None for everything else, which is
        relayed byte for byte (manifests and blobs are never JSON-typed)."""
        prefix = self.server.settings.prefix
        kind = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if not prefix or kind != "application/json":
            return None
        return resp.read().replace(b'"' + prefix.encode(), b'"').replace(b"/v2/" + prefix.encode(), b"/v2/")

    def copy_body(self, resp: http.client.HTTPResponse, chunked: bool) -> None:
        try:
            while True:
                block = resp.read(65536)
                if not block:
                    break
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
        except (OSError, http.client.HTTPException):
            self.close_connection = True  # truncated upstream body: the client must not reuse this stream
            if self.upstream is not None:
                self.upstream.close()
            return
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
