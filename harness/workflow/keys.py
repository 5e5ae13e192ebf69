"""Every key a workflow file may hold: modelled with GitHub's semantics, or refused with a reason.

A key in neither table is one GitHub does not know, so the file is invalid there too. The README's
"What the runner models" section lists both tables (tests/harness/workflow/test_keys.py keeps it
honest). Nothing is run on a guess: a refused key stops the file before anything runs.
"""
from __future__ import annotations

# key → what the harness does with it (GitHub's semantics, sources in the tests).
WORKFLOW_MODELLED = {
    "name": "the workflow's name (`github.workflow`)",
    "run-name": "the run's display title only: nothing a step sees",
    "on": "`workflow_run` (workflows, types, branches, branches-ignore) and `workflow_dispatch` "
          "(inputs, validated as the dispatch API does); other events are never fired",
    "permissions": "the job token's scopes, enforced by the API stub for a private repository",
    "env": "the workflow's env, evaluated per job",
    "defaults": "`run.shell` and `run.working-directory` for every job's `run` steps (no expressions: "
                "GitHub allows no context there)",
    "concurrency": "the run's concurrency group",
    "jobs": "run in dependency order",
}
WORKFLOW_REFUSED: dict[str, str] = {}

JOB_MODELLED = {
    "name": "the job's display name",
    "needs": "dependency order; skipped when a need did not succeed unless `if:` calls a status function; "
             "`needs.<id>.result` and `.outputs`",
    "if": "evaluated with github, needs, vars and inputs; implicit `success()` over every ancestor job",
    "runs-on": "`ubuntu-latest`, `ubuntu-24.04` or `ubuntu-22.04` (the hosted Ubuntu x64 image)",
    "permissions": "the job token's scopes",
    "env": "the job's env, after the workflow's",
    "defaults": "`run.shell` and `run.working-directory` for the job's `run` steps, evaluated when the job "
                "starts with github, needs, strategy, matrix, env, vars and inputs",
    "outputs": "evaluated from step outputs when the job ends (a value holding a secret is skipped, "
               "as the runner does)",
    "steps": "run one after another in one runner container",
    "timeout-minutes": "caps each step's timeout by the time the job has left",
    # Registry logins keep their secrets in one (issue 11). Its protection rules (reviewers, wait
    # timers, branch policies) are not modelled: the job runs as if they passed.
    "environment": "its secrets are the scenario's `secrets:`; protection rules are taken as passed",
}
JOB_REFUSED = {
    "strategy": "matrix jobs are not modelled",
    "container": "job containers are not modelled (steps run on the hosted Ubuntu image)",
    "services": "service containers are not modelled",
    "uses": "reusable workflows are not modelled",
    "with": "inputs of a reusable workflow, which is not modelled",
    "secrets": "secrets of a reusable workflow, which is not modelled",
    "concurrency": "job-level concurrency groups are not modelled",
    "continue-on-error": "job-level continue-on-error is not modelled",
}

STEP_MODELLED = {
    "id": "names the step for `steps.<id>`",
    "name": "the step's title",
    "if": "evaluated with implicit `success()`",
    "run": "the script, run as the runner runs it",
    "uses": "only the known actions (`imjasonh/setup-crane`), pinned with `@ref`",
    "with": "the known action's inputs",
    "env": "the step's env, after the job's",
    "shell": "`bash`, `sh`, or a command line with `{0}`",
    "working-directory": "where a `run` step runs: evaluated with the step's contexts, relative to the "
                         "workspace; a missing directory fails the step as the runner does",
    "continue-on-error": "a failure concludes `success`",
    "timeout-minutes": "the step is stopped after this long",
}
STEP_REFUSED: dict[str, str] = {}

DEFAULTS_RUN = ("shell", "working-directory")

# GitHub's hosted runners by label: (ImageOS, whether the harness models it, reason when not).
RUNNER_LABELS = {
    "ubuntu-latest": "ubuntu24",
    "ubuntu-24.04": "ubuntu24",
    "ubuntu-22.04": "ubuntu22",
}
OTHER_OS = ("windows", "macos")
