"""GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH parsed with the runner's rules."""
from __future__ import annotations

import pytest

from harness.workflow import filecommands


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
