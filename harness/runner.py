"""Run one job like GitHub's runner: a long-lived container, one `docker exec` per step, fresh
file-command files per step, workflow commands read from stdout and stderr.

A JobRunner advances one step at a time, so two jobs can be interleaved at step boundaries.
"""
from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from harness import expressions

from . import actions, commands, events, filecommands
from .pod import CA_IN_RUNNER, RUNNER_HOME, Pod
from .workflow_file import SHELLS, Job, Step, Workflow

IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
HARNESS_ENV = {"SSL_CERT_FILE": CA_IN_RUNNER}  # trust the pod's CA, as the fakes need
TEMP = f"{RUNNER_HOME}/work/_temp"


@dataclass
class StepResult:
    index: int
    title: str
    id: str | None
    condition: str
    ran: bool
    outcome: str
    conclusion: str
    exit_code: int | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    annotations: list[commands.Annotation] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    uses: str | None = None
    seconds: float = 0.0
    skip_reason: str = ""
    invocation: dict | None = None  # argv, env, workdir: what `gen bench` replays without the harness


@dataclass
class JobResult:
    id: str
    condition: str
    ran: bool
    conclusion: str
    steps: list[StepResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)


def _text(condition) -> str:
    return expressions.condition_text(condition).strip() if condition is not None else ""


