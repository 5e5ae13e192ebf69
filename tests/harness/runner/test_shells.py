"""The runner's `shell:` rules."""
from __future__ import annotations

from harness.runner.shells import template
from harness.worker.script import argv


def shell_argv(shell, script_path):
    return argv(template(shell), script_path)


def test_shells_follow_the_runner():
    assert shell_argv(None, "/s.sh") == ["bash", "-e", "/s.sh"]
    assert shell_argv("bash", "/s.sh") == ["bash", "--noprofile", "--norc", "-eo", "pipefail", "/s.sh"]
    assert shell_argv("sh", "/s.sh") == ["sh", "-e", "/s.sh"]
    assert shell_argv("bash -x {0}", "/s.sh") == ["bash", "-x", "/s.sh"]
