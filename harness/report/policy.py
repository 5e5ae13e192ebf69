"""The policy section: everything a reviewer reads instead of the bash. `gen explain` prints it,
`gen render` writes it into the README and `gen check` compares it (wired in `generator/cli.py`)."""
from __future__ import annotations

from ruamel.yaml import YAML

from generator import explain, hazards
from generator.config import Config
from harness.library.invariant_names import describe
from harness.workflow import model

from . import truthtable


def markdown(config: Config, workflow_text: str) -> str:
    """Both decision tables, the `if` truth table of the rendered workflow, the invariants, and the
    config's warnings when it has any."""
    # The text was just rendered, so it needs no positions: the fast safe loader will do.
    workflow = model.parse(YAML(typ="safe").load(workflow_text), config.workflow.output)
    lines = [explain.markdown(config).rstrip("\n"), "", "### When the job and its steps run", "",
             "Evaluated from the rendered workflow's `on:`, job `if` and step `if`s with GitHub's expression rules.",
             "", truthtable.markdown(workflow, config).rstrip("\n"), "",
             "### Invariants `gen simulate` checks on every timeline", ""]
    lines += [f"{i}. **{name}**: {text}" for i, (name, text) in enumerate(describe(config.tags.target).items(), start=1)]
    warnings = hazards.markdown(config)
    return "\n".join(lines) + "\n" + ("\n" + warnings if warnings else "")
