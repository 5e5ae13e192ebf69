"""The runner's rules without Docker: file commands, workflow commands, triggers, shells, the oracle."""
from __future__ import annotations

import pytest

from generator.configfile import load_config
from harness import commands, events, filecommands, oracle, triggers, workflow_file
from harness.runner import shell_argv
from harness.world import ImageRecord, World
from tests.conftest import CONFIG, SEED


# file commands ----------------------------------------------------------------------------------

def test_key_value_and_heredoc():
    text = "a=1\nmulti<<EOF\nline one\nline two\nEOF\n\nb=x=y\nc<<=weird\n"
    assert filecommands.parse_key_values(text.replace("c<<=weird\n", ""), "GITHUB_OUTPUT") == {
        "a": "1", "multi": "line one\nline two", "b": "x=y"}


def test_first_marker_wins():
    # `=` before `<<`: a plain value that happens to contain <<
    assert filecommands.parse_key_values("k=v<<x\n", "GITHUB_OUTPUT") == {"k": "v<<x"}


def test_heredoc_without_delimiter_is_an_error():
    with pytest.raises(filecommands.FileCommandError, match="Matching delimiter not found 'EOF'"):
        filecommands.parse_key_values("k<<EOF\nvalue\n", "GITHUB_OUTPUT")


def test_crlf_and_empty_lines():
    assert filecommands.parse_key_values("a=1\r\n\r\nb<<E\r\nx\r\nE\r\n", "GITHUB_ENV") == {"a": "1", "b": "x"}


def test_line_without_marker_is_an_error():
    with pytest.raises(filecommands.FileCommandError, match="Invalid format 'nonsense'"):
        filecommands.parse_key_values("nonsense\n", "GITHUB_OUTPUT")


def test_path_lines():
    assert filecommands.parse_path("/a\n\n/b\n") == ["/a", "/b"]


# workflow commands ------------------------------------------------------------------------------

def test_annotations_with_properties_and_escapes():
    state = commands.CommandState()
    assert commands.process_line("  ::error file=a.sh,line=3,title=T%3A x::two%0Alines 100%25", state)
    assert commands.process_line("::notice::plain", state)
    assert not commands.process_line("echo ::notice::not at the start", state)
    assert [str(a) for a in state.annotations] == ["error file=a.sh,line=3,title=T: x: two\nlines 100%", "notice: plain"]


def test_add_mask_and_stop_commands():
    state = commands.CommandState()
    commands.process_line("::add-mask::s3cret", state)
    commands.process_line("::stop-commands::tok", state)
    assert not commands.process_line("::error::ignored while stopped", state)
    assert commands.process_line("::tok::", state)
    assert commands.process_line("::warning::back", state)
    assert [a.message for a in state.annotations] == ["back"]
    assert commands.mask("the s3cret is out", state.masks) == "the *** is out"


def test_group_and_unknown_commands():
    state = commands.CommandState()
    assert commands.process_line("::group::Title", state) and commands.process_line("::endgroup::", state)
    assert not commands.process_line("::frobnicate::x", state)


# triggers ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed():
    return workflow_file.load(SEED)


def _run(workflow="publish-workspace-server-image", action="completed", branch="main"):
    return events.WorkflowRun(workflow, action, "success", "a" * 40, branch)


@pytest.mark.parametrize("event, triggered, why", [
    (_run(), True, "workflow_run completed"),
    (_run(workflow="E2E Staging SaaS (full lifecycle)"), True, "workflow_run completed"),
    (_run(workflow="lint"), False, "which `workflows:` does not list"),
    (_run(action="requested"), False, "type 'requested' is not in"),
    (_run(branch="staging"), False, "branch 'staging' is filtered out"),
    (events.Dispatch({"sha": "abc"}, "main"), True, "workflow_dispatch"),
])
def test_trigger_filters(seed, event, triggered, why):
    decision = triggers.decide(seed, event)
    assert decision.triggered is triggered and why in decision.reason


