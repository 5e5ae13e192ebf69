"""`gen explain`: print the policy section (decision tables, `if` truth table, invariants, warnings)."""
from __future__ import annotations

import sys

from . import Harness, config_argument, rendered_config

NAME = "explain"
HELP = "print the decision tables as Markdown"
DESCRIPTION = ("Print the gate decision table, the ancestry policy, the `if` truth table (for each event: "
               "does the job run, which steps run) and the invariants as Markdown: the part of the workflow "
               "a reviewer reads instead of the bash. `gen render` writes the same text into the README.")


def add_arguments(parser) -> None:
    config_argument(parser)


def run(args, harness: Harness) -> int:
    config, rendered = rendered_config(args)
    sys.stdout.write(harness.policy(config, rendered.text))
    return 0
