"""`gen bench`: time the warm scenario library, side by side with the scripts run directly."""
from __future__ import annotations

import sys

NAME = "bench"
HELP = "time the warm scenario library"
DESCRIPTION = ("Run the scenario library twice (the first run warms images, pods and the registry "
               "snapshots), then print the warm library's wall time, the per-scenario median and max, "
               "and the harness's overhead against running the same step scripts directly in the "
               "runner container.")


def add_arguments(parser) -> None:
    from . import subject_arguments

    subject_arguments(parser, "scenarios to time (default: all built-in)")
    parser.add_argument("--pods", type=int, default=2, metavar="N", help="pods run at once (default 2)")


def run(args) -> int:
    from harness.play import bench
    from harness.pod.layout import EngineError

    from . import config_and_workflow

    config, workflow_path = config_and_workflow(args)
    try:
        result = bench.run(args.scenarios, workflow_path, config, args.pods,
                           progress=lambda line: print(line, file=sys.stderr, flush=True))
    except EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    print(bench.report(result))
    return 0
