"""The Markdown `gen simulate` appends to `$GITHUB_STEP_SUMMARY` when it runs in GitHub Actions."""
from __future__ import annotations


def markdown(traces: list, workflow: str) -> str:
    passed = sum(t.passed for t in traces)
    mark = "✅" if passed == len(traces) else "❌"
    lines = [f"## {mark} gen simulate: {passed}/{len(traces)} passed", "", f"Workflow: `{workflow}`", "",
             "| scenario or timeline[variant] | result | checks | seconds |", "|---|---|---|---|"]
    for t in traces:
        ok = sum(c.ok for c in t.checks)
        lines.append(f"| `{t.scenario}` | {'pass' if t.passed else '**FAIL**'} | {ok}/{len(t.checks)} | {t.seconds:.2f} |")
    failed = [t for t in traces if not t.passed]
    if failed:
        lines += ["", "### Failed checks", ""]
        for t in failed:
            lines += [f"- `{t.scenario}`"] + [f"  - {c.text}" for c in t.checks if not c.ok]
    return "\n".join(lines) + "\n"