class JobRunner:
    def __init__(self, pod: Pod, workflow: Workflow, job: Job, event: events.Event, world, k: int = 0,
                 crane_kind: str = "stand-in", step_timeout: float = 300):
        self.pod, self.workflow, self.job, self.event, self.world, self.k = pod, workflow, job, event, world, k
        self.crane_kind, self.step_timeout = crane_kind, step_timeout
        repo = world.repository.split("/")[1]
        self.workspace = f"{RUNNER_HOME}/work/{repo}/{repo}"
        event_path = f"{TEMP}/_github_workflow/event.json"
        workflow_file = Path(workflow.path).name
        self.github = events.github_context(event, world, workflow.name or workflow_file, workflow_file,
                                            job.id, self.workspace, event_path)
        self.secrets = {"GITHUB_TOKEN": world.token}
        self.masks = [world.token]
        self.env_accum: dict[str, str] = {}
        self.path_accum: list[str] = []
        self.steps_ctx: dict[str, dict] = {}
        self.failed = False
        self.next_index = 0
        self.result = JobResult(job.id, _text(job.if_), False, "skipped")

    # contexts ------------------------------------------------------------------------------

    def contexts(self, env: dict | None = None) -> dict:
        return {
            "github": self.github, "env": env if env is not None else self.base_env(),
            "vars": {}, "secrets": self.secrets, "job": {"status": "failure" if self.failed else "success"},
            "steps": self.steps_ctx, "runner": {"os": "Linux", "arch": "X64", "name": "GitHub Actions 1",
                                                "temp": TEMP, "tool_cache": "/opt/hostedtoolcache",
                                                "environment": "github-hosted"},
            "strategy": {}, "matrix": {}, "needs": {}, "inputs": self.inputs(),
        }

    def inputs(self) -> dict:
        if not isinstance(self.event, events.Dispatch):
            return {}
        spec = (self.workflow.on.get("workflow_dispatch") or {}).get("inputs") or {}
        out = {}
        for name, definition in spec.items():
            definition = definition or {}
            raw = self.event.inputs.get(name, definition.get("default", ""))
            kind = definition.get("type", "string")
            out[name] = (str(raw).lower() == "true") if kind == "boolean" else (
                float(raw) if kind == "number" and str(raw) else str(raw))
        return out

    def base_env(self) -> dict:
        ctx = {"github": self.github, "secrets": self.secrets, "vars": {}, "inputs": self.inputs(),
               "env": {}, "runner": {}, "job": {}, "steps": {}, "strategy": {}, "matrix": {}, "needs": {}}
        env = {k: _str(expressions.interpolate(str(v), ctx)) for k, v in self.workflow.env.items()}
        ctx["env"] = env
        env |= {k: _str(expressions.interpolate(str(v), ctx)) for k, v in self.job.env.items()}
        return {**env, **self.env_accum}

    # job -----------------------------------------------------------------------------------

    def start(self) -> bool:
        ctx = self.contexts()
        if self.job.if_ is not None and not expressions.evaluate_if(self.job.if_, ctx):
            self.next_index = len(self.job.steps)
            return False
        self.result.ran, self.result.conclusion = True, "success"
        self.pod.reset_runner(self.k)
        home = self.pod.runner_home(self.k)
        for sub in ("work/_temp/_github_workflow", "work/_temp/_runner_file_commands",
                    self.workspace.removeprefix(RUNNER_HOME + "/")):
            (home / sub).mkdir(parents=True, exist_ok=True)
        (home / "work/_temp/_github_workflow/event.json").write_text(json.dumps(self.github["event"], indent=2))
        return True

    def pending(self) -> bool:
        return self.next_index < len(self.job.steps)

    def run(self) -> JobResult:
        if self.start():
            while self.pending():
                self.step()
        return self.finish()

    def finish(self) -> JobResult:
        if self.result.ran:
            self.result.conclusion = "failure" if self.failed else "success"
        return self.result

    # steps ---------------------------------------------------------------------------------

    def step(self) -> StepResult:
        step = self.job.steps[self.next_index]
        self.next_index += 1
        result = StepResult(step.index, step.title, step.id, _text(step.if_), False, "skipped", "skipped",
                            uses=step.uses)
        status = {"success": not self.failed, "failure": self.failed, "cancelled": False}
        try:
            should_run = expressions.evaluate_if(step.if_, self.contexts(), status=status)
        except expressions.ExpressionError as exc:
            should_run = False
            result.outcome = result.conclusion = "failure"
            result.notes.append(f"`if` could not be evaluated: {exc}")
            self.failed = True
        if should_run:
            self._execute(step, result)
        elif result.outcome == "skipped":
            result.skip_reason = self._why_skipped(step)
        self._record(step, result)
        return result

    def _why_skipped(self, step: Step) -> str:
        text = _text(step.if_)
        implicit = not expressions.calls_status_function(_parsed(text, self.contexts()))
        if self.failed and implicit:
            return "an earlier step failed (implicit success())"
        return f"if {text} → false" if text else "no reason recorded"

    def _record(self, step: Step, result: StepResult) -> None:
        if result.ran and result.outcome == "failure":
            result.conclusion = "success" if self._continue_on_error(step) else "failure"
            if result.conclusion == "failure":
                self.failed = True
        if step.id:
            self.steps_ctx[step.id] = {"outputs": dict(result.outputs), "outcome": result.outcome,
                                       "conclusion": result.conclusion}
        self.result.steps.append(result)

    def _continue_on_error(self, step: Step) -> bool:
        value = step.continue_on_error
        if isinstance(value, str):
            return expressions.truthy(expressions.evaluate_template(value, self.contexts()))
        return bool(value)

    def _execute(self, step: Step, result: StepResult) -> None:
        result.ran = True
        ctx = self.contexts()
        step_env = {k: _str(expressions.interpolate(str(v), ctx)) for k, v in step.env.items()}
        if step.uses:
            action = actions.lookup(step.uses)
            inputs = actions.resolve_inputs(action, {k: expressions.interpolate(str(v), ctx)
                                                     for k, v in step.with_.items()})
            plan = action.plan(inputs, self.github, self.crane_kind)
            self.path_accum = list(reversed(plan.path)) + self.path_accum
            result.notes.append(f"action {action.repository}: PATH += {', '.join(plan.path)}; inputs {inputs}")
            if plan.script is None:
                result.outcome = result.conclusion = "success"
                return
            script, shell, step_env = plan.script, "bash", {**step_env, **plan.env}
            self.masks += list(plan.env.values())
        else:
            script = expressions.interpolate(step.run, ctx)
            shell = step.shell or self.job.shell
        self._run_script(step, result, script, shell, step_env)

    def _run_script(self, step: Step, result: StepResult, script: str, shell: str | None, step_env: dict) -> None:
        home = self.pod.runner_home(self.k)
        files = self._fresh_files(step.index)
        script_path = f"{TEMP}/step_{step.index}.sh"
        (home / script_path.removeprefix(RUNNER_HOME + "/")).write_text(script)
        env = {**events.env_for(self.github, TEMP, RUNNER_HOME), **self.base_env(), **step_env, **files,
               **HARNESS_ENV, "GITHUB_ACTION": step.id or f"__run_{step.index}",
               "PATH": ":".join(self.path_accum + [IMAGE_PATH])}
        timeout = float(step.timeout_minutes) * 60 if step.timeout_minutes else self.step_timeout
        argv = shell_argv(shell, script_path)
        result.invocation = {"argv": argv, "env": env, "workdir": self.workspace, "files": files,
                             "script": script, "script_path": script_path}
        done = self.pod.exec(argv, env, self.workspace, self.k, timeout)
        result.seconds, result.exit_code = done.seconds, done.exit_code
        result.outcome = "success" if done.exit_code == 0 else "failure"
        if done.exit_code == 124 and done.seconds >= timeout:
            result.notes.append(f"timed out after {timeout:g} s")
        self._read_output(done.output, result)
        self._read_files(files, result)

    def _fresh_files(self, index: int) -> dict[str, str]:
        home = self.pod.runner_home(self.k)
        out = {}
        for var, prefix in (("GITHUB_OUTPUT", "set_output"), ("GITHUB_ENV", "set_env"), ("GITHUB_PATH", "add_path"),
                            ("GITHUB_STEP_SUMMARY", "step_summary"), ("GITHUB_STATE", "save_state")):
            path = f"{TEMP}/_runner_file_commands/{prefix}_{index}"
            (home / path.removeprefix(RUNNER_HOME + "/")).write_text("")
            out[var] = path
        return out

    def _read_output(self, chunks: list[tuple[str, str]], result: StepResult) -> None:
        state = commands.CommandState()
        for stream, line in _lines(chunks):
            if not commands.process_line(line, state):
                result.log.append((stream, line))
        self.masks += state.masks
        result.annotations = [commands.Annotation(a.level, commands.mask(a.message, self.masks), a.properties)
                              for a in state.annotations]
        result.log = [(s, commands.mask(line, self.masks)) for s, line in result.log]
        result.outputs.update(state.outputs)
        result.notes += state.notes

    def _read_files(self, files: dict[str, str], result: StepResult) -> None:
        home = self.pod.runner_home(self.k)
        read = lambda var: (home / files[var].removeprefix(RUNNER_HOME + "/")).read_text(errors="replace")  # noqa: E731
        try:
            result.outputs.update(filecommands.parse_key_values(read("GITHUB_OUTPUT"), "GITHUB_OUTPUT"))
            self.env_accum.update(filecommands.parse_key_values(read("GITHUB_ENV"), "GITHUB_ENV"))
        except filecommands.FileCommandError as exc:
            result.notes.append(str(exc))
            result.outcome = "failure"
        self.path_accum = list(reversed(filecommands.parse_path(read("GITHUB_PATH")))) + self.path_accum
        result.summary = commands.mask(read("GITHUB_STEP_SUMMARY"), self.masks)


def shell_argv(shell: str | None, script_path: str) -> list[str]:
    template = SHELLS.get(shell, shell) if shell in SHELLS or shell is None else shell
    if "{0}" not in template:
        template = {"python": "python {0}", "pwsh": "pwsh -command . '{0}'"}.get(template, f"{template} {{0}}")
    return [script_path if part == "{0}" else part.replace("{0}", script_path) for part in shlex.split(template)]


def _lines(chunks: list[tuple[str, str]]):
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


def _parsed(text: str, contexts: dict):
    """The parsed `if` (without `${{ }}`) for inspection, or None when it cannot be parsed."""
    body = text.strip()
    if body.startswith("${{") and body.endswith("}}"):
        body = body[3:-2]
    try:
        return expressions.parse(body, contexts)
    except expressions.ExpressionError:
        return None


def _str(value) -> str:
    return value if isinstance(value, str) else str(value)
