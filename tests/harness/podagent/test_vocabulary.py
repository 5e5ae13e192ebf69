"""The agent is a program of its own (standard library only), so it keeps its own copy of a few
words; they must match the harness's."""
from __future__ import annotations

from generator.vocabulary import RUN_STATUSES
from harness.library import fault
from harness.podagent import faults, github_api


def test_the_agent_knows_the_same_run_statuses():
    assert github_api.RUN_STATUSES == set(RUN_STATUSES)


def test_the_agent_knows_the_same_faults():
    assert faults.KINDS == fault.KINDS and faults.SERVICES == fault.SERVICES
