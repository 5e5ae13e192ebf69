"""`gen bench --configs N`: the derived library proven over N generated configs. Each config is
rendered, linted (actionlint with shellcheck, zizmor, shellcheck on every step script: zero findings
expected) and its derived library run in the pod; the report is configs × scenarios proven and the
time each took."""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator import lint
from generator.config import Config
from generator.render import render
from harness.checks import intent
from harness.library import derived
from harness.library.derived import configs

from .pods import run_scenarios

OUTPUT = ".github/workflows/auto-promote-on-e2e.yml"


@dataclass
class ConfigRow:
    shape: str
    scenarios: int
    passed: int
    findings: list[str]
    problems: list[str]
    seconds: float

    @property
    def proven(self) -> bool:
        return self.passed == self.scenarios and not self.findings and not self.problems


def shape(config: Config) -> str:
    """The config in a few words: what varies between generated configs."""
    arms = config.gate.arms
    table = "*-only" if len(arms) == 1 else ("with *" if any("*" in a.match for a in arms) else "without *")
    return (f"{len(config.images)} image(s), {len(config.publish_triggers)} publish, branch {config.branch}, "
            f"{config.tags.candidate}/{config.tags.short_sha_length} → {config.tags.target}, gate {table}, "
            f"api-error {config.gate.on_api_error}, {config.concurrency.policy}, "
            f"split {'on' if config.retag.protect_split else 'off'}, no_label {config.ancestry.no_label}, "
            f"dispatch {config.ancestry.on_dispatch}")


def prove(config: Config, pods: int) -> ConfigRow:
    started = time.monotonic()
    rendered = render(config, "generated.yaml")
    findings = (lint.actionlint(rendered.text, OUTPUT) + lint.zizmor(rendered.text, OUTPUT)
                + lint.shellcheck(rendered.scripts))
    with tempfile.TemporaryDirectory(prefix="promote-gen-bench-") as folder:
        workflow = Path(folder) / "workflow.yml"
        workflow.write_text(rendered.text, encoding="utf-8")
        traces = run_scenarios(derived.scenarios(config), workflow, lambda line: None, config, pods=pods)
    failed = [f"{t.scenario}: {next(c.text for c in t.checks if not c.ok)}" for t in traces if not t.passed]
    return ConfigRow(shape(config), len(traces), len(traces) - len(failed), findings,
                     failed + intent.library_problems(traces, config), time.monotonic() - started)


def run(count: int, seed: int, pods: int, progress=print) -> dict:
    rows = []
    started = time.monotonic()
    for index, config in enumerate(configs.sample(count, seed)):
        rows.append(prove(config, pods))
        progress(f"config {index + 1}/{count}: {rows[-1].passed}/{rows[-1].scenarios} in {rows[-1].seconds:.1f} s")
    return {"rows": rows, "wall": time.monotonic() - started, "seed": seed, "pods": pods}


def report(result: dict) -> str:
    rows: list[ConfigRow] = result["rows"]
    lines = [f"{'#':>3}  {'proven':<6} {'scenarios':>9} {'seconds':>8}  config"]
    for i, row in enumerate(rows, 1):
        lines.append(f"{i:>3}  {'yes' if row.proven else 'NO':<6} {row.passed:>4}/{row.scenarios:<4} "
                     f"{row.seconds:>8.1f}  {row.shape}")
        lines += [f"       lint: {f}" for f in row.findings] + [f"       FAIL {p}" for p in row.problems]
    scenarios = sum(r.scenarios for r in rows)
    lines.append(f"{sum(r.proven for r in rows)}/{len(rows)} configs proven, {sum(r.passed for r in rows)}/"
                 f"{scenarios} scenarios passed, in {result['wall']:.1f} s "
                 f"(seed {result['seed']}, {result['pods']} pods)")
    return "\n".join(lines)
