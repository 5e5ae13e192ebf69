"""`gen`'s subcommands, one module each. A module names itself (NAME, HELP, DESCRIPTION), adds its
arguments (`add_arguments`) and runs (`run(args, harness)`); `generator/cli.py` builds the parser
from them.

What the harness contributes (the policy section, the scenario and timeline schemas, starter
files) reaches the commands as a `Harness` built in `cli.py`: only `cli.py` may import the harness.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import Config
from ..configfile import DEFAULT_PATH, load_config
from ..render import Rendered
from ..render import render as render_workflow  # `render` and `schema` are subcommand modules here
from ..schema import FILES as SCHEMA_FILES
from ..schema import text as schema_text


ROOT = Path(".")  # the project root: paths in the config are relative to where gen runs


@dataclass(frozen=True)
class Harness:
    """The harness's parts the generator's commands use, handed in by `cli.py`."""

    policy: Callable[[Config, str], str]  # (config, rendered workflow) → the policy section's Markdown
    schemas: Callable[[], dict[str, Callable[[], dict]]]  # file kind → its JSON Schema's builder
    starters: Callable[[Config], list[tuple[str, str, str]]]  # (file name, kind, YAML text) for `gen init`


def config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=DEFAULT_PATH,
                        help=f"config file (default: {DEFAULT_PATH})")


def rendered_config(args) -> tuple[Config, Rendered]:
    """The config `--config` names, and the workflow it renders (the one render function)."""
    config = load_config(args.config)
    return config, render_workflow(config, str(args.config))


def schema_files(config: Config, harness: Harness) -> dict[Path, str]:
    """The schema files `docs.schemas` asks `gen render` to keep (and `gen check` to compare)."""
    if not config.docs.schemas:
        return {}
    folder, builders = Path(config.docs.schemas), harness.schemas()
    return {folder / name: schema_text(builders[kind]()) for kind, name in SCHEMA_FILES.items()}
