"""`gen render`: write the workflow, the README's policy section and the schema files, together."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import docs
from ..outputs import write_together
from . import Harness, config_argument, rendered_config, schema_files

NAME = "render"
HELP = "write the workflow from the config"
DESCRIPTION = ("Render the workflow (YAML and embedded bash) from the config and write it atomically "
               "to the config's workflow.output path.")


def add_arguments(parser) -> None:
    config_argument(parser)
    parser.add_argument("--stdout", action="store_true", help="print the workflow instead of writing it")


def run(args, harness: Harness) -> int:
    config, rendered = rendered_config(args)
    if args.stdout:
        sys.stdout.write(rendered.text)
        return 0
    out = Path(config.workflow.output)
    files, said = {out: rendered.text}, [f"wrote {out}"]
    if config.docs.readme:
        readme = Path(config.docs.readme)
        current = readme.read_text(encoding="utf-8") if readme.exists() else ""
        wanted = docs.updated(current, harness.policy(config, rendered.text), str(args.config))
        if wanted != current:
            files[readme] = wanted
            said.append(f"wrote the generated section of {readme}")
    for path, text in schema_files(config, harness).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            files[path] = text
            said.append(f"wrote {path}")
    write_together(files)
    print("\n".join(said))
    return 0
