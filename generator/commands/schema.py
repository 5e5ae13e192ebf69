"""`gen schema`: print the JSON Schema of the config, scenario or timeline files, for editors."""
from __future__ import annotations

import sys

from .. import schema
from . import Harness

NAME = "schema"
HELP = "print the JSON Schema of the config, scenario or timeline files"
DESCRIPTION = ("Print a JSON Schema for editors: of the config file (default), of scenario files or of "
               "timeline files (each: one item, or a suite under `scenarios:` / `timelines:`).")


def add_arguments(parser) -> None:
    parser.add_argument("--for", dest="kind", choices=sorted(schema.FILES), default="config",
                        help="which file kind (default: config)")


def run(args, harness: Harness) -> int:
    sys.stdout.write(schema.text(harness.schemas()[args.kind]()))
    return 0
