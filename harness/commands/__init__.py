"""The harness's subcommands for `gen`: `images`, `simulate`, `bench`, one module each, registered
by `generator/cli.py`. Their modules import nothing from Docker until they run, so `gen --help`
and `gen render` work without the `[harness]` extra; running one without it says which to install."""
from __future__ import annotations

import sys
from pathlib import Path

from generator.commands import config_argument
from generator.configfile import DEFAULT_PATH, load_config
from generator.loader import InputError

from . import bench, images, simulate

COMMANDS = (images, simulate, bench)
EXTRA = "harness"
EXTRA_MODULES = ("docker", "cryptography")  # what pyproject's [harness] extra installs that Python imports


def needing_extra(command):
    """`command.run`, reporting a missing `[harness]` extra in one line (exit 2) instead of a traceback."""
    def run(args) -> int:
        try:
            return command.run(args)
        except ModuleNotFoundError as exc:
            if exc.name not in EXTRA_MODULES:
                raise
            print(f"gen {command.NAME}: needs the {EXTRA} extra (Python package {exc.name!r} is missing): "
                  f"pip install 'promote-gen[{EXTRA}]'", file=sys.stderr)
            return 2
    return run


def subject_arguments(parser, what: str) -> None:
    """The scenarios or timelines to run, the workflow and the config: shared by simulate and bench."""
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO_OR_FILE", help=what)
    parser.add_argument("--workflow", type=Path, help="workflow file to run (default: the config's rendered output)")
    config_argument(parser)


def config_of(args):
    """The config, or None when the default one is absent (a config named with --config must exist)."""
    return load_config(args.config) if args.config.exists() or args.config != DEFAULT_PATH else None


def config_and_workflow(args):
    """The config (None when the default one is absent and --workflow names the file) and the workflow path."""
    config = config_of(args)
    if args.workflow:
        return config, args.workflow
    if config is None:
        raise InputError(f"{args.config}: no config here; name the workflow with --workflow")
    return config, Path(config.workflow.output)
