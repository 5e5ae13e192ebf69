"""Run one step's script in the runner container, as GitHub's runner does: fresh file-command
files, the runner's variables, one `docker exec`, then workflow commands read from stdout and
stderr and the file commands read back."""
from __future__ import annotations

from dataclasses import dataclass, field

from harness.pod.layout import CA_IN_RUNNER
from harness.trace.job import StepResult
from harness.workflow import commands, contexts, filecommands
from harness.workflow.contexts import HOME, TEMP

from .shells import lines, shell_argv

IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
HARNESS_ENV = {"SSL_CERT_FILE": CA_IN_RUNNER}  # trust the pod's CA, as the fakes need
FILE_COMMANDS = (("GITHUB_OUTPUT", "set_output"), ("GITHUB_ENV", "set_env"), ("GITHUB_PATH", "add_path"),
                 ("GITHUB_STEP_SUMMARY", "step_summary"), ("GITHUB_STATE", "save_state"))


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
    shell: str | None
    env: dict[str, str]  # the job's env, then the step's
    timeout: float


def run(pod, slot: int, github: dict, state: JobState, script: Script, result: StepResult) -> None:
    home = pod.runner_home(slot)
    files = _fresh_files(home, script.index)
    script_path = f"{TEMP}/step_{script.index}.sh"
    (home / _inside(script_path)).write_text(script.text)
    env = {**contexts.runner_env(github), **script.env, **files, **HARNESS_ENV,
           "GITHUB_ACTION": script.action_id, "PATH": ":".join(state.path + [IMAGE_PATH])}
    argv = shell_argv(script.shell, script_path)
    workspace = github["workspace"]
    result.invocation = {"argv": argv, "env": env, "workdir": workspace, "files": files,
                         "script": script.text, "script_path": script_path}
    done = pod.exec(argv, env, workspace, slot, script.timeout)
    result.seconds, result.exit_code = done.seconds, done.exit_code
    result.outcome = "success" if done.exit_code == 0 else "failure"
    if done.exit_code == 124 and done.seconds >= script.timeout:
        result.notes.append(f"timed out after {script.timeout:g} s")
    _read_output(done.output, state, result)
    _read_files(home, files, state, result)


def _inside(path: str) -> str:
    """A path in the runner's home, relative to it (the host sees the home as a bind mount)."""
    return path.removeprefix(HOME + "/")


def _fresh_files(home, index: int) -> dict[str, str]:
    out = {}
    for var, prefix in FILE_COMMANDS:
        path = f"{TEMP}/_runner_file_commands/{prefix}_{index}"
        (home / _inside(path)).write_text("")
        out[var] = path
    return out


def _read_output(chunks: list[tuple[str, str]], state: JobState, result: StepResult) -> None:
    found = commands.CommandState()
    for stream, line in lines(chunks):
        if not commands.process_line(line, found):
            result.log.append((stream, line))
    state.masks += found.masks
    result.annotations = [commands.Annotation(a.level, commands.mask(a.message, state.masks), a.properties)
                          for a in found.annotations]
    result.log = [(s, commands.mask(line, state.masks)) for s, line in result.log]
    result.outputs.update(found.outputs)
    result.notes += found.notes


def _read_files(home, files: dict[str, str], state: JobState, result: StepResult) -> None:
    def read(var: str) -> str:
        return (home / _inside(files[var])).read_text(errors="replace")

    try:
        result.outputs.update(filecommands.parse_key_values(read("GITHUB_OUTPUT"), "GITHUB_OUTPUT"))
        state.env.update(filecommands.parse_key_values(read("GITHUB_ENV"), "GITHUB_ENV"))
    except filecommands.FileCommandError as exc:
        result.notes.append(str(exc))
        result.outcome = "failure"
    state.path = list(reversed(filecommands.parse_path(read("GITHUB_PATH")))) + state.path
    result.summary = commands.mask(read("GITHUB_STEP_SUMMARY"), state.masks)
