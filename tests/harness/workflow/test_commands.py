"""Workflow commands read from step output: annotations, masks, stop-commands, groups."""
from __future__ import annotations

from harness.workflow import commands


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
