"""How the runner turns `shell:` into a command line, and a step's output into lines."""
from __future__ import annotations

import shlex

from harness.workflow.model import SHELLS


def shell_argv(shell: str | None, script_path: str) -> list[str]:
    template = SHELLS.get(shell, shell) if shell in SHELLS or shell is None else shell
    if "{0}" not in template:
        template = {"python": "python {0}", "pwsh": "pwsh -command . '{0}'"}.get(template, f"{template} {{0}}")
    return [script_path if part == "{0}" else part.replace("{0}", script_path) for part in shlex.split(template)]


def lines(chunks: list[tuple[str, str]]):
    """(stream, line) in arrival order, from chunks that may split lines."""
    partial = {"stdout": "", "stderr": ""}
    for stream, text in chunks:
        partial[stream] += text
        *complete, partial[stream] = partial[stream].split("\n")
        for line in complete:
            yield stream, line.rstrip("\r")
    for stream, rest in partial.items():
        if rest:
            yield stream, rest
