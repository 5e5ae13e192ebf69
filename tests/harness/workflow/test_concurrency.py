"""GitHub's concurrency queue, as the harness applies it to overlapping runs.

The rules are GitHub's documented ones ("Control the concurrency of workflows and jobs",
https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency,
formerly "Using concurrency"): "there can be at most one running and one pending job in a
concurrency group at any time"; a run queued while another in its group is in progress is
pending, and "any existing pending job or workflow in the same concurrency group ... will be
canceled and the new queued job or workflow will take its place"; `cancel-in-progress: true`
also cancels the running one, and may be an expression; `queue: max` lets up to 100 runs wait
(a run queued when they are full is cancelled); group names are case-insensitive. A cancelled
run says "Canceling since a higher priority waiting request for '<group>' exists". The queue
is GitHub's server side: actions/runner only carries the cancellation out, and after it a step's
`success()` and `failure()` are false and `cancelled()` is true (src/Runner.Worker/Expressions/
SuccessFunction.cs, FailureFunction.cs: each compares the job's status, which is then Cancelled).
nektos/act has no queue to compare with: its workflow model (pkg/model/workflow.go) has no
`concurrency` field, so act runs every run it is given.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.workflow import concurrency, contexts, events, model
from harness.workflow.concurrency import Concurrency, schedule


def _group(name, **settings) -> Concurrency:
    return Concurrency(name, **settings)


def test_a_burst_of_three_in_one_group_runs_the_first_and_the_last():
    plan = schedule([_group("promote")] * 3)
    assert [lane.runs for lane in plan.lanes] == [[0, 2]]
    assert list(plan.cancelled) == [1] and plan.cancelled[1].startswith("while pending, replaced by the third run")
    assert "Canceling since a higher priority waiting request for 'promote' exists" in plan.cancelled[1]
    assert not plan.overlaps  # one group, nothing cancelled mid-run: the two runs go one after the other


def test_each_newer_run_replaces_the_pending_one():
    plan = schedule([_group("promote")] * 5)
    assert plan.lanes[0].runs == [0, 4]
    assert sorted(plan.cancelled) == [1, 2, 3]
    assert "replaced by the third run" in plan.cancelled[1] and "replaced by the fifth run" in plan.cancelled[3]


def test_two_in_one_group_both_run():
    plan = schedule([_group("promote")] * 2)
    assert plan.lanes[0].runs == [0, 1] and plan.cancelled == {}


def test_groups_are_case_insensitive_and_runs_without_a_group_never_wait():
    plan = schedule([_group("Promote"), _group("promote"), _group(None), _group(None)])
    assert [lane.runs for lane in plan.lanes] == [[0, 1], [2], [3]]
    assert plan.overlaps


def test_per_sha_groups_overlap():
    plan = schedule([_group("p-c1"), _group("p-c2"), _group("p-c1")])
    assert [lane.runs for lane in plan.lanes] == [[0, 2], [1]] and plan.cancelled == {}


def test_cancel_in_progress_cancels_the_running_run_and_the_pending_one_is_still_replaced():
    plan = schedule([_group("g", cancel_in_progress=True)] * 3)
    lane = plan.lanes[0]
    assert lane.runs == [0, 2] and lane.cut
    assert plan.cancelled[0].startswith("in progress, by the second run's cancel-in-progress")
    assert plan.cancelled[1].startswith("while pending, replaced by the third run")
    assert plan.overlaps
    # The cancel may fall before any of the first run's steps, or between any two of them.
    assert lane.shapes(3) == ["ccc", "accc", "aaccc"]


def test_cancel_in_progress_is_the_newer_runs_setting():
    plan = schedule([_group("g", cancel_in_progress=True), _group("g")])
    assert not plan.lanes[0].cut and plan.cancelled == {}


def test_queue_max_keeps_every_run_waiting_up_to_its_limit():
    plan = schedule([_group("g", queue="max")] * 4)
    assert plan.lanes[0].runs == [0, 1, 2, 3] and plan.cancelled == {}
    full = schedule([_group("g", queue="max")] * (concurrency.PENDING_MAX + 2))
    assert list(full.cancelled) == [concurrency.PENDING_MAX + 1]
    assert full.cancelled[concurrency.PENDING_MAX + 1].startswith("on arrival")


def _workflow(block) -> model.Workflow:
    return model.parse({"on": {"workflow_dispatch": {}}, "concurrency": block,
                        "jobs": {"j": {"runs-on": "ubuntu-latest", "steps": [{"run": "true"}]}}}, "wf.yml")


@pytest.mark.parametrize("block, expected", [
    ("promote-${{ github.event_name }}", Concurrency("promote-workflow_dispatch")),
    ({"group": "g", "cancel-in-progress": True}, Concurrency("g", True)),
    ({"group": "g", "cancel-in-progress": "${{ github.event_name == 'workflow_dispatch' }}"}, Concurrency("g", True)),
    ({"group": "g", "cancel-in-progress": "${{ github.event_name == 'push' }}"}, Concurrency("g", False)),
    ({"group": "g", "queue": "max"}, Concurrency("g", False, "max")),
    (None, Concurrency(None)),
])
def test_the_workflows_block_is_evaluated_per_run(block, expected):
    workflow = _workflow(block)
    repo = SimpleNamespace(repository="o/r", default_branch="main", head="a" * 40, actor="octo", token="t")
    ctx = contexts.for_run(workflow, events.Dispatch({}, "main"), repo)
    assert concurrency.evaluate(workflow, ctx) == expected
