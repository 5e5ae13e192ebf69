"""The oracle: what the config's gate table and ancestry policy say must happen, without Docker."""
from __future__ import annotations

import pytest

from generator.configfile import load_config
from harness.checks import oracle
from harness.workflow import events
from harness.world.world import ImageRecord, UpstreamWorkflow, World
from tests.conftest import CONFIG


P, T = "9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61", "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"


def _world(latest_revision=P, e2e=None):
    world = World("molecule-ai/molecule-core", "main", {P: [], T: [P]}, {"prev": P, "target": T}, T, "op", "tok")
    wf = UpstreamWorkflow(4242, "e2e-staging-saas.yml", "E2E Staging SaaS (full lifecycle)")
    world.workflows.append(wf)
    if e2e:
        world.add_run(wf, T, *e2e)
    for repo in ("molecule-ai/platform", "molecule-ai/platform-tenant"):
        world.registry[repo] = [ImageRecord(["latest"], latest_revision, "oci"),
                                ImageRecord(["staging-3a7f12c"], T, "oci")]
    return world


@pytest.mark.parametrize("e2e, proceed, conclusion", [
    (("completed", "success"), "true", "success"),
    (("completed", "failure"), "false", "failure"),
    (("completed", "cancelled"), "false", "success"),
    (("in_progress", None), "false", "success"),
    (None, "true", "success"),
])
def test_oracle_follows_the_gate_table(e2e, proceed, conclusion):
    config = load_config(CONFIG)
    derived = oracle.derive(config, _world(e2e=e2e), events.WorkflowRun(
        "publish-workspace-server-image", "completed", "success", T, "main"))
    titles = oracle.step_titles(config)
    assert derived.steps[titles["gate"]].outputs == {"proceed": proceed}
    assert derived.conclusion == conclusion
    ran = [title for title, step in derived.steps.items() if step.ran]
    assert ran == ([titles["sha"], titles["gate"]] if proceed == "false" else list(titles.values()))


def test_oracle_refuses_to_move_backwards():
    config = load_config(CONFIG)
    derived = oracle.derive(config, _world(latest_revision=T), events.WorkflowRun(
        "E2E Staging SaaS (full lifecycle)", "completed", "success", P, "main"))
    titles = oracle.step_titles(config)
    assert derived.steps[titles["verify"]].outcome == "failure"  # no staging-9c1d4e0 tag in this world
    world = _world(latest_revision=T)
    world.registry["molecule-ai/platform"].append(ImageRecord(["staging-9c1d4e0"], P, "oci"))
    world.registry["molecule-ai/platform-tenant"].append(ImageRecord(["staging-9c1d4e0"], P, "oci"))
    derived = oracle.derive(config, world, events.WorkflowRun(
        "E2E Staging SaaS (full lifecycle)", "completed", "success", P, "main"))
    assert derived.steps[titles["ancestry"]].outputs == {"decision": "behind"} and derived.conclusion == "failure"
    assert derived.steps[titles["retag:platform"]].ran is False


def test_step_titles_follow_the_steps_not_their_positions():
    """With protect_split a Record step comes before the retags; each role keeps its own title."""
    config = load_config(CONFIG)
    hardened = config.model_copy(update={"retag": config.retag.model_copy(update={"protect_split": True})})
    titles = oracle.step_titles(hardened)
    assert titles["retag:platform"].startswith("Retag platform")
    assert titles["record"] == "Record :latest digests" and titles["split-check"] == "Check :latest moved together"
    assert oracle.step_titles(config)["retag:platform"] == titles["retag:platform"]


def test_oracle_expects_the_split_protection_around_the_retags():
    config = load_config(CONFIG)
    hardened = config.model_copy(update={"retag": config.retag.model_copy(update={"protect_split": True})})
    titles = oracle.step_titles(hardened)
    event = events.WorkflowRun("publish-workspace-server-image", "completed", "success", T, "main")
    derived = oracle.derive(hardened, _world(e2e=("completed", "success")), event)
    ran = [title for title, step in derived.steps.items() if step.ran]
    assert ran == list(titles.values()) and derived.conclusion == "success"
    stopped = oracle.derive(hardened, _world(e2e=("completed", "failure")), event)
    assert not stopped.steps[titles["record"]].ran and not stopped.steps[titles["split-check"]].ran
