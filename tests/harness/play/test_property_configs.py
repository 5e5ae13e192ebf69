"""Property: for any valid config (Hypothesis draws them: 1–4 images, names and refs, branches,
trigger names, tag patterns, short lengths 7–40, target tags, gate tables with and without `*`,
`on_api_error`, concurrency, `protect_split`, `no_label`, `on_dispatch`, permissions), the workflow
renders, and the derived library covers it with scenarios whose intents the config predicts; a
fixed-seed sample also runs in the pod and passes. `gen bench --configs N` runs more."""
from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render import render
from harness.checks import intent, oracle
from harness.library import derived
from harness.library.derived import configs
from harness.play.plan import scenario_event
from harness.play.pods import run_scenarios
from harness.report import scenario_text
from harness.world.build import scenario_world, with_registries


@st.composite
def any_config(draw):
    return configs.validated(configs.draw(lambda options: draw(st.sampled_from(list(options))),
                                          lambda low, high: draw(st.integers(low, high))))


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(any_config())
def test_any_config_renders_and_derives_a_library_it_predicts(config):
    rendered = render(config, "generated.yaml")
    assert rendered.text.count("\n") > 50
    scenarios = derived.scenarios(config)
    # Without a publish trigger the gate is never asked, so there are no gate scenarios.
    assert len(scenarios) >= (40 if config.publish_triggers else 20)
    assert len({s.name for s in scenarios}) == len(scenarios)
    for s in scenarios:
        world = with_registries(scenario_world(s), config, s)
        assert oracle.predict(config, world, scenario_event(s, world)).intent == s.intent, s.name
    intents = Counter(s.intent for s in scenarios)
    assert intents["promote"] and intents["abort"] and intents["refuse"] and intents["not-triggered"]


@pytest.mark.docker
@settings(max_examples=2, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(config=any_config())
def test_a_sample_of_configs_passes_its_derived_library_in_the_pod(config, pod_images):
    with tempfile.TemporaryDirectory(prefix="promote-gen-property-") as folder:
        workflow = Path(folder) / "workflow.yml"
        workflow.write_text(render(config, "generated.yaml").text, encoding="utf-8")
        traces = run_scenarios(derived.scenarios(config), workflow, lambda line: None, config, pods=2)
    failed = [scenario_text.render(t) for t in traces if not t.passed]
    assert not failed, config.model_dump_json() + "\n" + failed[0]
    assert intent.library_problems(traces, config) == []


def test_the_generated_configs_are_valid_and_varied():
    sample = configs.sample(60, seed=9)
    assert {len(c.images) for c in sample} == {1, 2, 3, 4}
    assert {len(c.gate.arms) for c in sample} >= {1, 3, 6}
    assert min(c.tags.short_sha_length for c in sample) < 12 and max(c.tags.short_sha_length for c in sample) > 30
    assert {c.gate.on_api_error for c in sample} == {"proceed", "defer", "abort"}
    assert len({c.branch for c in sample}) > 2 and len({c.tags.target for c in sample}) > 2
    hosts = {tuple(host for host, _ in c.logins) for c in sample}
    assert {("ghcr.io",), ("index.docker.io",), ("registry.example.com:5000",), ("ghcr.io", "index.docker.io")} <= hosts
    assert {login.login for c in sample for _, login in c.logins} == {"github-token", "secret", "docker/login-action"}


def test_bench_configs_reports_configs_times_scenarios():
    from harness.play import bench_configs

    rows = [bench_configs.ConfigRow("a", 50, 50, [], [], 30.0),
            bench_configs.ConfigRow("b", 40, 39, [], ["gate-no-run: intent promote: the run was abort"], 20.0)]
    text = bench_configs.report({"rows": rows, "wall": 50.0, "seed": 9, "pods": 2})
    assert text.splitlines()[-1] == "1/2 configs proven, 89/90 scenarios passed, in 50.0 s (seed 9, 2 pods)"
    assert "FAIL gate-no-run: intent promote: the run was abort" in text


def test_bench_configs_refuses_a_count_below_one():
    from tests.conftest import run_gen

    proc = run_gen("bench", "--configs", "0")
    assert proc.returncode == 2 and proc.stderr.strip() == \
        "--configs: a positive number of configs expected (got 0)", proc.stderr


def test_every_registry_shape_in_the_sample_renders_lint_clean():
    """One config per shape (its hosts and how each logs in): zero actionlint, zizmor and shellcheck
    findings (zizmor holds docker/login-action to its pinned commit, secrets to the environment)."""
    from generator import lint

    shapes = {}
    for config in configs.sample(60, seed=9):
        shapes.setdefault(tuple((host, login.login) for host, login in config.logins), config)
    assert len(shapes) >= 6
    for shape, config in shapes.items():
        rendered = render(config, "generated.yaml")
        output = ".github/workflows/auto-promote-on-e2e.yml"
        assert lint.actionlint(rendered.text, output) + lint.zizmor(rendered.text, output) \
            + lint.shellcheck(rendered.scripts) == [], shape
