"""Messages between the harness and the worker: one JSON object per line over a stream socket.

The harness says how many more steps to run (`{"run": n}`, n = -1 for all) or that the job ends
(`{"finish": true}`); the worker answers each step with `{"step": …}`, then `{"job": …}` once at
the end, or `{"error": …}` when it cannot go on.
"""
from __future__ import annotations

import json
import socket


class LinkClosed(Exception):
    """The other end went away before a whole message arrived."""


class Link:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.reader = sock.makefile("rb")

    def send(self, message: dict) -> None:
        self.sock.sendall(json.dumps(message, separators=(",", ":")).encode() + b"\n")

    def receive(self) -> dict:
        line = self.reader.readline()
        if not line.endswith(b"\n"):
            raise LinkClosed("the link closed")
        return json.loads(line)

    def close(self) -> None:
        for closing in (self.reader.close, self.sock.close):
            try:
                closing()
            except OSError:
                pass
