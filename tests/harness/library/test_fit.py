"""Built-in timelines in any config's names (harness/library/fit.py), and the settings their as-is
expectations assume (harness/play/variants.py)."""
from __future__ import annotations

import re

import pytest

from generator.configfile import load_config
from harness.library import selection
from harness.library.fit import fit
from harness.play.variants import unmet
from tests.conftest import CONFIG, FIXTURES

TIMELINES = selection.builtin_timelines()
MOLECULE = load_config(CONFIG)
ACME = load_config(FIXTURES / "configs/acme.yaml")
FLEET = load_config(FIXTURES / "configs/fleet.yaml")


def by_name(config):
    return {t.name: fit(t, config) for t in TIMELINES}


def test_molecule_cores_timelines_are_played_as_written():
    assert all(fit(t, MOLECULE).timeline is t for t in TIMELINES)
    assert all(unmet(MOLECULE, t.assumes) == {} for t in TIMELINES)


def test_acme_names_everywhere():
    fitted = by_name(ACME)
    t = fitted["history-cancelled-is-not-failure"].timeline
    assert t.publisher.workflow == "build-and-push" and t.publisher.images == ["acme/api"]
    assert t.publisher.candidate == "sha-{short}"
    assert (t.e2e.workflow, t.e2e.file) == ("Integration", "integration.yml")
    assert t.repository.default_branch == "trunk"
    assert [image.tags for image in t.registry["acme/api"]] == [["sha-9c1d4e0a7b3f", "stable"]]
    assert set(t.registry) == {"acme/api"} and dict(t.expect.latest) == {"acme/api": "c2"}
    assert fitted["branch-glob-fails-open"].timeline.repository.default_branch == "release/1.4"  # its own branch


def test_one_image_cannot_split():
    fitted = by_name(ACME)
    assert fitted["split-latest"].timeline is None and "second image" in fitted["split-latest"].skipped
    race = fitted["race-backwards"].timeline
    assert dict(race.expect.invariants) == {"no-backwards": "broken"}


def test_the_second_image_stands_for_every_other():
    t = by_name(FLEET)["split-latest"].timeline
    (fault,) = [e.registry_fault for e in t.events if e.registry_fault and e.registry_fault.state == "start"]
    hits = [p for p in ("/v2/fleet/web/manifests/prod", "/v2/fleet/worker/manifests/prod",
                        "/v2/fleet/cron/manifests/prod", "/v2/fleet/cron/manifests/latest") if re.search(fault.path, p)]
    assert hits == ["/v2/fleet/worker/manifests/prod", "/v2/fleet/cron/manifests/prod"]
    protected = next(v for v in t.variants if v.name == "protect-split")
    assert dict(protected.expect.latest) == {"fleet/web": "prev", "fleet/worker": "prev", "fleet/cron": "prev"}


def test_a_fault_hits_the_host_of_the_image_it_stands_for():
    """ghcr.io's acme/api and Docker Hub's acme/api share a path on the wire: the fault names the host."""
    config = load_config(FIXTURES / "registries/ghcr-dockerhub.yaml")
    t = by_name(config)["split-latest"].timeline
    (fault,) = [e.registry_fault for e in t.events if e.registry_fault and e.registry_fault.state == "start"]
    assert (fault.host, fault.path) == ("index.docker.io", "^/v2/acme/api/manifests/latest$")
    assert t.publisher.images == ["acme/api", "index.docker.io/acme/api"]
    assert set(t.registry) == {"acme/api", "index.docker.io/acme/api"}
    on_ghcr = by_name(FLEET)["split-latest"].timeline
    assert all(e.registry_fault.host is None for e in on_ghcr.events if e.registry_fault)


def test_a_fault_that_stands_for_images_on_several_hosts_does_not_apply():
    config = load_config(FIXTURES / "registries/ghcr-dockerhub.yaml")
    third = config.images[0].model_copy(update={"name": "ui", "ref": "ghcr.io/acme/ui", "env": "UI_IMAGE"})
    mixed = config.model_copy(update={"images": [*config.images, third]})
    fitted = by_name(mixed)["split-latest"]
    assert fitted.timeline is None
    assert fitted.skipped.endswith("stands for images on 2 registry hosts (ghcr.io, index.docker.io), and a fault "
                                   "hits one host")


@pytest.mark.parametrize("config, name, wanted", [
    (ACME, "outage-fails-open", {"gate.on_api_error": "proceed"}),
    (ACME, "private-repo-token", {"gate.on_api_error": "proceed", "permissions.actions": "none"}),
    (FLEET, "race-backwards", {"concurrency.policy": "per-sha", "retag.protect_split": False}),
    (FLEET, "busy-day", {"ancestry.on_dispatch": "skip"}),
    (ACME, "history-cancelled-is-not-failure", {}),
])
def test_assumed_settings_the_config_lacks(config, name, wanted):
    timeline = next(t for t in TIMELINES if t.name == name)
    assert unmet(config, timeline.assumes) == wanted


def test_a_star_only_gate_gets_the_seed_table_where_assumed():
    star = MOLECULE.model_copy(update={"gate": MOLECULE.gate.model_copy(
        update={"arms": [MOLECULE.gate.arms[0].model_copy(update={"match": ["*"], "action": "abort"})]})})
    timeline = next(t for t in TIMELINES if t.name == "history-empty-run-list")
    assert set(unmet(star, timeline.assumes)) == {"gate.arms"}


def test_a_timeline_that_assumes_the_render_plays_it_instead_of_another_workflow():
    """ancestry-error-text's as-is expectation is about the check the generator always renders: the
    committed render plays as it is, the hand-written seed is replaced by the render (and says so)."""
    from harness.play.variants import subjects
    from tests.conftest import ROOT

    timeline = next(t for t in TIMELINES if t.name == "ancestry-error-text")
    assert timeline.assumes_render
    ours = subjects(timeline, ROOT / ".github/workflows/auto-promote-on-e2e.yml", MOLECULE)[0]
    assert ours.display.endswith("auto-promote-on-e2e.yml")
    seed = subjects(timeline, FIXTURES / "seed-auto-promote-on-e2e.yml", MOLECULE)[0]
    assert seed.display.startswith("rendered from the config (assumed: the generator's render")
    plain = next(t for t in TIMELINES if t.name == "history-empty-run-list")
    assert subjects(plain, FIXTURES / "seed-auto-promote-on-e2e.yml", MOLECULE)[0].display.endswith("seed-auto-promote-on-e2e.yml")



def test_the_revision_label_is_the_configs():
    star = load_config(FIXTURES / "configs/star40.yaml")
    t = fit(next(t for t in TIMELINES if t.name == "history-completions-out-of-order"), star).timeline
    assert t.publisher.label_key == "org.example.commit"
    assert {image.label_key for images in t.registry.values() for image in images} == {"org.example.commit"}
