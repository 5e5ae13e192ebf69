"""`gen simulate`: run scenarios and timelines against the workflow in the pod; print traces and
the pass/fail table."""
from __future__ import annotations

import sys
from pathlib import Path

NAME = "simulate"
HELP = "run scenarios and timelines against the workflow in containers"
DESCRIPTION = ("Run scenarios and timelines against the workflow's own steps, unchanged, in Docker: a real "
               "registry, a stubbed GitHub API and the real gh. Prints a trace for each and a pass/fail table. "
               "Exit 0 when every expectation holds, 1 when one fails, 2 on bad input.")


def add_arguments(parser) -> None:
    from . import subject_arguments

    subject_arguments(parser, "built-in scenario, timeline or suite names, globs, or files/folders "
                              "(default: everything built in)")
    parser.add_argument("--json", action="store_true", help="print traces as JSON instead of text")
    parser.add_argument("--tag", action="append", help="only scenarios and timelines with this tag (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the selected scenarios and timelines, then exit")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the pass/fail table")
    parser.add_argument("--junit", type=Path, metavar="FILE",
                        help="also write JUnit XML: one test case per scenario and timeline variant")
    parser.add_argument("--html", type=Path, metavar="FILE",
                        help="also write one self-contained page: the table, each trace, a chart per timeline")
    parser.add_argument("--pods", type=int, default=1, metavar="N",
                        help="run scenarios and timelines in N pods at once (default 1; 2 is faster on 2 cores)")
    parser.add_argument("--cleanup", action="store_true",
                        help="remove containers, volumes and networks left by earlier runs, then exit")


def run(args) -> int:
    from harness.library import selection

    if args.cleanup:
        return _cleanup()
    from . import config_of

    config = config_of(args)
    chosen = selection.select(args.scenarios, args.tag, config)
    if not args.scenarios and config is not None:
        own = _own_folder(config, args.config)
        if own is not None:
            chosen.extend(selection.select([str(own)], args.tag))
    if args.list:
        _list(chosen)
        return 0
    return _simulate(args, chosen, whole_library=not args.scenarios)


def _own_folder(config, config_path: Path) -> Path | None:
    """The repository's own scenarios and timelines, in the folder the config names (`simulate.folder`;
    by default the one named like the config, where `gen init` writes its starters), which a bare
    `gen simulate` runs after the derived library."""
    if config.simulate.folder and not Path(config.simulate.folder).is_dir():
        from generator import loader
        from generator.configfile import load_positioned

        what = "a file" if Path(config.simulate.folder).exists() else "not there"
        raise loader.InputError(loader.problem_line(config_path, load_positioned(config_path)[1](), ("simulate", "folder"),
                                                    f"a folder of scenario and timeline files (it is {what})",
                                                    config.simulate.folder))
    folder = Path(config.simulate.folder) if config.simulate.folder else config_path.with_suffix("")
    if folder.is_dir() and any(folder.glob("*.yaml")):
        return folder
    return None


def _cleanup() -> int:
    from harness.pod import cleanup
    from harness.pod.layout import EngineError

    try:
        removed = cleanup.cleanup(everything=False)
    except EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    print("\n".join(removed) if removed else "nothing left behind")
    return 0


def _list(chosen) -> None:
    for kind, items in (("scenario", chosen.scenarios), ("timeline", chosen.timelines)):
        for item in items:
            about = " ".join(item.description.split())[:90]
            intent = getattr(item, "intent", None) or ("-" if kind == "timeline" else "(none)")
            print(f"{kind:<9} {item.name:<36} {intent:<13} {' '.join(item.tags):<22} {about}")


def _simulate(args, chosen, whole_library: bool = False) -> int:
    from harness.play.library_run import run_library
    from harness.checks import intent
    from harness.play import workflows
    from harness.play.timelines import prepare
    from harness.pod.layout import EngineError
    from harness.report import results
    from harness.report.progress import Progress

    from . import config_and_workflow

    config, workflow_path = config_and_workflow(args)
    _check_outputs([p for p in (args.junit, args.html) if p])
    progress = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    workflows.load(workflow_path)  # every input is checked before the first pod starts
    subjects = prepare(chosen.timelines, workflow_path, config, progress)
    total = len(chosen.scenarios) + len(subjects)
    watch = Progress(total)
    try:
        traces = run_library(chosen.scenarios, subjects, workflow_path, progress, config, args.pods, watch)
    except EngineError as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    finally:
        watch.close()
    _reports(args, traces, str(workflow_path), config.tags.target if config else "latest")
    problems = intent.library_problems(traces, config) if whole_library and config is not None else []
    passed = all(t.passed for t in traces) and not problems
    if args.json:
        print(results.as_json(traces))
        return 0 if passed else 1
    if not args.quiet:
        for trace in traces:
            sys.stdout.write(results.text(trace) + "\n")
    print(results.table(traces, problems))
    return 0 if passed else 1


def _check_outputs(paths: list[Path]) -> None:
    """Refuse an unwritable report path before minutes of simulation, not after."""
    from generator.loader import InputError

    for path in paths:
        if path.is_dir():
            raise InputError(f"{path}: a file path expected, not a folder")
        blocked = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocked:
            raise InputError(f"{path}: cannot be written, {blocked} is a file")


def _reports(args, traces: list, workflow: str, target: str) -> None:
    """The --junit and --html files (written together, or neither), and the Actions step summary."""
    from generator.outputs import append_step_summary, write_together
    from harness.report import results, step_summary

    files = {}
    if args.junit:  # each report's module (xml, html) only when it is asked for
        from harness.report import junit

        files[args.junit] = junit.document(traces, results.text)
    if args.html:
        from harness.report import html_page

        files[args.html] = html_page.page(traces, results.text, workflow, target)
    write_together(files)
    append_step_summary(step_summary.markdown(traces, workflow))
