"""HTTP plumbing shared by the three servers: threading TLS/unix servers and a handler base."""
from __future__ import annotations

import json
import os
import socket
import socketserver
import ssl
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANDSHAKE_TIMEOUT = 15
IDLE_TIMEOUT = 120
SMALL_BODY = 8 * 1024 * 1024
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["http/1.1"])  # Go clients offer h2 first; we only speak 1.1
    return context


class TLSServer(ThreadingHTTPServer):
    """Handshakes in the connection's own thread, so a slow client cannot stall accept()."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address, handler, context: ssl.SSLContext, state, settings=None):
        self.tls, self.state, self.settings = context, state, settings
        super().__init__(address, handler)

    def server_bind(self):
        # HTTPServer.server_bind does a reverse DNS lookup; the pod has no resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        request.settimeout(HANDSHAKE_TIMEOUT)
        # Headers and body go out in separate writes; without NODELAY, Nagle plus the client's
        # delayed ACK stalls each response by ~40 ms (Go servers set NODELAY by default).
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            conn = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            self.RequestHandlerClass(conn, client_address, self)
        finally:
            conn.close()

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            traceback.print_exc()


class UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, path: str, handler, state, settings=None):
        self.state, self.settings = state, settings
        if os.path.exists(path):
            os.unlink(path)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        super().__init__(path, handler)
        os.chmod(path, 0o666)  # the host-side harness may run as another user


class Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler; subclasses implement `serve()` for every method."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _serve_safely(self):
        try:
            self.serve()
        except (ConnectionError, TimeoutError, ssl.SSLError):
            self.close_connection = True
        except Exception:  # one bad request must not take the agent down
            traceback.print_exc()
            self.close_connection = True
            self.send_json(500, {"error": "internal error in the pod agent"})

    def serve(self):
        raise NotImplementedError

    def send_bytes(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response_only(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, status: int, obj, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(obj).encode()
        self.send_bytes(status, body, {"Content-Type": "application/json", **(headers or {})})

    def drop(self) -> None:
        """Close without a response, as a load balancer that gave up would."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def body_chunks(self):
        """The request body as an iterator of byte strings (Content-Length or chunked)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return _dechunk(self.rfile)
        length = int(self.headers.get("Content-Length") or 0)
        return _fixed(self.rfile, length)

    def read_body(self) -> bytes:
        return b"".join(self.body_chunks())


for _method in METHODS:
    setattr(Handler, "do_" + _method, Handler._serve_safely)


def _fixed(rfile, length: int, block: int = 65536):
    while length > 0:
        data = rfile.read(min(block, length))
        if not data:
            raise ConnectionError("client closed the connection mid-body")
        length -= len(data)
        yield data


def _dechunk(rfile):
    while True:
        size_line = rfile.readline(1024)
        if not size_line:
            raise ConnectionError("client closed the connection mid-body")
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return
        yield from _fixed(rfile, size)
        rfile.readline(1024)
