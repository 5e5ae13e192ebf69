"""`gen`: render, check and explain the auto-promote workflow; simulate it in containers."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import check as checking
from . import docs
from . import explain as explaining
from .config import Config
from .configfile import DEFAULT_PATH, load_config
from .lint import ToolMissing
from .loader import InputError
from .render import render, write_atomic

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

    p = command("explain", cmd_explain, "print the decision tables as Markdown",
                "Print the gate decision table, the ancestry policy, the `if` truth table (for each event: "
                "does the job run, which steps run) and the invariants as Markdown: the part of the workflow "
                "a reviewer reads instead of the bash. `gen render` writes the same text into the README.")
    _config_arg(p)

    p = command("schema", cmd_schema, "print the config's JSON Schema",
                "Print the JSON Schema of the config file, for editors.")

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
    write_atomic(out, rendered.text)
    print(f"wrote {out}")
    if config.docs.readme:
        readme = Path(config.docs.readme)
        current = readme.read_text(encoding="utf-8") if readme.exists() else ""
        wanted = docs.updated(current, explaining.policy(config, rendered.text), str(args.config))
        if wanted != current:
            write_atomic(readme, wanted)
            print(f"wrote the generated section of {readme}")
    return 0


def cmd_check(args) -> int:
    config = load_config(args.config)
    rendered = render(config, str(args.config))
    out = Path(config.workflow.output)
    report = checking.Report(drift=checking.drift(rendered.text, out))
    if config.docs.readme:
        report.drift += docs.drift(Path(config.docs.readme), explaining.policy(config, rendered.text), str(args.config))
    if not args.no_lint:
        report.findings = checking.findings(rendered, config.workflow.output)
    return _report(report, out)


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
    print(json.dumps(Config.model_json_schema(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
