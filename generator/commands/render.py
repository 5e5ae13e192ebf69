"""`gen render`: write the workflow, the README's policy section and the schema files, together."""
from __future__ import annotations

import sys

from ..configfile import output_error
from ..outputs import OutputProblem, write_all
from ..render import outputs_for
from . import ROOT, Harness, config_argument, rendered_config, schema_files

NAME = "render"
HELP = "write the workflow from the config"
DESCRIPTION = ("Render the workflow (YAML and embedded bash) from the config and write it to the config's "
               "workflow.output path, with the README section and schema files the config's `docs` asks for: "
               "all of them or, when one cannot be written, none.")


def add_arguments(parser) -> None:
    config_argument(parser)
    parser.add_argument("--stdout", action="store_true", help="print the workflow instead of writing it")


def run(args, harness: Harness) -> int:
    config, rendered = rendered_config(args)
    if args.stdout:
        sys.stdout.write(rendered.text)
        return 0
    try:
        files = outputs_for(config, str(args.config), rendered, ROOT, harness.policy, schema_files(config, harness))
        changed = write_all(ROOT, files)
    except OutputProblem as problem:
        raise output_error(args.config, problem) from None
    for output in changed:
        print(f"wrote {output.path}")
    if not changed:
        print(f"{files[0].path} is up to date" + (" and so are the files it keeps" if len(files) > 1 else ""))
    return 0
