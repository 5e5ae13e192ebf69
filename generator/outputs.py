"""Write several files so that either all of them change or none does."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .loader import InputError


def write_together(files: dict[Path, str]) -> None:
    """Write every file to a temporary name beside it first, then rename them all into place.

    A failure while writing leaves every target as it was; the renames themselves do not fail
    short of the disk vanishing, since each temporary file already sits in its target's folder.
    """
    for path in files:
        if path.is_dir():  # a rename onto a folder would fail half-way through the set
            raise InputError(f"{path}: is a folder, not a file; nothing written")
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except OSError as exc:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise InputError(f"{exc.filename or path}: cannot write ({exc.strerror}); nothing written") from None
    except BaseException:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
