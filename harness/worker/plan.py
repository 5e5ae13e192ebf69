"""The job as the harness hands it to the worker: plain data, evaluated no further than the job
level. Each step's `if`, `env`, `with` and `run` stay raw; the worker evaluates them in turn.

New step features add a field with a default here and read it in `steps.py`; the wire format is
the dataclasses' own fields, so both ends follow.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


@dataclass(frozen=True)
class StepPlan:
    index: int
    title: str
    id: str | None = None
    condition: str | bool | int | float | None = None  # the raw `if:`
    uses: str | None = None
    with_: dict[str, str] = field(default_factory=dict)  # raw `with:`, each value a string
    env: dict[str, str] = field(default_factory=dict)  # raw step `env:`, each value a string
    run: str | None = None
    shell: str = "bash -e {0}"  # the command line, `{0}` standing for the script's path
    continue_on_error: str | bool = False  # a bool, or a template evaluated when the step ends
    timeout: float = 300.0  # seconds
    working_directory: str | None = None  # None: the workspace


@dataclass(frozen=True)
class JobPlan:
    job_id: str
    contexts: dict  # every context name → its value at the job's start (env: the job's env)
    runner_env: dict[str, str]  # the variables the runner sets for every step
    harness_env: dict[str, str]  # what the pod needs on top (the CA), after the step's own
    image_path: str  # PATH after GITHUB_PATH's entries
    temp: str  # RUNNER_TEMP: scripts and file-command files go under it
    masks: list[str]  # secrets masked from the start (the job token)
    crane_version: str
    steps: list[StepPlan] = field(default_factory=list)
    timeout: float | None = None  # the job's `timeout-minutes` in seconds: caps each step by what is left
    working_directory: str | None = None  # defaults.run.working-directory, evaluated at the job's start

    def to_wire(self) -> dict:
        return asdict(self)

    @classmethod
    def from_wire(cls, data: dict) -> "JobPlan":
        known = {f.name for f in fields(StepPlan)}
        steps = [StepPlan(**{k: v for k, v in s.items() if k in known}) for s in data["steps"]]
        return cls(**{**data, "steps": steps})
