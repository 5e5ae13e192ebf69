"""Jobs joined by `needs:`, through the pod, each checked against GitHub's documented result.

Sources: docs "Using jobs in a workflow" > "Defining prerequisite jobs" (a job whose need failed or
was skipped is skipped unless its `if:` uses a status function such as `always()`); "Contexts
reference" > `needs` (`needs.<job_id>.result` is success, failure, cancelled or skipped;
`needs.<job_id>.outputs` holds the job's outputs, only direct needs are present); "Expressions" >
`failure()` ("if you have a chain of dependent jobs, failure() returns true if any ancestor job
fails"); actions/runner#2205 (the implicit `success()` of a job checks every ancestor: a skipped
grandparent skips the grandchild though its direct need succeeded); "Defining outputs for jobs"
(outputs are mapped from step outputs and evaluated on the runner when the job ends; "Outputs
containing secrets are redacted on the runner and not sent to GitHub Actions": the runner's
JobExtension logs "Skip output '<name>' since it may contain secret."); "Using secrets" (a secret
that is not set reads as an empty string).
"""
from __future__ import annotations

import textwrap

import pytest
from ruamel.yaml import YAML

from harness.runner.run import WorkflowRunner
from harness.trace.job import run_conclusion
from harness.workflow import events, model
from harness.world.world import World

pytestmark = pytest.mark.docker

SHA = "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"
WORKSPACE = "/home/runner/work/r/r"  # the workspace of repository o/r


def run(pod, text: str, secrets: dict | None = None, inputs: dict | None = None):
    workflow = model.parse(YAML(typ="rt").load(textwrap.dedent(text)), "wf.yml")
    world = World("o/r", "main", {SHA: []}, {}, SHA, "octo", "ghs_token", secrets=secrets or {})
    jobs = WorkflowRunner(pod, workflow, events.Dispatch(inputs or {}, "main"), world).run()
    return {j.id: j for j in jobs}, [j.id for j in jobs]


def log(job) -> list[str]:
    return [line for step in job.steps for _, line in step.log]


GATE_PROMOTE = """\
    on: workflow_dispatch
    jobs:
      notify:
        needs: [promote]
        if: failure()
        runs-on: ubuntu-latest
        steps: [{run: 'echo "promote ${{ needs.promote.result }}, gate ${{ needs.gate.result }}."'}]
      gate:
        runs-on: ubuntu-latest
        outputs:
          proceed: ${{ steps.g.outputs.proceed }}
          short: ${{ steps.g.outputs.short }}-${{ job.status }}
        steps:
          - id: g
            run: |
              echo "proceed=true" >> "$GITHUB_OUTPUT"
              echo "short=abc1234" >> "$GITHUB_OUTPUT"
      promote:
        needs: gate
        if: needs.gate.outputs.proceed == 'true'
        runs-on: ubuntu-latest
        steps:
          - run: echo "promoting ${{ needs.gate.outputs.short }} after ${{ needs.gate.result }}"
          - run: exit 1
      after:
        needs: promote
        runs-on: ubuntu-latest
        steps: [{run: echo never}]
      cleanup:
        needs: [after]
        if: always()
        runs-on: ubuntu-latest
        steps: [{run: 'echo "after was ${{ needs.after.result }}"'}]
    """


def test_needs_order_results_outputs_and_status_functions(pod):
    jobs, file_order = run(pod, GATE_PROMOTE)
    assert file_order == ["notify", "gate", "promote", "after", "cleanup"]  # every job is in the trace
    assert jobs["gate"].outputs == {"proceed": "true", "short": "abc1234-success"}
    assert log(jobs["promote"]) == ["promoting abc1234-success after success"]
    assert jobs["promote"].conclusion == "failure"
    # A job whose need failed is skipped (implicit success()), and so is everything after it.
    assert (jobs["after"].ran, jobs["after"].conclusion) == (False, "skipped")
    assert "did not succeed" in jobs["after"].skip_reason
    # failure() sees the failed ancestor; the needs context holds only the direct need (gate reads "").
    assert log(jobs["notify"]) == ["promote failure, gate ."]
    # always() runs though its need was skipped, and reads that result.
    assert log(jobs["cleanup"]) == ["after was skipped"]
    assert run_conclusion(list(jobs.values())) == "failure"


ANCESTORS = """\
    on: workflow_dispatch
    jobs:
      a: {if: "false", runs-on: ubuntu-latest, steps: [{run: echo a}]}
      b: {needs: a, if: always(), runs-on: ubuntu-latest, steps: [{run: echo b}]}
      c: {needs: b, runs-on: ubuntu-latest, steps: [{run: echo c}]}
      d: {needs: b, if: "always() && needs.b.result == 'success'", runs-on: ubuntu-latest, steps: [{run: echo d}]}
      e: {needs: b, if: "needs.b.result == 'success'", runs-on: ubuntu-latest, steps: [{run: echo e}]}
    """


def test_implicit_success_looks_at_every_ancestor(pod):
    jobs, _ = run(pod, ANCESTORS)
    assert [jobs[j].conclusion for j in "abcde"] == ["skipped", "success", "skipped", "success", "skipped"]
    assert jobs["a"].skip_reason == "if false → false"
    assert run_conclusion(list(jobs.values())) == "success"


SECRETS = """\
    on: workflow_dispatch
    jobs:
      j:
        runs-on: ubuntu-latest
        outputs:
          token: ${{ secrets.GITHUB_TOKEN }}
          key: prefix-${{ secrets.API_KEY }}
          plain: ${{ steps.s.outputs.plain }}
          unset: "[${{ secrets.NOT_SET }}]"
        steps:
          - id: s
            env: {KEY: "${{ secrets.API_KEY }}", MISSING: "${{ secrets.NOT_SET }}"}
            run: |
              echo "key=$KEY missing=[$MISSING]"
              echo "plain=visible" >> "$GITHUB_OUTPUT"
    """


def test_scenario_secrets_unset_ones_and_outputs_holding_secrets(pod):
    jobs, _ = run(pod, SECRETS, secrets={"API_KEY": "s3cr3t-value"})
    job = jobs["j"]
    assert log(job) == ["key=*** missing=[]"]
    assert job.outputs == {"plain": "visible", "unset": "[]"}
    assert job.notes == ["warning: Skip output 'token' since it may contain secret.",
                         "warning: Skip output 'key' since it may contain secret."]
