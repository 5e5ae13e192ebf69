"""`gen init`: write a starting config, from answers or from a hand-written workflow."""
from __future__ import annotations

from pathlib import Path

from ..config import Config
from . import Harness, config_argument

NAME = "init"
HELP = "write a starting config (from answers or a hand-written workflow)"
DESCRIPTION = ("Write a commented config that renders and passes `gen check` at once, with the safe "
               "defaults, the JSON Schemas its `# yaml-language-server: $schema=` line points at, and "
               "starter scenarios for `gen simulate`. On a terminal it asks for what the flags leave open; "
               "with --yes, or when stdin is not a terminal, the flags must say it. --from reads a "
               "hand-written promotion workflow of the seed's family instead and says, with file:line, "
               "what it could not carry over. Refuses to overwrite files unless --force.")


def add_arguments(parser) -> None:
    config_argument(parser)
    parser.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                        help="read this hand-written promotion workflow into the config")
    parser.add_argument("--image", action="append", metavar="REF",
                        help="image to promote, e.g. ghcr.io/acme/api (repeatable; retagged in this order)")
    parser.add_argument("--branch", help="branch whose commits are promoted (default: main)")
    parser.add_argument("--e2e-workflow", metavar="NAME", help="`name:` of the E2E workflow whose red run stops it")
    parser.add_argument("--e2e-file", metavar="FILE",
                        help="file name of that workflow in .github/workflows (found from NAME when it is there)")
    parser.add_argument("--publish-workflow", action="append", metavar="NAME",
                        help="`name:` of a workflow that builds and pushes the images (repeatable)")
    parser.add_argument("--candidate", metavar="PATTERN",
                        help="tag the build pushes, with {short} or {sha} (default: staging-{short})")
    parser.add_argument("--target", metavar="TAG", help="tag production pulls (default: latest)")
    parser.add_argument("--output", metavar="PATH", help="where `gen render` writes the workflow")
    parser.add_argument("--yes", "-y", action="store_true", help="ask nothing: take the flags and the defaults")
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist")


def run(args, harness: Harness) -> int:
    def schemas(config: Config) -> dict:
        return {kind: build() for kind, build in harness.schemas().items()} if config.docs.schemas else {}

    from ..adopt import command as adopting  # only `gen init` needs it: the other commands start faster

    return adopting.run(args, adopting.Extras(schemas=schemas, starters=harness.starters))
