"""The derived library, run: for molecule-core's config and three of other shapes (one image on
`trunk` with `stable`; three images with every hardening option; a `*`-only gate with 40-digit
SHAs), the rendered workflow passes every derived scenario, and the library shows promotions,
deferrals, aborts and refusals, with every trigger firing."""
from __future__ import annotations

import pytest

from generator.configfile import load_config
from generator.render import render
from harness.checks import intent
from harness.library import derived
from harness.play.pods import run_scenarios
from harness.report import results, scenario_text
from tests.conftest import CONFIG, FIXTURES

CONFIGS = {"molecule-core": CONFIG, **{p.stem: p for p in sorted((FIXTURES / "configs").glob("*.yaml"))}}


@pytest.mark.docker
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_derived_library_passes_and_shows_every_outcome(name, tmp_path, pod_images):
    config = load_config(CONFIGS[name])
    workflow = tmp_path / "workflow.yml"
    workflow.write_text(render(config, str(CONFIGS[name])).text, encoding="utf-8")
    traces = run_scenarios(derived.scenarios(config), workflow, lambda line: None, config, pods=2)
    failed = [scenario_text.render(t) for t in traces if not t.passed]
    assert not failed, failed[0]
    assert len(traces) >= 40
    assert {"promote", "defer", "abort", "refuse"} <= set(intent.counts(traces))
    assert all(t.outcome == t.intent for t in traces)
    assert intent.library_problems(traces, config) == []
    assert results.table(traces).splitlines()[-1].startswith("intents: promote ")
