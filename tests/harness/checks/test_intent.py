"""Intent: what a run amounts to, read from its trace, and the checks that a scenario is not wrong."""
from __future__ import annotations

import pytest

from generator.config import Image
from generator.configfile import load_config
from harness.checks import intent, oracle
from harness.library import selection
from harness.play.plan import scenario_event
from harness.trace.job import JobResult, StepResult
from harness.trace.scenario import ScenarioTrace
from harness.world.build import scenario_world
from tests.conftest import CONFIG, FIXTURES


def _step(id_, outcome="success", **outputs):
    return StepResult(0, id_, id_, "", outcome != "skipped", outcome, outcome, outputs=outputs)


def _trace(triggered=True, ran=True, conclusion="success", steps=()):
    trace = ScenarioTrace("s", "", "wf", "event", triggered, "")
    if triggered:
        trace.jobs.append(JobResult("promote", "", ran, conclusion, list(steps)))
    return trace


@pytest.mark.parametrize("trace, want", [
    (_trace(triggered=False), "not-triggered"),
    (_trace(ran=False, conclusion="skipped"), "skip"),
    (_trace(steps=[_step("gate", proceed="false")]), "defer"),
    (_trace(conclusion="failure", steps=[_step("gate", "failure", proceed="false")]), "abort"),
    (_trace(conclusion="failure", steps=[_step("gate", proceed="true"), _step("ancestry", "failure")]), "refuse"),
    (_trace(conclusion="failure", steps=[_step("gate", proceed="true"), _step("verify", "failure")]), "abort"),
    (_trace(steps=[_step("gate", proceed="true"), _step("ancestry")]), "promote"),
])
def test_the_run_is_read_from_its_trace(trace, want):
    assert intent.observed(trace) == want


def test_a_scenario_without_intent_fails():
    [check] = intent.checks(None, "not-triggered", None)
    assert not check.ok and "states no intent" in check.text


def test_a_prediction_that_disagrees_says_the_scenario_is_wrong():
    run, predicted = intent.checks("promote", "promote", "abort")
    assert run.ok and not predicted.ok and "the scenario itself is wrong" in predicted.text


def _third_image():
    config = load_config(CONFIG)
    third = Image(name="docs", ref="ghcr.io/molecule-ai/docs", env="DOCS_IMAGE")
    return config.model_copy(update={"images": [*config.images, third]})


@pytest.mark.parametrize("config, predicted", [
    (lambda: load_config(FIXTURES / "configs" / "acme.yaml"), "not-triggered"),  # molecule-core's trigger names
    (_third_image, "abort"),  # a third image, whose candidate the scenario never pushed: Verify fails
])
def test_from_config_no_longer_passes_a_scenario_that_shows_nothing(config, predicted):
    """The issue's cases: happy-path-from-config "passed" on other configs because the oracle
    predicted from the world; its intent (promote) now disagrees with the prediction."""
    scenario = next(s for s in selection.builtin() if s.name == "happy-path-from-config")
    world = scenario_world(scenario)
    got = oracle.predict(config(), world, scenario_event(scenario, world)).intent
    assert got == predicted
    assert not all(c.ok for c in intent.checks(scenario.intent, got, got))


def test_a_library_that_never_promotes_or_never_fires_a_trigger_fails():
    config = load_config(CONFIG)
    trace = _trace(conclusion="failure", steps=[_step("gate", "failure", proceed="false")])
    trace.outcome, trace.upstream = "abort", config.e2e_trigger.name
    problems = intent.library_problems([trace], config)
    assert "no scenario promoted: the library proves nothing about a promotion" in problems
    assert any(config.publish_triggers[0].name in p and "never fired" in p for p in problems)
    trace.outcome = "promote"
    assert intent.library_problems([trace], config) == [
        f"the trigger {config.publish_triggers[0].name!r} never fired a run of the job"]


def test_counts_end_the_table():
    traces = [_trace(), _trace(triggered=False)]
    traces[0].intent, traces[1].intent = "promote", "not-triggered"
    assert intent.counts_line(traces) == "intents: promote 1, not-triggered 1"