@pytest.mark.parametrize("patterns, branch, expected", [
    (["main"], "main", True), (["release/*"], "release/1.2", True), (["release/*"], "release/1/2", False),
    (["release/**"], "release/1/2", True), (["*", "!main"], "main", False), (["*", "!main"], "dev", True),
])
def test_branch_patterns(patterns, branch, expected):
    assert triggers.filter_match(patterns, branch) is expected


def test_shells_follow_the_runner():
    assert shell_argv(None, "/s.sh") == ["bash", "-e", "/s.sh"]
    assert shell_argv("bash", "/s.sh") == ["bash", "--noprofile", "--norc", "-eo", "pipefail", "/s.sh"]
    assert shell_argv("sh", "/s.sh") == ["sh", "-e", "/s.sh"]
    assert shell_argv("bash -x {0}", "/s.sh") == ["bash", "-x", "/s.sh"]


def test_seed_parses_with_its_steps(seed):
    (job,) = seed.jobs
    assert [s.id for s in job.steps if s.id] == ["sha", "gate", "ancestry"]
    assert job.steps[2].uses.startswith("imjasonh/setup-crane@")


# the oracle -------------------------------------------------------------------------------------

P, T = "9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61", "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"


def _world(latest_revision=P, e2e=None):
    world = World("molecule-ai/molecule-core", "main", {P: [], T: [P]}, {"prev": P, "target": T}, T, "op", "tok")
    from harness.world import WorkflowRecord

    wf = WorkflowRecord(4242, "e2e-staging-saas.yml", "E2E Staging SaaS (full lifecycle)")
    world.workflows.append(wf)
    if e2e:
        world.add_run(wf, T, *e2e)
    for repo in ("molecule-ai/platform", "molecule-ai/platform-tenant"):
        world.registry[repo] = [ImageRecord(["latest"], latest_revision, "oci"),
                                ImageRecord(["staging-3a7f12c"], T, "oci")]
    return world


@pytest.mark.parametrize("e2e, proceed, conclusion", [
    (("completed", "success"), "true", "success"),
    (("completed", "failure"), "false", "failure"),
    (("completed", "cancelled"), "false", "success"),
    (("in_progress", None), "false", "success"),
    (None, "true", "success"),
])
def test_oracle_follows_the_gate_table(e2e, proceed, conclusion):
    config = load_config(CONFIG)
    derived = oracle.derive(config, _world(e2e=e2e), events.WorkflowRun(
        "publish-workspace-server-image", "completed", "success", T, "main"))
    titles = oracle.step_titles(config)
    assert derived.steps[titles["gate"]].outputs == {"proceed": proceed}
    assert derived.conclusion == conclusion
    ran = [title for title, step in derived.steps.items() if step.ran]
    assert ran == ([titles["sha"], titles["gate"]] if proceed == "false" else list(titles.values()))


def test_oracle_refuses_to_move_backwards():
    config = load_config(CONFIG)
    derived = oracle.derive(config, _world(latest_revision=T), events.WorkflowRun(
        "E2E Staging SaaS (full lifecycle)", "completed", "success", P, "main"))
    titles = oracle.step_titles(config)
    assert derived.steps[titles["verify"]].outcome == "failure"  # no staging-9c1d4e0 tag in this world
    world = _world(latest_revision=T)
    world.registry["molecule-ai/platform"].append(ImageRecord(["staging-9c1d4e0"], P, "oci"))
    world.registry["molecule-ai/platform-tenant"].append(ImageRecord(["staging-9c1d4e0"], P, "oci"))
    derived = oracle.derive(config, world, events.WorkflowRun(
        "E2E Staging SaaS (full lifecycle)", "completed", "success", P, "main"))
    assert derived.steps[titles["ancestry"]].outputs == {"decision": "behind"} and derived.conclusion == "failure"
    assert derived.steps[titles["retag:platform"]].ran is False
