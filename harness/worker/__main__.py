"""`python3 -S -m harness.worker SOCKET`: connect to the harness, take one job, run its steps as
told, report each, exit. Anything that goes wrong is reported over the link, not lost on stderr."""
from __future__ import annotations

import socket
import sys
import traceback

from .link import Link
from .plan import JobPlan
from .steps import JobSteps


def serve(link: Link) -> None:
    job = JobSteps(JobPlan.from_wire(link.receive()["job"]))
    budget = 0
    while True:
        if budget == 0 or not job.pending():
            message = link.receive()
            if message.get("finish"):
                link.send({"job": {"failed": job.state.failed}})
                return
            if message.get("cancel"):
                job.cancelled = True
                budget = 0
                continue
            budget = message["run"]
        if job.pending():
            link.send({"step": job.step().to_wire()})
            budget -= 1
        else:
            link.send({"idle": True})  # asked for a step when none is left
            budget = 0


def main() -> int:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(sys.argv[1])
    link = Link(sock)
    try:
        serve(link)
    except Exception:
        link.send({"error": traceback.format_exc()})
        return 1
    finally:
        link.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
