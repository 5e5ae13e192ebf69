"""The seed and the rendered workflow, run through the whole library, take the same decisions:
trigger, job, each step's outcome, exit code and outputs, annotations, and every tag's digest."""
from __future__ import annotations

import pytest

from harness.library import selection

pytestmark = pytest.mark.docker
SCENARIOS = {s.name: s for s in selection.builtin()}

# Fields where the README allows the two to differ: none of the decisions below.
ALLOWED: dict[str, set[str]] = {}


def decisions(t) -> dict:
    return {
        "triggered": t.triggered,
        "jobs": [(j.id, j.ran, j.conclusion) for j in t.jobs],
        "steps": [(s.title, s.ran, s.outcome, s.exit_code, dict(sorted(s.outputs.items()))) for s in t.steps()],
        "annotations": [str(a) for s in t.steps() for a in s.annotations],
        "registry": t.registry_after,
        "api requests": t.api_requests(),
    }


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_seed_and_rendered_agree(library_traces, name):
    ours = decisions(library_traces["rendered"][name])
    seed = decisions(library_traces["seed"][name])
    for field in ALLOWED.get(name, ()):
        ours.pop(field), seed.pop(field)
    assert ours == seed


def test_the_library_covers_enough():
    assert len(SCENARIOS) >= 45
    tags = {tag for s in SCENARIOS.values() for tag in s.tags}
    assert {"triggers", "gate", "verify", "ancestry", "retag", "dispatch", "weakness"} <= tags
