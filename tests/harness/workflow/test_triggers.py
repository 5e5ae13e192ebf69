"""Does an event trigger the workflow: `on.workflow_run` filters and `workflow_dispatch`."""
from __future__ import annotations

import pytest

from harness.workflow import events, model, triggers
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return model.load(SEED)


def _run(workflow="publish-workspace-server-image", action="completed", branch="main"):
    return events.WorkflowRun(workflow, action, "success", "a" * 40, branch)


@pytest.mark.parametrize("event, triggered, why", [
    (_run(), True, "workflow_run completed"),
    (_run(workflow="E2E Staging SaaS (full lifecycle)"), True, "workflow_run completed"),
    (_run(workflow="lint"), False, "which `workflows:` does not list"),
    (_run(action="requested"), False, "type 'requested' is not in"),
    (_run(branch="staging"), False, "branch 'staging' is filtered out"),
    (events.Dispatch({"sha": "abc"}, "main"), True, "workflow_dispatch"),
])
def test_trigger_filters(seed, event, triggered, why):
    decision = triggers.decide(seed, event)
    assert decision.triggered is triggered and why in decision.reason


@pytest.mark.parametrize("patterns, branch, expected", [
    (["main"], "main", True), (["release/*"], "release/1.2", True), (["release/*"], "release/1/2", False),
    (["release/**"], "release/1/2", True), (["*", "!main"], "main", False), (["*", "!main"], "dev", True),
])
def test_branch_patterns(patterns, branch, expected):
    assert triggers.filter_match(patterns, branch) is expected


def test_seed_parses_with_its_steps(seed):
    (job,) = seed.jobs
    assert [s.id for s in job.steps if s.id] == ["sha", "gate", "ancestry"]
    assert job.steps[2].uses.startswith("imjasonh/setup-crane@")
