"""Run one step's script as GitHub's runner does: fresh file-command files, the runner's variables,
the shell as a child process, then workflow commands read from its stdout and stderr and the file
commands read back.

The child's two pipes are read by this process directly, in arrival order: no container engine
stream sits between the step and its log, so nothing can cut it short.
"""
from __future__ import annotations

import codecs
import os
import selectors
import shutil
import shlex
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.workflow import commands, filecommands

from .result import StepResult

FILE_COMMANDS = (("GITHUB_OUTPUT", "set_output"), ("GITHUB_ENV", "set_env"), ("GITHUB_PATH", "add_path"),
                 ("GITHUB_STEP_SUMMARY", "step_summary"), ("GITHUB_STATE", "save_state"))
KILL_AFTER = 5  # seconds between a late step's TERM and its KILL, as `timeout -k 5` gives


@dataclass
class JobState:
    """What steps leave for later steps: GITHUB_ENV and GITHUB_PATH, `steps.<id>`, masks, failure."""

    env: dict[str, str] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)
    steps: dict[str, dict] = field(default_factory=dict)
    masks: list[str] = field(default_factory=list)
    failed: bool = False


@dataclass(frozen=True)
class Script:
    index: int  # the step's number, naming its files
    action_id: str  # GITHUB_ACTION
    text: str
    shell: str  # command line with `{0}` for the script's path
    env: dict[str, str]  # the job's env, then the step's
    timeout: float
    workdir: str


def argv(shell: str, script_path: str) -> list[str]:
    return [script_path if part == "{0}" else part.replace("{0}", script_path) for part in shlex.split(shell)]


def run(plan, state: JobState, script: Script, result: StepResult) -> None:
    files = _fresh_files(plan.temp, script.index)
    script_path = f"{plan.temp}/step_{script.index}.sh"
    Path(script_path).write_text(script.text)
    env = {**plan.runner_env, **script.env, **files, **plan.harness_env,
           "GITHUB_ACTION": script.action_id, "PATH": ":".join(state.path + [plan.image_path])}
    command = argv(script.shell, script_path)
    result.invocation = {"argv": command, "env": env, "workdir": script.workdir, "files": files,
                         "script": script.text, "script_path": script_path}
    if not os.path.isdir(script.workdir):
        # actions/runner ProcessInvoker: the process cannot start, and the step fails.
        program = shutil.which(command[0], path=env["PATH"]) or command[0]
        result.annotations.append(commands.Annotation("error", f"An error occurred trying to start process "
                                                               f"'{program}' with working directory "
                                                               f"'{script.workdir}'. No such file or directory"))
        result.outcome = "failure"
        return
    started = time.monotonic()
    code, chunks = _capture(command, env, script.workdir, script.timeout)
    result.seconds, result.exit_code = time.monotonic() - started, code
    result.outcome = "success" if code == 0 else "failure"
    if code == 124 and result.seconds >= script.timeout:
        result.notes.append(f"timed out after {script.timeout:g} s")
    _read_output(chunks, state, result, commands.allows_unsecure(script.env))
    _read_files(files, state, result)


def _capture(command: list[str], env: dict, cwd: str, timeout: float) -> tuple[int, list[tuple[str, str]]]:
    """Exit code and (stream, text) chunks in arrival order. The child sees the container's own
    environment (the image's ENV, HOME) under the step's, as `docker exec` gives a process.

    A step over its time gets what `timeout -k 5 T` gives it: TERM to its process group, KILL five
    seconds later, exit 124 (137 when it took the KILL)."""
    try:
        child = subprocess.Popen(command, env={**os.environ, **env}, cwd=cwd, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, process_group=0)
    except OSError as exc:  # a missing working directory, as the runner reports it
        return 1, [("stderr", f"{exc.strerror}: {exc.filename}\n")]
    clock = _Deadline(child, timeout)
    raw: list[tuple[str, bytes]] = []
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ, "stdout")
        selector.register(child.stderr, selectors.EVENT_READ, "stderr")
        while selector.get_map():
            ready = selector.select(clock.left())
            if not ready:
                clock.expire()
            for key, _ in ready:
                data = os.read(key.fileobj.fileno(), 65536)
                if data:
                    raw.append((key.data, data))
                else:
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
    while True:
        try:
            code = child.wait(clock.left())
            break
        except subprocess.TimeoutExpired:
            clock.expire()
    if clock.killed:
        code = 137 if code == -signal.SIGKILL else 124
    return (128 - code if code < 0 else code), _decode(raw)


class _Deadline:
    """The step's time, then the grace after TERM."""

    def __init__(self, child, timeout: float):
        self.child, self.at, self.killed = child, time.monotonic() + timeout, False

    def left(self) -> float | None:
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def expire(self) -> None:
        if self.at is None or time.monotonic() < self.at:
            return
        sig = signal.SIGKILL if self.killed else signal.SIGTERM
        try:
            os.killpg(self.child.pid, sig)
        except ProcessLookupError:
            pass
        self.at = None if self.killed else time.monotonic() + KILL_AFTER
        self.killed = True


def _decode(raw: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """Chunks as text; a character split across two reads of one stream is decoded whole."""
    decoders = {name: codecs.getincrementaldecoder("utf-8")(errors="replace") for name in ("stdout", "stderr")}
    out = [(stream, decoders[stream].decode(data)) for stream, data in raw]
    out += [(stream, rest) for stream, d in decoders.items() if (rest := d.decode(b"", final=True))]
    return out


def lines(chunks: list[tuple[str, str]]):
    """(stream, line) in arrival order, from chunks that may split lines."""
    partial = {"stdout": "", "stderr": ""}
    for stream, text in chunks:
        partial[stream] += text
        *complete, partial[stream] = partial[stream].split("\n")
        for line in complete:
            yield stream, line.rstrip("\r")
    for stream, rest in partial.items():
        if rest:
            yield stream, rest


def _fresh_files(temp: str, index: int) -> dict[str, str]:
    out = {}
    for var, prefix in FILE_COMMANDS:
        path = f"{temp}/_runner_file_commands/{prefix}_{index}"
        Path(path).write_text("")
        out[var] = path
    return out


def _read_output(chunks: list[tuple[str, str]], state: JobState, result: StepResult, allow_unsecure: bool) -> None:
    found = commands.CommandState(allow_unsecure=allow_unsecure)
    for stream, line in lines(chunks):
        if not commands.process_line(line, found):
            result.log.append((stream, line))
    state.env.update(found.env)
    state.path = list(reversed(found.path)) + state.path
    if found.failed:
        result.outcome = "failure"
    state.masks += found.masks
    result.annotations = [commands.Annotation(a.level, commands.mask(a.message, state.masks), a.properties)
                          for a in found.annotations]
    result.log = [(s, commands.mask(line, state.masks)) for s, line in result.log]
    result.outputs.update(found.outputs)
    result.notes += found.notes


def _read_files(files: dict[str, str], state: JobState, result: StepResult) -> None:
    def read(var: str) -> str:
        return Path(files[var]).read_text(errors="replace")

    try:
        result.outputs.update(filecommands.parse_key_values(read("GITHUB_OUTPUT"), "GITHUB_OUTPUT"))
        state.env.update(filecommands.parse_key_values(read("GITHUB_ENV"), "GITHUB_ENV"))
    except filecommands.FileCommandError as exc:
        result.notes.append(str(exc))
        result.outcome = "failure"
    state.path = list(reversed(filecommands.parse_path(read("GITHUB_PATH")))) + state.path
    result.summary = commands.mask(read("GITHUB_STEP_SUMMARY"), state.masks)
