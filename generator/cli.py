"""`gen`: render, check and explain the auto-promote workflow; simulate it in containers.

This module builds the parser from the subcommand modules and wires in the harness: the policy
section that `render`, `check` and `explain` write, the scenario and timeline schemas, the starter
files of `init`, and the harness's own commands (`images`, `simulate`, `bench`). It is the only
generator module that imports the harness.
"""
from __future__ import annotations

import argparse
import functools
import sys

from harness import commands as harness_commands
from harness.library import scenario, starter, timeline
from harness.report import policy

from . import schema as schemas
from .commands import Harness, check, explain, init, render, schema
from .config import Config
from .lint import ToolMissing
from .loader import InputError

GENERATOR_COMMANDS = (render, check, explain, schema, init)


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
    harness = Harness(policy=policy.markdown, schemas=_schemas, starters=_starters)
    for command in GENERATOR_COMMANDS:
        _add(sub, command, functools.partial(command.run, harness=harness))
    for command in harness_commands.COMMANDS:
        _add(sub, command, harness_commands.needing_extra(command))
    return parser


def _add(sub, command, func) -> None:
    parser = sub.add_parser(command.NAME, help=command.HELP, description=command.DESCRIPTION)
    command.add_arguments(parser)
    parser.set_defaults(func=func)


def _schemas() -> dict:
    """Schema builders by file kind; the scenario and timeline models live in the harness's library."""
    return {
        "config": schemas.config_schema,
        "scenario": lambda: schemas.of_file(scenario.Scenario, scenario.ScenarioSuite, "promote-gen scenario file"),
        "timeline": lambda: schemas.of_file(timeline.Timeline, timeline.TimelineSuite, "promote-gen timeline file"),
    }


def _starters(config: Config) -> list:
    why = starter.unsupported(config)
    if why:
        print(f"gen init: no starter scenarios: {why}", file=sys.stderr)
    return starter.files(config)


if __name__ == "__main__":
    sys.exit(main())
