"""The bash reader `gen init --from` uses: lines, words, case arms, if blocks, groups, `$(…)`."""
from __future__ import annotations

import pytest

from generator.adopt import shell


def test_logical_lines_join_continuations_and_keep_file_lines():
    script = 'set -e\n\nRESULT=$(gh run list \\\n  --branch main \\\n  --limit 1)\necho "$RESULT"\n'
    lines = shell.logical_lines(script, first_line=10)
    assert [(l.number, l.text) for l in lines] == [
        (10, "set -e"), (12, "RESULT=$(gh run list --branch main --limit 1)"), (15, 'echo "$RESULT"')]


def test_words_keep_expansions_apart_from_text():
    ws = shell.words('echo "E2E for \\`${SHA:0:7}\\`: \\`$RESULT\\`" \'lit $X\' >> "$GITHUB_STEP_SUMMARY"')
    assert [w.raw for w in ws][0] == "echo"
    quoted = ws[1].parts
    assert [(p.kind, p.text) for p in quoted] == [
        ("lit", "E2E for `"), ("var", "SHA:0:7"), ("lit", "`: `"), ("var", "RESULT"), ("lit", "`")]
    assert ws[2].literal == "lit $X"  # single quotes expand nothing
    assert ws[3].raw == ">>" and ws[4].parts[0] == shell.Part("var", "GITHUB_STEP_SUMMARY")


def test_github_expressions_and_command_substitutions_are_their_own_parts():
    ws = shell.words('tag="${img}:staging-${{ steps.sha.outputs.short }}" x=$(date -u)')
    assert [(p.kind, p.text) for p in ws[0].parts] == [
        ("lit", "tag="), ("var", "img"), ("lit", ":staging-"), ("expr", "steps.sha.outputs.short")]
    assert ws[1].parts[1] == shell.Part("cmd", "date -u")


@pytest.mark.parametrize("text", ['echo "unterminated', "echo 'open", "echo `date`", "x=$(never closed"])
def test_what_it_cannot_read_is_an_error_not_a_guess(text):
    with pytest.raises(shell.ShellError):
        shell.words(text)


def test_case_arms_with_bodies_comments_and_a_nested_case():
    script = """case "$RESULT" in
  completed/success)
    echo "proceed=true" >> "$GITHUB_OUTPUT"
    ;;
  completed/failure|completed/timed_out)
    # red: stop
    case "$X" in
      a) echo a ;;
    esac
    exit 1
    ;;
  *) echo other ;;
esac
echo after
"""
    lines = shell.logical_lines(script, 1)
    case = shell.read_case(lines, 0)
    assert case.subject.parts[0].text == "RESULT"
    assert [a.patterns for a in case.arms] == [["completed/success"], ["completed/failure", "completed/timed_out"], ["*"]]
    assert [l.text for l in case.arms[1].body] == ["# red: stop", 'case "$X" in', "a) echo a ;;", "esac", "exit 1"]
    assert [l.text for l in case.arms[2].body] == ["echo other"]
    assert case.arms[1].line == 5
    assert lines[case.end].text == "echo after"


def test_case_without_esac_says_where():
    with pytest.raises(shell.ShellError, match="without `esac`") as caught:
        shell.read_case(shell.logical_lines('\ncase "$A" in\n  a) ;;\n', 1), 0)
    assert caught.value.line == 2


def test_if_else_fi_and_nesting():
    lines = shell.logical_lines('if [ -z "$A" ]; then\n  if true; then\n    x\n  fi\nelse\n  y\nfi\nz\n', 1)
    block = shell.read_if(lines, 0)
    assert block.condition == '[ -z "$A" ]'
    assert [l.text for l in block.then] == ["if true; then", "x", "fi"]
    assert [l.text for l in block.otherwise] == ["y"]
    assert lines[block.end].text == "z"
    operands = shell.test_operands(block.condition)
    assert [w.raw for w in operands] == ["-z", '"$A"']


def test_group_and_its_redirect():
    lines = shell.logical_lines('{\n  echo "a"\n  echo\n} >> "$GITHUB_STEP_SUMMARY"\n', 1)
    group = shell.read_group(lines, 0)
    assert group.redirect == "$GITHUB_STEP_SUMMARY"
    assert [shell.echo_parts(l.text) for l in group.body] == [[shell.Part("lit", "a")], []]


def test_substitution_with_a_fallback_and_the_negated_form():
    seed = shell.substitution("RESULT=$(gh run list --jq '(.[0] // {}) | \"\\(.status)\"' 2>/dev/null || echo \"none/none\")")
    assert seed.variable == "RESULT" and seed.fallback == 'echo "none/none"' and not seed.negated
    assert seed.command.startswith("gh run list --jq '(.[0] // {})")
    rendered = shell.substitution('if ! STATUS=$(gh api "repos/${REPO}/compare/a...b" --jq \'.status\' 2>/dev/null); then')
    assert rendered.variable == "STATUS" and rendered.negated and rendered.fallback is None
    assert shell.substitution("echo nothing") is None


def test_command_flags_and_appends():
    cmd = shell.command('gh run list --workflow e2e.yml --branch "main" --limit 1 2>/dev/null')
    assert {k: w.literal for k, w in shell.flags(cmd.argv).items()} == {"workflow": "e2e.yml", "branch": "main",
                                                                         "limit": "1"}
    assert shell.command('echo "x=1" >> "$GITHUB_OUTPUT"').appends_to == "$GITHUB_OUTPUT"
