"""Step features teams add to these workflows, through the pod, each against GitHub's documented result.

Sources: workflow syntax, `jobs.<job_id>.steps[*].working-directory` and `defaults.run` ("a step's
working-directory overrides the default"; relative paths are under GITHUB_WORKSPACE; a directory
that does not exist fails the step: actions/runner ProcessInvoker "An error occurred trying to
start process ... with working directory ..."); the contexts table (`jobs.<job_id>.defaults.run`:
github, needs, strategy, matrix, env, vars, inputs); actions/runner ActionCommandManager
(`set-env`/`add-path` throw "The `set-env` command is disabled..." and the step fails unless the
env context sets ACTIONS_ALLOW_UNSECURE_COMMANDS to true); "Default environment variables"
(RUNNER_OS Linux, RUNNER_ARCH X64, RUNNER_TEMP, RUNNER_TOOL_CACHE); actions/runner-images
images/ubuntu/scripts/build/configure-environment.sh (ImageOS and RUNNER_TOOL_CACHE=/opt/hostedtoolcache
in /etc/environment; ImageOS is the template's image_os, ubuntu24 for ubuntu-24.04 = ubuntu-latest,
ubuntu22 for ubuntu-22.04); SHELL=/bin/bash, the runner user's login shell, as `env` prints it on
the hosted image (no doc page lists it).
"""
from __future__ import annotations

import pytest

from harness.workflow.commands import DISABLED
from tests.harness.runner.test_needs import WORKSPACE, log, run

pytestmark = pytest.mark.docker

WORKING_DIRECTORY = """\
    on: workflow_dispatch
    defaults:
      run: {working-directory: top}
    jobs:
      wf-default:
        runs-on: ubuntu-latest
        steps:
          - {run: mkdir -p top, working-directory: .}
          - run: pwd
      job-default:
        runs-on: ubuntu-latest
        env: {SUB: inner}
        defaults:
          run: {working-directory: "a/${{ env.SUB }}"}
        steps:
          - {run: mkdir -p a/inner b/c, working-directory: .}
          - run: pwd
          - {id: where, run: 'echo "dir=b" >> "$GITHUB_OUTPUT"', working-directory: /tmp}
          - {run: pwd, working-directory: "${{ steps.where.outputs.dir }}/c"}
          - {run: echo never, working-directory: missing}
    """


def test_working_directory_and_defaults(pod):
    jobs, _ = run(pod, WORKING_DIRECTORY)
    assert log(jobs["wf-default"]) == [f"{WORKSPACE}/top"]
    job = jobs["job-default"]
    assert log(job) == [f"{WORKSPACE}/a/inner", f"{WORKSPACE}/b/c"]
    missing = job.steps[-1]
    assert (missing.ran, missing.outcome, missing.exit_code) == (True, "failure", None)
    assert [str(a) for a in missing.annotations] == [
        f"error: An error occurred trying to start process '/usr/bin/bash' with working directory "
        f"'{WORKSPACE}/missing'. No such file or directory"]
    assert job.conclusion == "failure"


SHELL = """\
    on: workflow_dispatch
    jobs:
      j:
        runs-on: ubuntu-latest
        env: {MY_SHELL: sh}
        defaults:
          run: {shell: "${{ env.MY_SHELL }}"}
        steps:
          - run: readlink /proc/$$/exe
      broken:
        runs-on: ubuntu-latest
        defaults:
          run: {shell: "${{ steps.x.outputs.y }}"}
        steps:
          - run: echo never
    """


def test_job_defaults_shell_sees_env_and_nothing_it_may_not(pod):
    jobs, _ = run(pod, SHELL)
    assert log(jobs["j"]) == ["/usr/bin/dash"]
    broken = jobs["broken"]
    assert broken.conclusion == "failure" and broken.steps == []
    assert "defaults.run could not be evaluated" in broken.notes[0] and "steps" in broken.notes[0]


UNSECURE = """\
    on: workflow_dispatch
    jobs:
      refused:
        runs-on: ubuntu-latest
        steps:
          - run: |
              echo "::set-env name=FOO::bar"
              echo "after"
          - {if: always(), run: 'echo "FOO=[${FOO:-}]"'}
          - {if: always(), run: 'echo "::add-path::/opt/x"', env: {ACTIONS_ALLOW_UNSECURE_COMMANDS: "yes"}}
      allowed:
        runs-on: ubuntu-latest
        env: {ACTIONS_ALLOW_UNSECURE_COMMANDS: " True "}
        steps:
          - run: |
              echo "::set-env name=FOO::bar"
              echo "::add-path::/opt/x"
          - run: 'echo "FOO=$FOO ${PATH%%:*}"'
    """


def test_set_env_and_add_path_fail_the_step_unless_opted_in(pod):
    jobs, _ = run(pod, UNSECURE)
    first, second, third = jobs["refused"].steps
    assert (first.exit_code, first.outcome) == (0, "failure") and first.log == [("stdout", "after")]
    assert [str(a) for a in first.annotations] == [f"error: {DISABLED.format('set-env')}"]
    assert second.log == [("stdout", "FOO=[]")]
    assert third.outcome == "failure" and str(third.annotations[0]) == f"error: {DISABLED.format('add-path')}"
    allowed = jobs["allowed"]
    assert allowed.conclusion == "success" and log(allowed) == ["FOO=bar /opt/x"]


RUNNER_ENV = """\
    on: workflow_dispatch
    jobs:
      latest:
        runs-on: ubuntu-latest
        steps:
          - run: echo "$SHELL $RUNNER_OS $RUNNER_ARCH $RUNNER_TEMP $RUNNER_TOOL_CACHE $ImageOS"
      jammy:
        runs-on: ubuntu-22.04
        steps: [{run: echo "$ImageOS"}]
    """


def test_hosted_ubuntu_runner_environment(pod):
    jobs, _ = run(pod, RUNNER_ENV)
    assert log(jobs["latest"]) == ["/bin/bash Linux X64 /home/runner/work/_temp /opt/hostedtoolcache ubuntu24"]
    assert log(jobs["jammy"]) == ["ubuntu22"]
