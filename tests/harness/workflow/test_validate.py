"""What GitHub refuses before a run starts, and what the harness refuses because it does not model
it: one `file:line:col` line each, before anything runs (no Docker here)."""
from __future__ import annotations

import textwrap

import pytest
from ruamel.yaml import YAML

from generator.loader import InputError
from harness.play import workflows
from harness.runner.run import ancestors, order
from harness.workflow import model

HEAD = "on: workflow_dispatch\njobs:\n"


def parse(text: str) -> model.Workflow:
    return model.parse(YAML(typ="rt").load(text), "wf.yml")


def refusal(jobs: str, head: str = HEAD) -> str:
    with pytest.raises(InputError) as caught:
        parse(head + textwrap.indent(textwrap.dedent(jobs), "  "))
    return str(caught.value)


# Each case: the workflow's jobs, the position and the words of the one line. GitHub's documented
# result is in the comment; the harness must say the same before anything runs.
CASES = [
    # Workflow syntax, jobs.<job_id>: "must start with a letter or _ and contain only alphanumeric
    # characters, -, or _" -> GitHub reports the file invalid, nothing runs.
    ("1build:\n  runs-on: ubuntu-latest\n  steps: [{run: 'true'}]\n", "wf.yml:3:3: jobs.1build: a job id"),
    ("bad.id:\n  runs-on: ubuntu-latest\n  steps: [{run: 'true'}]\n", "wf.yml:3:3: jobs.bad.id: a job id"),
    # jobs.<job_id>.needs names a job that does not exist: "Job 'b' depends on unknown job 'nope'" (invalid file).
    ("b:\n  needs: nope\n  runs-on: ubuntu-latest\n  steps: [{run: 'true'}]\n",
     "wf.yml:4:5: jobs.b.needs: `nope` is not a job in this workflow"),
    # A cycle in needs: "Job 'a' depends on job 'b' which creates a cycle" (invalid file; actionlint: cyclic dependency).
    ("a:\n  needs: b\n  runs-on: ubuntu-latest\n  steps: [{run: 'true'}]\n"
     "b:\n  needs: [a]\n  runs-on: ubuntu-latest\n  steps: [{run: 'true'}]\n",
     "wf.yml:4:5: jobs.a.needs: a cycle: a → b → a"),
    ("a:\n  needs: a\n  runs-on: ubuntu-latest\n  steps: [{run: 'true'}]\n", "jobs.a.needs: job `a` needs itself"),
    # jobs.<job_id>.steps[*].uses: "{owner}/{repo}@{ref}" -- a ref is required; without it the file is invalid.
    ("a:\n  runs-on: ubuntu-latest\n  steps:\n    - uses: imjasonh/setup-crane\n",
     "wf.yml:6:9: jobs.a.steps.0.uses: `imjasonh/setup-crane` needs a ref"),
    # runs-on: windows-latest / macos-latest is another OS: refused, never run on Linux silently.
    ("a:\n  runs-on: windows-latest\n  steps: [{run: 'true'}]\n",
     "wf.yml:4:5: jobs.a.runs-on: refused: `windows-latest` is another OS"),
    ("a:\n  runs-on: [macos-14]\n  steps: [{run: 'true'}]\n", "jobs.a.runs-on: refused: `macos-14` is another OS"),
    ("a:\n  runs-on: self-hosted\n  steps: [{run: 'true'}]\n", "refused: `self-hosted` is not a hosted Ubuntu x64"),
    ("a:\n  runs-on: ubuntu-24.04-arm\n  steps: [{run: 'true'}]\n", "refused: `ubuntu-24.04-arm` is not a hosted"),
    ("a:\n  runs-on: ${{ inputs.os }}\n  steps: [{run: 'true'}]\n", "picks the runner at run time"),
    ("a:\n  runs-on: {group: big}\n  steps: [{run: 'true'}]\n", "refused: runner groups and label mappings"),
    ("a:\n  steps: [{run: 'true'}]\n", "wf.yml:3:3: jobs.a: a `runs-on:` key"),
    # Keys the harness does not model: refused with the reason.
    ("a:\n  runs-on: ubuntu-latest\n  strategy: {matrix: {x: [1, 2]}}\n  steps: [{run: 'true'}]\n",
     "wf.yml:5:5: jobs.a.strategy: refused: matrix jobs are not modelled"),
    ("a:\n  runs-on: ubuntu-latest\n  continue-on-error: true\n  steps: [{run: 'true'}]\n",
     "jobs.a.continue-on-error: refused"),
    ("a:\n  uses: ./.github/workflows/other.yml\n", "jobs.a.uses: refused: reusable workflows"),
    # Keys GitHub does not know make the file invalid there too.
    ("a:\n  runs-on: ubuntu-latest\n  step: []\n  steps: [{run: 'true'}]\n", "jobs.a.step: not a job key GitHub knows"),
    ("a:\n  runs-on: ubuntu-latest\n  steps: [{run: 'true', workdir: x}]\n",
     "jobs.a.steps.0.workdir: not a step key GitHub knows"),
]
ONE_JOB = "a:\n  runs-on: ubuntu-latest\n  steps: [{run: 'true'}]\n"


