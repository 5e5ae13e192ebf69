"""A registry snapshot restored in place (harness/pod/pod.py): only what differs is written, and the
tree ends exactly as saved, whatever a run added, rewrote, removed or turned from file to folder."""
from __future__ import annotations

import os
from pathlib import Path

from harness.pod.pod import _read_tree, _restore_tree


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def _listing(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def test_a_restore_undoes_what_a_run_changed(tmp_path):
    repos = tmp_path / "repositories"
    _write(repos, {"o/r/_manifests/tags/latest/current/link": b"sha256:aaa",
                   "o/r/_manifests/tags/latest/index/sha256/aaa/link": b"sha256:aaa",
                   "o/r/_layers/sha256/bbb/link": b"sha256:bbb", "o/other/_layers/sha256/ccc/link": b"sha256:ccc"})
    os.symlink("o", repos / "alias")
    before = _listing(repos)
    saved = _read_tree(repos)
    unchanged = repos / "o/r/_layers/sha256/bbb/link"
    inode = unchanged.stat().st_ino
    # what a run does: a tag moved (rewritten in place), a tag added, a repository removed, a link
    # turned into a folder, a symlink retargeted
    _write(repos, {"o/r/_manifests/tags/latest/current/link": b"sha256:ddd",
                   "o/r/_manifests/tags/latest/index/sha256/ddd/link": b"sha256:ddd",
                   "o/r/_manifests/tags/staging/current/link": b"sha256:aaa"})
    for path in sorted((repos / "o/other").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (repos / "o/other").rmdir()
    (repos / "o/r/_manifests/tags/latest/index/sha256/aaa/link").unlink()
    (repos / "o/r/_manifests/tags/latest/index/sha256/aaa/link").mkdir()
    (repos / "alias").unlink()
    os.symlink("elsewhere", repos / "alias")
    assert _listing(repos) != before

    _restore_tree(repos, saved)
    assert _listing(repos) == before
    assert os.readlink(repos / "alias") == "o"
    assert unchanged.stat().st_ino == inode  # left alone: it did not change


def test_a_restore_into_a_wiped_registry_makes_the_whole_tree(tmp_path):
    repos = tmp_path / "repositories"
    _write(repos, {"o/r/_manifests/tags/v1/current/link": b"sha256:eee"})
    before, saved = _listing(repos), _read_tree(repos)
    for path in sorted(repos.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    repos.rmdir()
    _restore_tree(repos, saved)
    assert _listing(repos) == before
