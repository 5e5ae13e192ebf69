"""GitHub Actions' words for runs and steps, written once.

The generator checks gate patterns against them; the harness's file schemas, triggers, stubs and
checks use them too. They live on the generator's side because the generator must not import the
harness, and the harness already rests on the generator.
"""
from __future__ import annotations

# A workflow run's `status` and `conclusion`, as the REST API and `gh run list --json` report them.
RUN_STATUSES = ("queued", "in_progress", "completed", "requested", "waiting", "pending")
RUN_CONCLUSIONS = ("success", "failure", "neutral", "cancelled", "skipped", "timed_out",
                   "action_required", "stale", "startup_failure")
# The activity types of the `workflow_run` event.
RUN_ACTIONS = ("completed", "requested", "in_progress")
# A step's `outcome` (before continue-on-error) and `conclusion` (after it).
STEP_OUTCOMES = ("success", "failure", "skipped", "cancelled")
# What a job ends as, in the harness's traces and expectations.
JOB_CONCLUSIONS = ("success", "failure", "skipped")
