"""GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH files, parsed with the runner's rules.

The runner (FileCommandManager) reads each line as `key=value` or `key<<DELIMITER`, whichever
marker comes first; a heredoc value runs to the line equal to the delimiter, without the final
newline, and a missing delimiter is an error.
"""
from __future__ import annotations


class FileCommandError(Exception):
    pass


def parse_key_values(text: str, kind: str) -> dict[str, str]:
    lines = text.replace("\r\n", "\n").split("\n")
    out: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == "":
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if eq >= 0 and (heredoc < 0 or eq < heredoc):
            key, value = line[:eq], line[eq + 1:]
        elif heredoc >= 0:
            key, delimiter = line[:heredoc], line[heredoc + 2:]
            if not key or not delimiter:
                raise FileCommandError(f"Invalid format '{line}' in {kind}")
            value, i = _heredoc(lines, i, delimiter, kind)
        else:
            raise FileCommandError(f"Invalid format '{line}' in {kind}")
        if not key:
            raise FileCommandError(f"Invalid format '{line}' in {kind}: name must not be empty")
        out[key] = value
    return out


def _heredoc(lines: list[str], start: int, delimiter: str, kind: str) -> tuple[str, int]:
    for end in range(start, len(lines)):
        if lines[end] == delimiter:
            return "\n".join(lines[start:end]), end + 1
    raise FileCommandError(f"Invalid value in {kind}. Matching delimiter not found '{delimiter}'")


def parse_path(text: str) -> list[str]:
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
