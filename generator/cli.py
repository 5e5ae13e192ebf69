"""`gen`: render, check and explain the auto-promote workflow; simulate it in containers.

This module builds the parser from the subcommand modules and wires in the harness: the policy
section that `render`, `check` and `explain` write, the scenario and timeline schemas, the starter
files of `init`, and the harness's own commands (`images`, `simulate`, `bench`). It is the only
generator module that imports the harness.
"""
from __future__ import annotations

import argparse
import errno
import functools
import os
import signal
import sys

# pydantic looks for plugins in every installed distribution's entry points when the first model is
# built (tens of ms at each start); gen's models want none. An explicit setting is left alone.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from .config import Config

# Everything else is imported when used: `gen simulate` starts its pod ahead (harness/pod/ahead.py)
# before it pays for pydantic, the scenario models and the planner, so they overlap the pod's start.


class StdoutFailed(Exception):
    """Standard output cannot be written (a closed pipe, a full disk)."""

    def __init__(self, error: OSError):
        super().__init__(error.strerror or str(error))
        self.error = error


class _GuardedStdout:
    """sys.stdout, with a failed write or flush raised as StdoutFailed rather than as any OSError."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise StdoutFailed(exc) from None

    def flush(self):
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutFailed(exc) from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: cleanup runs, then gen exits 143."""


def _terminate(signum, frame):
    raise Terminated(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    code = _guarded_main(argv)
    if argv is None:  # gen's own process: its outputs are written, its pods removed; skip the teardown
        _exit_now(code)
    return code


def _guarded_main(argv: list[str] | None) -> int:
    real_stdout = sys.stdout
    sys.stdout = _GuardedStdout(real_stdout)
    previous_term = _install(signal.SIGTERM, _terminate)
    try:
        from harness.pod import ahead

        try:
            # Only in gen's own process, where the imports are still to come; a caller in Python
            # (the suite's bad inputs, 28 s against 137 s with it) has them and would only wait.
            if argv is None and ahead.wanted(sys.argv[1:]):
                ahead.start()
            code = _main(argv)
        finally:
            ahead.close()
        sys.stdout.flush()
        return code
    except StdoutFailed as exc:
        _discard_stdout(real_stdout)
        if exc.error.errno == errno.EPIPE:
            return 141  # the reader went away (`| head -1`): stop quietly, as a SIGPIPE would
        _say(f"gen: cannot write to standard output ({exc})")
        return 2
    except KeyboardInterrupt as exc:
        _say("gen: terminated" if isinstance(exc, Terminated) else "gen: interrupted")
        return 143 if isinstance(exc, Terminated) else 130
    finally:
        sys.stdout = real_stdout
        if previous_term is not None:
            _install(signal.SIGTERM, previous_term)


def _main(argv: list[str] | None) -> int:
    from .lint import ToolMissing
    from .loader import InputError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        commands = ", ".join(parser.commands.choices)
        _say(f"gen: a command expected ({commands}); `gen --help` describes them")
        return 2
    try:
        return args.func(args)
    except InputError as exc:
        _say(str(exc))
        return 2
    except ToolMissing as exc:
        _say(f"gen: {exc}")
        return 2


def _exit_now(code: int) -> None:
    """End the process without the interpreter's teardown, which takes up to a second and a half
    on a loaded machine (measured) and would make Ctrl-C slower than the 2 s promised; 65 ms of
    every `gen simulate` on an idle one."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed or full stream changes nothing now
            pass
    os._exit(code)


def _install(signum, handler):
    try:
        return signal.signal(signum, handler)
    except ValueError:  # not the main thread (gen called from a test's worker thread)
        return None


def _say(line: str) -> None:
    from .loader import one_line

    try:
        print(one_line(line), file=sys.stderr, flush=True)
    except OSError:
        pass


def _discard_stdout(stream) -> None:
    """Point fd 1 at /dev/null so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class Parser(argparse.ArgumentParser):
    """Usage errors as one line, exit 2."""

    def error(self, message):
        from .loader import one_line

        self.exit(2, f"{self.prog}: {one_line(message)} (`{self.prog} --help` describes the arguments)\n")


def build_parser() -> argparse.ArgumentParser:
    from harness import commands as harness_commands

    from .commands import Harness, check, explain, init, render, schema

    parser = Parser(
        prog="gen",
        description="Generate the auto-promote-on-E2E workflow from a typed config, check it for drift "
        "and lint findings, and simulate it against a real registry and a stubbed GitHub API.",
    )
    sub = parser.add_subparsers(metavar="COMMAND")
    parser.commands = sub
    harness = Harness(policy=_policy, schemas=_schemas, starters=_starters)
    for command in (render, check, explain, schema, init):
        _add(sub, command, functools.partial(command.run, harness=harness))
    for command in harness_commands.COMMANDS:
        _add(sub, command, harness_commands.needing_extra(command))
    return parser


def _add(sub, command, func) -> None:
    parser = sub.add_parser(command.NAME, help=command.HELP, description=command.DESCRIPTION)
    command.add_arguments(parser)
    parser.set_defaults(func=func)


# The harness's parts are imported when a command uses them, so `gen simulate` does not pay for
# the policy tables and `gen render` not for the scenario models.
def _policy(config: Config, workflow_text: str) -> str:
    from harness.report import policy

    return policy.markdown(config, workflow_text)


def _schemas() -> dict:
    """Schema builders by file kind; the scenario and timeline models live in the harness's library."""
    from harness.library import scenario, timeline

    from . import schema as schemas

    return {
        "config": schemas.config_schema,
        "scenario": lambda: schemas.of_file(scenario.Scenario, scenario.ScenarioSuite, "promote-gen scenario file"),
        "timeline": lambda: schemas.of_file(timeline.Timeline, timeline.TimelineSuite, "promote-gen timeline file"),
    }


def _starters(config: Config) -> list:
    from harness.library import starter

    return starter.files(config)


if __name__ == "__main__":
    sys.exit(main())
