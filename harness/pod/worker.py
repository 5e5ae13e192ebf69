"""Start the job worker in a runner container and hold its link.

The harness listens on a socket in the runner's exec folder (a bind mount), starts the worker with
a detached `docker exec` (no attach stream, so nothing of docker-py's stream handling is involved),
and the worker connects back. Everything after that goes over the socket.

The pod starts each slot's next worker ahead (at its own start, and when a job ends), so a job
finds its worker already running: still one fresh process per job, its start off the job's path.
"""
from __future__ import annotations

import socket
import time
from pathlib import Path

from harness.worker.link import Link, LinkClosed

from .layout import EngineError

LIB = "/opt/promote-gen/lib"  # in the runner image: harness/worker and what it imports


class WorkerError(EngineError):
    """The worker died or reported an error; the message holds what it said."""


class Worker:
    def __init__(self, api, container_id: str, exec_dir: Path, exec_dir_inside: str, name: str,
                 connect_timeout: float = 60):
        self.api, self.container_id = api, container_id
        path = exec_dir / f"{name}.sock"
        path.unlink(missing_ok=True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        self.listener.listen(1)
        try:
            self.exec_id = api.exec_create(container_id, ["python3", "-S", "-B", "-m", "harness.worker",
                                                          f"{exec_dir_inside}/{name}.sock"],
                                           workdir=LIB, stdout=False, stderr=False)["Id"]
            api.exec_start(self.exec_id, detach=True)
        except BaseException:  # the container went away (the pod is closing)
            self.listener.close()
            raise
        self.connect_timeout = connect_timeout
        self.link: Link | None = None

    def connect(self) -> Link:
        """Wait for the worker to connect (it starts while the harness prepares the job)."""
        deadline = time.monotonic() + self.connect_timeout
        self.listener.settimeout(0.05)
        try:
            while True:
                try:
                    sock, _ = self.listener.accept()
                    break
                except socket.timeout:
                    if time.monotonic() > deadline:
                        raise WorkerError(f"the job worker did not connect within {self.connect_timeout:.0f} s")
                    if not self.api.exec_inspect(self.exec_id)["Running"]:
                        raise WorkerError(f"the job worker exited at start ({self._exit()})")
        finally:
            self.listener.close()
        sock.settimeout(None)
        self.link = Link(sock)
        return self.link

    def send(self, message: dict) -> None:
        self.link.send(message)

    def receive(self) -> dict:
        try:
            message = self.link.receive()
        except LinkClosed:
            raise WorkerError(f"the job worker went away ({self._exit()})") from None
        if "error" in message:
            raise WorkerError(f"the job worker failed:\n{message['error']}")
        return message

    def close(self) -> None:
        if self.link is not None:
            self.link.close()
        self.listener.close()

    def _exit(self) -> str:
        code = self.api.exec_inspect(self.exec_id).get("ExitCode")
        return f"exit code {code}" if code is not None else "still running"
