"""The promotion workflow split the way teams split it: a `gate` job whose outputs carry the gate's
decision and the SHA, and a `promote` job that `needs` it and checks `needs.gate.outputs.proceed`.

Built from the rendered one-job workflow, so the two forms hold the same bash. `python -m
tests.harness.play.two_job [WORKFLOW]` prints it, for `gen simulate --workflow`.
"""
from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import ROOT

RENDERED = ROOT / ".github/workflows/auto-promote-on-e2e.yml"
GATE_STEPS = ("sha", "gate")  # the step ids the gate job keeps
OUTPUTS = {"proceed": "${{ steps.gate.outputs.proceed }}", "short": "${{ steps.sha.outputs.short }}",
           "full": "${{ steps.sha.outputs.full }}"}
READS = {"steps.gate.outputs.proceed": "needs.gate.outputs.proceed",
         "steps.sha.outputs.short": "needs.gate.outputs.short", "steps.sha.outputs.full": "needs.gate.outputs.full"}


def _rewrite(node):
    """Every string in `node` reading the gate job's steps now reads `needs.gate.outputs`."""
    if isinstance(node, str):
        for old, new in READS.items():
            node = node.replace(old, new)
        return node
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _rewrite(node[key])
    elif isinstance(node, list):
        for i, item in enumerate(node):
            node[i] = _rewrite(item)
    return node


def two_job(one_job: str) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    doc = yaml.load(one_job)
    (job_id, job), = doc["jobs"].items()
    steps = list(job["steps"])
    split = max(i for i, s in enumerate(steps) if s.get("id") in GATE_STEPS) + 1
    gate = copy.deepcopy(job)
    gate["name"] = "gate"
    gate["steps"] = steps[:split]
    gate["outputs"] = dict(OUTPUTS)
    promote = copy.deepcopy(job)
    promote.pop("if", None)
    promote.insert(0, "needs", "gate")
    promote.insert(1, "if", "needs.gate.outputs.proceed == 'true'")
    promote["steps"] = [_rewrite(copy.deepcopy(s)) for s in steps[split:]]
    doc["jobs"] = {"gate": gate, job_id: promote}
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else RENDERED
    sys.stdout.write(two_job(source.read_text()))
