"""`gen`: render, check and explain the auto-promote workflow; simulate it in containers."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import check as checking
from . import docs, hazards, schema
from . import explain as explaining
from .config import Config
from .configfile import DEFAULT_PATH, load_config, load_positioned
from .lint import ToolMissing
from .loader import InputError
from .outputs import write_together
from .render import render

HINT = "run: gen render"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ToolMissing as exc:
        print(f"gen: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gen: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gen",
        description="Generate the auto-promote-on-E2E workflow from a typed config, check it for drift "
        "and lint findings, and simulate it against a real registry and a stubbed GitHub API.",
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    def command(name: str, func, help_text: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=description)
        p.set_defaults(func=func)
        return p

    p = command("render", cmd_render, "write the workflow from the config",
                "Render the workflow (YAML and embedded bash) from the config and write it atomically "
                "to the config's workflow.output path.")
    _config_arg(p)
    p.add_argument("--stdout", action="store_true", help="print the workflow instead of writing it")

    p = command("check", cmd_check, "fail when the committed workflow drifts or lints dirty",
                "Render through the same function as `gen render` and compare byte for byte with the "
                "committed file, then run actionlint, zizmor --offline and shellcheck (findings point at "
                "templates/<file>:<line>). Exit 0 clean, 1 drift or findings, 2 bad config or usage.")
    _config_arg(p)
    p.add_argument("--no-lint", action="store_true", help="only compare; skip the linters")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 on warnings too: settings that can promote a red commit or strand a green one")

    p = command("explain", cmd_explain, "print the decision tables as Markdown",
                "Print the gate decision table, the ancestry policy, the `if` truth table (for each event: "
                "does the job run, which steps run) and the invariants as Markdown: the part of the workflow "
                "a reviewer reads instead of the bash. `gen render` writes the same text into the README.")
    _config_arg(p)

    p = command("schema", cmd_schema, "print the JSON Schema of the config, scenario or timeline files",
                "Print a JSON Schema for editors: of the config file (default), of scenario files or of "
                "timeline files (each: one item, or a suite under `scenarios:` / `timelines:`).")
    p.add_argument("--for", dest="kind", choices=sorted(schema.FILES), default="config",
                   help="which file kind (default: config)")

    p = command("init", cmd_init, "write a starting config (from answers or a hand-written workflow)",
                "Write a commented config that renders and passes `gen check` at once, with the safe "
                "defaults, the JSON Schemas its `# yaml-language-server: $schema=` line points at, and "
                "starter scenarios for `gen simulate`. On a terminal it asks for what the flags leave open; "
                "with --yes, or when stdin is not a terminal, the flags must say it. --from reads a "
                "hand-written promotion workflow of the seed's family instead and says, with file:line, "
                "what it could not carry over. Refuses to overwrite files unless --force.")
    _config_arg(p)
    p.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                   help="read this hand-written promotion workflow into the config")
    p.add_argument("--image", action="append", metavar="REF",
                   help="image to promote, e.g. ghcr.io/acme/api (repeatable; retagged in this order)")
    p.add_argument("--branch", help="branch whose commits are promoted (default: main)")
    p.add_argument("--e2e-workflow", metavar="NAME", help="`name:` of the E2E workflow whose red run stops it")
    p.add_argument("--e2e-file", metavar="FILE",
                   help="file name of that workflow in .github/workflows (found from NAME when it is there)")
    p.add_argument("--publish-workflow", action="append", metavar="NAME",
                   help="`name:` of a workflow that builds and pushes the images (repeatable)")
    p.add_argument("--candidate", metavar="PATTERN",
                   help="tag the build pushes, with {short} or {sha} (default: staging-{short})")
    p.add_argument("--target", metavar="TAG", help="tag production pulls (default: latest)")
    p.add_argument("--output", metavar="PATH", help="where `gen render` writes the workflow")
    p.add_argument("--yes", "-y", action="store_true", help="ask nothing: take the flags and the defaults")
    p.add_argument("--force", action="store_true", help="overwrite files that already exist")

    _harness_commands(command)
    return parser


def _harness_commands(command) -> None:
    try:
        from harness import cli as harness_cli
    except ImportError:
        return
    harness_cli.register(command, _config_arg)


def _config_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=DEFAULT_PATH,
                   help=f"config file (default: {DEFAULT_PATH})")


def cmd_render(args) -> int:
    config = load_config(args.config)
    rendered = render(config, str(args.config))
    if args.stdout:
        sys.stdout.write(rendered.text)
        return 0
    out = Path(config.workflow.output)
    files, said = {out: rendered.text}, [f"wrote {out}"]
    if config.docs.readme:
        readme = Path(config.docs.readme)
        current = readme.read_text(encoding="utf-8") if readme.exists() else ""
        wanted = docs.updated(current, explaining.policy(config, rendered.text), str(args.config))
        if wanted != current:
            files[readme] = wanted
            said.append(f"wrote the generated section of {readme}")
    for path, text in _schema_files(config).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            files[path] = text
            said.append(f"wrote {path}")
    write_together(files)
    print("\n".join(said))
    return 0


def cmd_check(args) -> int:
    config, positioned = load_positioned(args.config)
    rendered = render(config, str(args.config))
    out = Path(config.workflow.output)
    report = checking.Report(drift=checking.drift(rendered.text, out))
    if config.docs.readme:
        report.drift += docs.drift(Path(config.docs.readme), explaining.policy(config, rendered.text), str(args.config))
    for path, text in _schema_files(config).items():
        report.drift += checking.drift(text, path)
    if not args.no_lint:
        report.findings = checking.findings(rendered, config.workflow.output)
    code = _report(report, out)
    warnings, unaccepted = hazards.report(config, args.config, positioned)
    for line in warnings:
        print(line)
    if warnings:
        fails = " (--strict fails on them)" if args.strict and unaccepted else \
            ("; `gen check --strict` fails on them" if unaccepted else "")
        print(f"{len(warnings)} warning(s), {unaccepted} not accepted{fails}")
    return max(code, 1) if args.strict and unaccepted else code


def _report(report: checking.Report, out: Path) -> int:
    if report.drift:
        sys.stdout.writelines(report.drift)
        if not report.drift[-1].endswith("\n"):
            print()
        print(f"{out} or its README section differs from what the config renders; {HINT}")
    for line in report.findings:
        print(line)
    if report.findings:
        print(f"{len(report.findings)} lint finding(s)")
    if report.clean:
        print(f"{out} is up to date and lint-clean")
    return 0 if report.clean else 1


def cmd_explain(args) -> int:
    config = load_config(args.config)
    sys.stdout.write(explaining.policy(config, render(config, str(args.config)).text))
    return 0


def cmd_schema(args) -> int:
    sys.stdout.write(schema.text(_schemas()[args.kind]()))
    return 0


def _schemas() -> dict:
    """Schema builders by file kind; scenario and timeline models live in the harness."""
    def scenario() -> dict:
        from harness import scenario as scenarios
        return schema.of_file(scenarios.Scenario, scenarios.Suite, "promote-gen scenario file")

    def timeline() -> dict:
        from harness import timeline as timelines
        return schema.of_file(timelines.Timeline, timelines.Suite, "promote-gen timeline file")

    return {"config": schema.config_schema, "scenario": scenario, "timeline": timeline}


def _schema_files(config: Config) -> dict[Path, str]:
    """The schema files `docs.schemas` asks `gen render` to keep (and `gen check` to compare)."""
    if not config.docs.schemas:
        return {}
    folder = Path(config.docs.schemas)
    return {folder / name: schema.text(_schemas()[kind]()) for kind, name in schema.FILES.items()}


def cmd_init(args) -> int:
    from .adopt import command as init

    def starters(config: Config) -> list:
        from harness import starter
        why = starter.unsupported(config)
        if why:
            print(f"gen init: no starter scenarios: {why}", file=sys.stderr)
        return starter.files(config)

    def schemas(config: Config) -> dict:
        return {kind: build() for kind, build in _schemas().items()} if config.docs.schemas else {}

    return init.run(args, init.Extras(schemas=schemas, starters=starters))


if __name__ == "__main__":
    sys.exit(main())
