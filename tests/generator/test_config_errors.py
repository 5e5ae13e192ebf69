"""Every kind of bad config: one line with file:line:col, exit 2, nothing written."""
from __future__ import annotations

import re
import shutil

import pytest

from tests.conftest import CONFIG, ROOT, run_gen

OUTPUT = ".github/workflows/auto-promote-on-e2e.yml"
ORIGINAL = CONFIG.read_text(encoding="utf-8")


def _edit(old: str, new: str) -> str:
    assert ORIGINAL.count(old) == 1, old
    return ORIGINAL.replace(old, new)


CASES = {
    "wrong type": (_edit("short_sha_length: 7", "short_sha_length: seven"),
                   r"tags\.short_sha_length: .*integer.* \(got 'seven'\)"),
    "unknown key": (_edit("  revision_label: org", "  revison_label: org"),
                    r"tags\.revison_label: unknown key.*did you mean 'revision_label'\? \(got 'revison_label'\)"),
    "missing field": (_edit("  workflow_file: e2e-staging-saas.yml\n", ""),
                      r"e2e\.workflow_file: a value expected \(the field is required\)"),
    "gate gap": (_edit('    - match: ["*"]', '    - match: ["completed/neutral"]'),
                 r"gate\.arms: an arm for every run state; none matches completed/skipped, "),
    "gate arm unreachable": (_edit("    - match: [none/none]", "    - match: [completed/success]"),
                             r"gate\.arms\[4\]\.match: an arm that some run state reaches"),
    "gate pattern typo": (_edit("[completed/cancelled]", "[completed/canceled]"),
                          r"gate\.arms\[2\]\.match\[0\]: a conclusion, one of success.* \(got 'completed/canceled'\)"),
    "duplicate image": (_edit("  - name: platform-tenant\n", "  - name: platform\n"),
                        r"images\[1\]\.name: a unique image name, but it repeats an earlier one \(got 'platform'\)"),
    "bad tag pattern": (_edit("candidate: staging-{short}", "candidate: staging-{commit}"),
                        r"tags\.candidate: a tag pattern with \{short\} or \{sha\}.* \(got 'staging-\{commit\}'\)"),
    "bad action": (_edit("action: defer\n      comment: >-\n        cancelled",
                         "action: skip\n      comment: >-\n        cancelled"),
                   r"gate\.arms\[2\]\.action: one of 'proceed', 'defer' or 'abort' \(got 'skip'\)"),
    "unknown placeholder": (_edit("stays on `{current_short}`", "stays on `{current_shrt}`"),
                            r"ancestry\.summaries\.behind\[10\]: placeholders among .*unknown: current_shrt"),
    "not yaml": (_edit("branch: main", "branch: [main"), r"valid YAML expected"),
    # Its rollback could undo another SHA's promotion (timeline split-rollback-per-sha): reported at the policy.
    "split protection per sha": (_edit("  protect_split: false", "  protect_split: true"),
                                 r"^\.github/auto-promote\.yaml:30:11: concurrency\.policy: `global` when "
                                 r"retag\.protect_split is on .* \(got 'per-sha'\)$"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_config(tmp_path, name):
    text, pattern = CASES[name]
    project = tmp_path / "project"
    (project / ".github/workflows").mkdir(parents=True)
    (project / ".github/auto-promote.yaml").write_text(text, encoding="utf-8")
    before = b"untouched: committed workflow\n"
    (project / OUTPUT).write_bytes(before)
    for command in ("render", "check", "explain"):
        proc = run_gen(command, cwd=project)
        assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
        lines = proc.stderr.splitlines()
        assert len(lines) == 1, proc.stderr
        assert re.match(r"^\.github/auto-promote\.yaml:\d+:\d+: ", lines[0]), lines[0]
        assert re.search(pattern, lines[0]), lines[0]
        assert proc.stdout == ""
    assert (project / OUTPUT).read_bytes() == before
    assert [p.name for p in (project / ".github/workflows").iterdir()] == ["auto-promote-on-e2e.yml"]


def test_error_points_at_the_offending_line(tmp_path):
    text, _ = CASES["wrong type"]
    line = text.splitlines().index("  short_sha_length: seven") + 1
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/auto-promote.yaml").write_text(text, encoding="utf-8")
    proc = run_gen("render", cwd=tmp_path)
    assert proc.stderr.startswith(f".github/auto-promote.yaml:{line}:21: ")


def test_missing_config_file_is_exit_2(tmp_path):
    proc = run_gen("render", "--config", "nope.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("nope.yaml: cannot read")


def test_unknown_command_is_usage_error():
    proc = run_gen("frobnicate")
    assert proc.returncode == 2


def test_render_writes_atomically_and_only_the_output(tmp_path):
    (tmp_path / ".github").mkdir()
    shutil.copy(CONFIG, tmp_path / ".github/auto-promote.yaml")
    proc = run_gen("render", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = tmp_path / OUTPUT
    assert written.read_text(encoding="utf-8") == (ROOT / OUTPUT).read_text(encoding="utf-8")
    assert sorted(p.name for p in written.parent.iterdir()) == ["auto-promote-on-e2e.yml"]


def test_split_protection_per_sha_is_refused_only_where_a_rollback_can_happen():
    """One image never rolls back, and `global` queues the runs: both keep split protection."""
    from generator import rules
    from generator.configfile import load_config

    config = load_config(CONFIG)
    on = config.model_copy(update={"retag": config.retag.model_copy(update={"protect_split": True})})
    assert [p.path for p in rules.check(on)] == [("concurrency", "policy")]
    assert rules.check(on.model_copy(update={"images": on.images[:1]})) == []
    assert rules.check(on.model_copy(update={"concurrency": on.concurrency.model_copy(update={"policy": "global"})})) == []
