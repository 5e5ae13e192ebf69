"""Config text never becomes code: hostile strings in every text field (see tests/generator/hostile.py).

The suite runs a fixed sample of the strings over every field; `python -m tests.generator.hostile` runs all.
"""
from __future__ import annotations

import pytest

from generator import bash, loader
from tests.generator import hostile

FIELDS = hostile.text_fields()


@pytest.fixture(scope="module")
def sample():
    cases, findings = hostile.run_all(hostile.SAMPLE)
    return cases, findings


def test_fields_come_from_the_models():
    names = {f.name for f in FIELDS}
    # A few of each kind: plain strings, optional ones, list items, dict keys and values, nested models.
    for expected in ("workflow.name", "workflow.notes", "branch", "tags.revision_label", "setup_crane.version",
                     "images[0].label", "gate.arms[0].comment", "gate.arms[0].match[0]",
                     "ancestry.summaries.no_label_fail[0]", "permissions (key)", "permission_notes (key)",
                     "permission_notes.<first>", "docs.readme"):
        assert expected in names, expected
    assert len(FIELDS) >= 35


@pytest.mark.parametrize("text_field", FIELDS, ids=lambda f: f.name)
def test_each_field_refuses_or_renders_safely(sample, text_field):
    cases, _ = sample
    mine = [c for c in cases if c.field == text_field]
    assert len(mine) == len(hostile.SAMPLE)
    broken = [f"{c.hostile}: {c.detail}" for c in mine if c.outcome == "broken"]
    assert not broken, "\n".join(broken)


def test_the_sample_covers_both_outcomes(sample):
    cases, _ = sample
    outcomes = {c.outcome for c in cases}
    assert outcomes == {"refused", "rendered"}, outcomes
    # Free text takes the dangerous strings and renders; identifiers refuse them.
    by = {(c.field.name, c.hostile): c.outcome for c in cases}
    assert by[("gate.arms[0].summary[0]", "double-quote-break")] == "rendered"
    assert by[("tags.revision_label", "single-quote-subst")] == "refused"


def test_every_rendered_sample_lints_clean(sample):
    cases, findings = sample
    shown = [f"{cases[i].title if i >= 0 else '?'}: {found[:3]}" for i, found in findings.items()]
    assert not shown, "\n".join(shown)


def test_no_config_text_runs_as_code_on_any_branch(sample):
    cases, _ = sample
    executed, failures = hostile.check_saturated(cases, hostile.SAMPLE_RUN)
    assert executed > 300  # every step on every branch, for each string, seed-like and hardened
    assert not failures, "\n".join(failures)


def test_the_branch_runner_catches_unescaped_text(sample, tmp_path, monkeypatch):
    """The check above can fail: with the escaping turned off, a summary line runs its command."""
    cases, _ = sample
    monkeypatch.setattr(bash, "double_quoted", lambda text: text)
    config, text = hostile.saturated(cases, "single-quote-subst", hardened=False)
    with pytest.raises(AssertionError, match="ran config text"):
        hostile.run_branches(text, config, tmp_path)


def test_expected_lines_are_checked(sample):
    cases, _ = sample
    config, _text = hostile.saturated(cases, "double-quote-break", hardened=True)
    lines = hostile.expected_lines(config)
    assert sum(hostile.HOSTILE["double-quote-break"] in line for line in lines) >= 8


@pytest.mark.parametrize("edit, expected", [
    # The issue's instances, each refused where the config says it.
    (("tags", "revision_label", "x'$(id)'"), r"tags\.revision_label: string should match pattern"),
    (("setup_crane", "version", "v0.5\nextra: injected"), r"setup_crane\.version: a single line"),
    (("triggers", 0, "name", "E2E ${{ github.token }}"), r"triggers\[0\]\.name: a name without `\$\{\{`"),
    (("e2e", "display", "E2E ${{ x }}"), r"e2e\.display: a name without `\$\{\{`"),
    (("branch", "main\nx"), r"branch: a single line"),
    (("branch", "ma in"), r"branch: a branch name"),
    (("workflow", "output", "../outside.yml"), r"workflow\.output: a path inside the project"),
    (("workflow", "output", "/tmp/outside.yml"), r"workflow\.output: a path relative to the project root"),
    (("workflow", "output", ""), r"workflow\.output: a file path relative to the project root \(got nothing\)"),
    (("docs", "readme", "../outside.md"), r"docs\.readme: a path inside the project"),
    (("docs", "readme", ".github/workflows/auto-promote-on-e2e.yml"), r"docs\.readme: a file other than"),
    (("images", 0, "env", "PATH"), r"images\[0\]\.env: a name that bash"),
    (("images", 0, "env", "SHA"), r"images\[0\]\.env: a name the workflow's steps do not use"),
    (("tags", "target", "latest\n"), r"tags\.target: a valid tag"),
    (("gate", "arms", 5, "match", 0, "*\n"), r"gate\.arms\[5\]\.match\[0\]: a `status/conclusion` pattern"),
    (("gate", "arms", 0, "summary", 0, "{short:>9}"), r"gate\.arms\[0\]\.summary\[0\]: text whose braces"),
])
def test_issue_instances_are_refused_at_load(tmp_path, edit, expected):
    import re

    data, _ = hostile.placed(hostile.base_data(), edit[:-1], edit[-1])
    path = tmp_path / "auto-promote.yaml"
    path.write_text(hostile.dump(data), encoding="utf-8")
    from generator.configfile import load_config

    with pytest.raises(loader.InputError) as err:
        load_config(path)
    message = str(err.value)
    assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: ", message), message
    assert re.search(expected, message), message
    assert "\n" not in message


def test_unknown_permission_scope_is_refused_at_render_with_a_suggestion(tmp_path):
    data = hostile.base_data()
    data["permissions"] = {"contnets": "read", "packages": "write"}
    data["permission_notes"] = {}
    path = tmp_path / "auto-promote.yaml"
    path.write_text(hostile.dump(data), encoding="utf-8")
    from generator.configfile import load_config

    with pytest.raises(loader.InputError, match=r"permissions\.contnets: one of 'actions'.*did you mean 'contents'\?"):
        load_config(path)


def test_expression_text_in_a_summary_is_printed_not_evaluated():
    line = bash.echo("see ${{{{ inputs.sha }}}} and $(id)", {})
    assert "${{" not in line
    assert line == 'echo "see \\$""{{ inputs.sha }} and \\$(id)"'


def test_script_variables_name_every_variable_the_steps_use():
    """An image's env var is refused when a step uses that name (rules.RESERVED_ENV covers the rest)."""
    import re

    from generator import steps
    from generator.templating import TEMPLATES

    used = set()
    for template in (TEMPLATES / "steps").glob("*.j2"):
        used |= set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]+)", template.read_text(encoding="utf-8")))
        used |= set(re.findall(r"^\s*([A-Z_][A-Z0-9_]+)=", template.read_text(encoding="utf-8"), flags=re.M))
    source = (TEMPLATES.parent / "generator" / "steps.py").read_text(encoding="utf-8")
    used |= set(re.findall(r'"([A-Z_][A-Z0-9_]+)": ', source))
    missing = sorted(v for v in used - steps.SCRIPT_VARIABLES if not v.startswith("BEFORE_"))
    assert not missing, missing
