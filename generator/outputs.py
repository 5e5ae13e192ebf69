"""Write every file `gen render` produces, all of them or none.

Each output is checked first (inside the project, a file and not a folder, under folders and not
under a file), then written to a temporary file beside its target, and only when every temporary
file is complete are they renamed into place, with Ctrl-C held off for the renames. A failure at
any point removes the temporary files and any folder made for them, so nothing has changed.
"""
from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .loader import InputError, printable


@dataclass(frozen=True)
class Output:
    field: tuple  # the config field naming the path, for the error's position
    path: Path  # relative to the project root
    text: str


class OutputProblem(Exception):
    """A problem with an output path: reported at its config field, `expected (got …)`."""

    def __init__(self, field: tuple, expected: str, got: object):
        super().__init__(expected)
        self.field, self.expected, self.got = field, expected, got


def check_path(root: Path, field: tuple, relative: Path, config_path: Path | None = None,
               inside: bool = True) -> None:
    """Fail unless `relative` names a file gen may write inside `root` (anywhere, with inside=False)."""
    base = root.resolve()
    current = root
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink() or current.exists():
            if not current.is_dir():
                raise OutputProblem(field, f"a path whose folders are folders ({_rel(current, root)} is a file)",
                                    str(relative))
            if inside and not _inside(current.resolve(), base):
                raise OutputProblem(field, f"a path inside the project ({_rel(current, root)} leads outside it)",
                                    str(relative))
    target = root / relative
    if inside and target.is_symlink() and not _inside(target.resolve(), base):
        raise OutputProblem(field, "a path inside the project (it is a link to a file outside)", str(relative))
    if target.exists():
        mode = target.stat().st_mode
        if stat.S_ISDIR(mode):
            raise OutputProblem(field, "a file path (it is a folder)", str(relative))
        if not stat.S_ISREG(mode):
            raise OutputProblem(field, "a regular file (not a device, pipe or socket)", str(relative))
        if config_path is not None and config_path.exists() and os.path.samefile(target, config_path):
            raise OutputProblem(field, "a file other than the config itself", str(relative))


def read_current(root: Path, output_path: Path) -> bytes | None:
    try:
        return (root / output_path).read_bytes()
    except FileNotFoundError:
        return None


def write_all(root: Path, outputs: list[Output]) -> list[Output]:
    """Write the outputs whose content changed; returns them. All are renamed into place, or none."""
    changed = [o for o in outputs if read_current(root, o.path) != o.text.encode("utf-8")]
    made_dirs: list[Path] = []
    temps: list[tuple[Output, str]] = []
    try:
        for output in changed:
            target = root / output.path
            made_dirs += _make_parents(target.parent, output)
            temps.append((output, _write_temp(target, output)))
        with _signals_held():
            _rename_all(root, temps)
        temps = []
        made_dirs = []
    finally:
        for _output, tmp in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
    return changed


def write_together(files: dict[Path, str]) -> None:
    """Write files a user named on the command line (gen init): all or none, a problem in one line."""
    outputs = [Output((), path, text) for path, text in files.items()]
    try:
        for output in outputs:
            check_path(Path("."), (), output.path, inside=False)
        write_all(Path("."), outputs)
    except OutputProblem as problem:
        raise InputError(f"{printable(str(problem.got))}: {problem.expected}; nothing written") from None


def _make_parents(folder: Path, output: Output) -> list[Path]:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    made = []
    try:
        for path in reversed(missing):
            path.mkdir()
            made.append(path)
    except OSError as exc:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()
        raise OutputProblem(output.field, f"a folder gen can create ({exc.strerror})", str(output.path)) from None
    return made


def _write_temp(target: Path, output: Output) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputProblem(output.field, f"a folder gen can write ({exc.strerror})", str(output.path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(output.text)
            handle.flush()
            os.fsync(handle.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputProblem(output.field, f"room to write the file ({exc.strerror})", str(output.path)) from None
    return tmp


def _rename_all(root: Path, temps: list[tuple[Output, str]]) -> None:
    done: list[tuple[Output, bytes | None]] = []
    for output, tmp in temps:
        before = read_current(root, output.path)
        try:
            os.replace(tmp, root / output.path)
        except OSError as exc:
            _undo(root, done)
            raise OutputProblem(output.field, f"a file gen can replace ({exc.strerror})", str(output.path)) from None
        done.append((output, before))


def _undo(root: Path, done: list[tuple[Output, bytes | None]]) -> None:
    for output, before in reversed(done):
        target = root / output.path
        with contextlib.suppress(OSError):
            if before is None:
                target.unlink()
            else:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(before)
                os.replace(tmp, target)


@contextlib.contextmanager
def _signals_held():
    """Ctrl-C and SIGTERM wait until every rename is done (they are delivered right after)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _inside(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def append_step_summary(markdown: str) -> bool:
    """Append to the job's step summary when running in GitHub Actions (`$GITHUB_STEP_SUMMARY` set)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(markdown.rstrip("\n") + "\n\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot append the step summary ({exc.strerror})") from None
    return True