@pytest.mark.parametrize("jobs, message", CASES)
def test_refused_before_anything_runs(jobs, message):
    assert message in refusal(jobs)


def test_workflow_defaults_take_no_expressions():
    """The contexts table lists no context for workflow-level `defaults.run`, so `${{ }}` is invalid there."""
    head = "on: workflow_dispatch\ndefaults:\n  run: {shell: '${{ env.S }}'}\njobs:\n"
    assert refusal(ONE_JOB, head=head).startswith("wf.yml:3:9: defaults.run.shell: no `${{ }}`")


def test_unknown_workflow_key_is_refused():
    assert refusal(ONE_JOB, head="on: workflow_dispatch\nconcurency: x\njobs:\n").startswith(
        "wf.yml:2:1: concurency: not a workflow key GitHub knows")


def test_needs_are_case_insensitive_and_outputs_kept():
    workflow = parse(HEAD + textwrap.indent(textwrap.dedent("""\
        Gate:
          runs-on: ubuntu-22.04
          outputs: {proceed: "${{ steps.g.outputs.proceed }}"}
          steps: [{id: g, run: 'true'}]
        promote:
          needs: gate
          runs-on: [ubuntu-latest]
          defaults: {run: {shell: bash}}
          steps: [{run: 'true'}]
        """), "  "))
    gate, promote = workflow.jobs
    assert promote.needs == ("Gate",) and gate.outputs == {"proceed": "${{ steps.g.outputs.proceed }}"}
    assert (promote.shell, promote.runs_on) == ("bash", "ubuntu-latest")
    assert promote.steps[0].where == "wf.yml:11:13"


def test_job_defaults_may_use_expressions_workflow_defaults_reach_every_job():
    workflow = parse("on: workflow_dispatch\ndefaults: {run: {working-directory: top, shell: sh}}\njobs:\n" +
                     textwrap.indent(textwrap.dedent("""\
        a:
          runs-on: ubuntu-latest
          defaults: {run: {shell: "${{ env.MY_SHELL }}"}}
          steps: [{run: 'true', working-directory: sub}]
        b: {runs-on: ubuntu-latest, steps: [{run: 'true'}]}
        """), "  "))
    a, b = workflow.jobs
    assert (a.shell, a.working_directory, a.steps[0].working_directory) == ("${{ env.MY_SHELL }}", "top", "sub")
    assert (b.shell, b.working_directory) == ("sh", "top")


def test_jobs_run_in_dependency_order_file_order_among_ready_ones():
    workflow = parse(HEAD + textwrap.indent(textwrap.dedent("""\
        notify: {needs: [promote], runs-on: ubuntu-latest, steps: [{run: 'true'}]}
        promote: {needs: gate, runs-on: ubuntu-latest, steps: [{run: 'true'}]}
        lint: {runs-on: ubuntu-latest, steps: [{run: 'true'}]}
        gate: {runs-on: ubuntu-latest, steps: [{run: 'true'}]}
        """), "  "))
    assert [j.id for j in order(workflow)] == ["lint", "gate", "promote", "notify"]
    assert ancestors(workflow, workflow.jobs[0]) == ["promote", "gate"]


def test_an_unknown_action_is_refused_at_its_line(tmp_path):
    path = tmp_path / "wf.yml"
    path.write_text(HEAD + "  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n")
    with pytest.raises(InputError) as caught:
        workflows.load(path)
    assert str(caught.value).startswith(f"{path}:6:9: job a, step 1")
