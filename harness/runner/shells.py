"""How the runner turns `shell:` into a command line, `{0}` standing for the script's path."""
from __future__ import annotations

from harness.workflow.model import SHELLS


def template(shell: str | None) -> str:
    found = SHELLS.get(shell, shell) if shell in SHELLS or shell is None else shell
    if "{0}" not in found:
        found = {"python": "python {0}", "pwsh": "pwsh -command . '{0}'"}.get(found, f"{found} {{0}}")
    return found
