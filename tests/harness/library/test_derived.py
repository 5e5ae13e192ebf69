"""The library derived from a config, without Docker: it covers every area in the config's own names,
every scenario states an intent the config's prediction agrees with, and it is not vacuous."""
from __future__ import annotations

from collections import Counter

import pytest

from generator import gate
from generator.configfile import load_config
from harness.checks import oracle
from harness.library import derived, repository_keys, selection
from harness.play.plan import scenario_event
from harness.world.build import scenario_world, with_registries
from tests.conftest import CONFIG, FIXTURES

CONFIGS = {"molecule-core": CONFIG, **{p.stem: p for p in sorted((FIXTURES / "configs").glob("*.yaml"))},
           **{p.stem: p for p in sorted((FIXTURES / "registries").glob("*.yaml"))}}


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def case(request):
    config = load_config(CONFIGS[request.param])
    return config, derived.scenarios(config)


def _predicted(config, scenario) -> str:
    world = with_registries(scenario_world(scenario), config, scenario)
    return oracle.predict(config, world, scenario_event(scenario, world)).intent


def test_every_scenario_states_an_intent_the_config_predicts(case):
    config, scenarios = case
    assert len(scenarios) >= 40
    assert len({s.name for s in scenarios}) == len(scenarios)
    wrong = [(s.name, s.intent, _predicted(config, s)) for s in scenarios if _predicted(config, s) != s.intent]
    assert not wrong


def test_the_library_is_not_vacuous(case):
    config, scenarios = case
    intents = Counter(s.intent for s in scenarios)
    assert {"promote", "defer", "abort", "refuse", "skip", "not-triggered"} <= set(intents), intents
    fired = {s.event.workflow_run.workflow for s in scenarios if s.event.workflow_run and s.intent not in
             ("not-triggered", "skip")}
    assert {t.name for t in config.triggers} <= fired


def test_it_speaks_the_configs_names(case):
    config, scenarios = case
    short = config.tags.short_sha_length
    candidate = config.tags.candidate.replace("{short}", "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"[:short]) \
        .replace("{sha}", "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5")
    repos = [repository_keys.of_ref(image.ref) for image in config.images]
    for s in scenarios:
        assert s.repository.default_branch == config.branch
        assert list(s.registry) == repos
        assert all(s.workflows[0].file == config.e2e.workflow_file for s in scenarios)
        assert all(im.label_key == config.tags.revision_label for images in s.registry.values() for im in images
                   if s.name != "ancestry-other-label-key")
    happy = next(s for s in scenarios if s.name == "retag-all-move")
    assert all(candidate in im.tags for images in happy.registry.values() for im in images if im.revision == "target")


def test_every_gate_arm_and_image_has_its_scenarios(case):
    config, scenarios = case
    names = {s.name for s in scenarios}
    for image in config.images:
        assert {f"verify-{image.name}-missing", f"retag-{image.name}-refused"} <= names
    if not config.publish_triggers:
        return
    gate_runs = [s for s in scenarios if "gate" in s.tags]
    values = set()
    for s in gate_runs:
        world = scenario_world(s)
        values.add(oracle.e2e_state(config, world, world.sha("target")))
    arms = {gate.arm_for(config.gate.arms, v) for v in values if v != gate.API_ERROR}
    assert arms == set(range(len(config.gate.arms)))
    assert gate.API_ERROR in values and gate.NO_RUN in values


def test_a_bare_simulate_selects_the_derived_library_and_the_timelines_in_its_names():
    molecule = selection.select([], None, load_config(CONFIG))
    assert [s.name for s in molecule.scenarios] == [s.name for s in derived.scenarios(load_config(CONFIG))]
    assert len(molecule.timelines) >= 10
    acme = selection.select([], None, load_config(FIXTURES / "configs" / "acme.yaml"))
    # the built-in timelines in acme's names, but those whose fault needs a second image
    assert acme.timelines and all(t.publisher.images == ["acme/api"] for t in acme.timelines)
    assert {"split-latest", "split-rollback-per-sha"}.isdisjoint(t.name for t in acme.timelines)
    assert len(acme.timelines) == len(molecule.timelines) - 2
    assert len(selection.select(["parity"], None, load_config(CONFIG)).scenarios) == len(selection.builtin())


def test_a_name_picks_the_derived_scenario_first_then_the_hand_written_one():
    config = load_config(FIXTURES / "configs" / "acme.yaml")
    picked = selection.select(["gate-completed-failure"], None, config).scenarios
    assert [s.tags for s in picked] == [["derived", "gate"]]
    assert [s.name for s in selection.select(["happy-path"], None, config).scenarios] == ["happy-path"]


def test_hand_written_scenarios_state_intents():
    assert all(s.intent for s in selection.builtin())


def test_each_registry_host_has_its_login_and_failure_scenarios(case):
    """Per host the config's images name: bad credentials (a secret login), a pull-only account,
    a 401 on PUT, the host down; with several hosts also down only at retag; token auth elsewhere."""
    config, scenarios = case
    names = {s.name: s for s in scenarios if "registries" in s.tags}
    several = len(config.logins) > 1
    for host, login in config.logins:
        stem = f"registry-{host.replace('.', '-').replace(':', '-')}"
        wanted = {f"{stem}-put-401", f"{stem}-down"} | ({f"{stem}-down-at-retag"} if several else set())
        if login.login != "github-token":
            wanted |= {f"{stem}-bad-credentials", f"{stem}-push-refused"}
        if host not in ("ghcr.io", "index.docker.io"):
            wanted.add(f"{stem}-token-auth")
        assert wanted <= set(names), (host, wanted - set(names))
        down = names[f"{stem}-down"]
        assert [(f.host, f.status, f.method) for f in down.faults] == [(host, 503, None)]
    assert all(s.intent == "abort" for s in names.values() if not s.name.endswith("-token-auth"))


def test_a_login_failure_shows_where_each_login_kind_fails():
    """docker/login-action asks the registry at once (its step fails); crane auth login stores the
    password unchecked, so Verify's read is where a wrong one shows."""
    for fixture, failing in (("selfhosted", "Registry login (registry.example.com:5000)"),
                             ("dockerhub", "Verify :staging-<sha> exists for both images")):
        config = load_config(FIXTURES / "registries" / f"{fixture}.yaml")
        host = config.logins[0][0]
        s = next(s for s in derived.scenarios(config) if s.name == f"registry-{host.replace('.', '-').replace(':', '-')}"
                 "-bad-credentials")
        world = with_registries(scenario_world(s), config, s)
        expect = oracle.predict(config, world, scenario_event(s, world)).expect
        assert [t for t, step in expect.steps.items() if step.outcome == "failure"] == [failing]
        assert all(tags == {config.tags.target: "unchanged"} for tags in expect.registry.values())
