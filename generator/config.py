"""Typed, immutable config for the auto-promote workflow.

The models check shapes and types; cross-field rules (gate coverage, duplicates,
tag patterns) live in `rules.py` so each error can point at the exact field.

Every field carries a description and an example: `gen schema` hands them to editors, and
`gen init` writes the defaults below, which are the safe choices (each says why).
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import references
from .fields import Branch, Line, Name, PlainLine, ProjectPath, Text, WorkflowPath

Action = Literal["proceed", "defer", "abort"]

# The job token's scopes and the levels each takes (as actionlint knows them).
PERMISSION_LEVELS: dict[str, tuple[str, ...]] = {
    **{scope: ("read", "write", "none") for scope in (
        "actions", "artifact-metadata", "attestations", "checks", "code-quality", "contents", "deployments",
        "discussions", "drives", "issues", "packages", "pages", "pull-requests", "repository-projects",
        "security-events", "statuses")},
    "copilot-requests": ("write", "none"),
    "id-token": ("write", "none"),
    "models": ("read", "none"),
    "vulnerability-alerts": ("read", "none"),
}
Scope = Literal[tuple(sorted(PERMISSION_LEVELS))]  # type: ignore[valid-type]

ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"
SHA40 = r"^[0-9a-f]{40}$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Workflow(Model):
    name: Name = Field("Auto-promote after E2E", description="The workflow's `name:`, shown in the Actions tab.",
                      examples=["Auto-promote :latest after E2E"])
    output: WorkflowPath = Field(
        ".github/workflows/auto-promote-on-e2e.yml",
        description="Where `gen render` writes the workflow, relative to the project root (where gen runs): "
        "a `.yml` or `.yaml` file inside it, without `..`.",
        examples=[".github/workflows/auto-promote-on-e2e.yml"],
    )
    notes: Text = Field("", description="Free text rendered as a comment under the header: why the workflow is "
                                       "shaped the way it is.",
                       examples=["Why two triggers: E2E is paths-filtered, publish is not."])


class Trigger(Model):
    name: Name = Field(description="The upstream workflow's `name:`, as `workflow_run` sees it.",
                      examples=["Integration"])
    role: Literal["e2e", "publish"] = Field(
        description="`e2e`: its completion proves the SHA green, and a red run is the kill-switch. "
        "`publish`: builds the images; the gate asks the E2E workflow about the SHA.",
        examples=["publish"],
    )


class E2E(Model):
    workflow_file: str = Field(
        pattern=r"^[A-Za-z0-9._-]+\.ya?ml$",
        description="File name of the E2E workflow that the gate queries with `gh run list --workflow`.",
        examples=["integration.yml"],
    )
    display: Name = Field(description="Short name used in logs, summaries and the gate step's name.", examples=["Integration"])


class Dispatch(Model):
    input: str = Field("sha", pattern=r"^[a-z_][a-z0-9_-]*$", description="The workflow_dispatch input holding the SHA.",
                       examples=["sha"])
    description: PlainLine = Field("SHA to promote (override; defaults to upstream workflow_run head_sha)",
                             description="The input's description in the Run workflow form.",
                             examples=["Commit to promote (skips the E2E gate)"])


class Image(Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64,
                      description="Short name used in summaries and logs: letters, digits, `.`, `_`, `-`.",
                      examples=["api"])
    ref: str = Field(
        pattern=r"^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*$",
        description="Repository without tag, with its registry host as crane reads it: ghcr.io/org/app, "
                    "docker.io/org/app (Docker Hub), registry.example.com:5000/org/app.",
        examples=["ghcr.io/acme/api"],
    )
    env: str = Field(pattern=ENV_NAME, description="Workflow-level env var that holds `ref`.", examples=["API_IMAGE"])
    label: Name | None = Field(None, description="Name in the retag step's title; defaults to `name`.",
                              examples=["tenant"])

    @property
    def step_label(self) -> str:
        return self.label or self.name

    @property
    def reference(self) -> references.Reference:
        return references.parse(self.ref)

    @property
    def registry(self) -> str:
        """The host crane talks to for this image (`docker.io` reads as `index.docker.io`)."""
        return self.reference.host


class Tags(Model):
    candidate: str = Field("staging-{short}",
                           description="Tag the build pushed; `{short}` or `{sha}` stand for the commit. "
                                       "docker/metadata-action's `type=sha` pushes `sha-{short}`.",
                           examples=["sha-{short}"])
    short_sha_length: int = Field(7, ge=4, le=40, description="How many hex digits `{short}` keeps (git's default is 7).",
                                  examples=[7])
    target: str = Field("latest", description="Tag production pulls; the promotion moves it.", examples=["stable"])
    revision_label: str = Field("org.opencontainers.image.revision", pattern=r"^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$",
                                description="Image config label holding the commit the image was built from; the "
                                            "ancestry check reads it from the target tag (letters, digits, `.`, "
                                            "`_`, `/`, `-`).",
                                examples=["org.opencontainers.image.revision"])


# imjasonh/setup-crane v0.5, the newest release: the tag v0.5 points at this commit.
SETUP_CRANE = {"uses": "imjasonh/setup-crane", "sha": "6da1ae018866400525525ce74ff892880c099987", "version": "v0.5"}


class PinnedAction(Model):
    uses: str = Field(SETUP_CRANE["uses"], pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
                      description="The action's `owner/repo`.", examples=[SETUP_CRANE["uses"]])
    sha: str = Field(SETUP_CRANE["sha"], pattern=SHA40,
                     description="Full commit SHA the action is pinned to: a tag can be moved, a commit cannot.",
                     examples=[SETUP_CRANE["sha"]])
    version: Name = Field(SETUP_CRANE["version"],
                         description="Human version, written as a comment after the SHA.",
                         examples=[SETUP_CRANE["version"]])


# docker/login-action v3.3.0: the tag v3.3.0 points at this commit.
DOCKER_LOGIN = {"uses": "docker/login-action", "sha": "9780b0c442fbb1117ed29e0efdff1e18412f7567", "version": "v3.3.0"}
SECRET_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
USER_NAME = r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$"
Login = Literal["github-token", "secret", "docker/login-action"]


class LoginAction(Model):
    uses: Literal["docker/login-action"] = Field(DOCKER_LOGIN["uses"], description="The action's `owner/repo`.",
                                                 examples=[DOCKER_LOGIN["uses"]])
    sha: str = Field(DOCKER_LOGIN["sha"], pattern=SHA40,
                     description="Full commit SHA the action is pinned to: a tag can be moved, a commit cannot.",
                     examples=[DOCKER_LOGIN["sha"]])
    version: Name = Field(DOCKER_LOGIN["version"], description="Human version, written as a comment after the SHA.",
                         examples=[DOCKER_LOGIN["version"]])


class RegistryLogin(Model):
    login: Login = Field(
        description="`github-token`: the job's token (ghcr.io only; needs `packages: write`). `secret`: "
        "`crane auth login HOST -u USER --password-stdin` with the password from a secret, through `env:`. "
        "`docker/login-action`: the pinned action, with `registry`, `username` and `password` inputs.",
        examples=["secret"])
    username: str | None = Field(None, pattern=USER_NAME, max_length=255,
                                 description="The user name, written literally (or use `username_secret`).",
                                 examples=["acme-bot"])
    username_secret: str | None = Field(None, pattern=SECRET_NAME, max_length=100,
                                        description="The secret holding the user name (instead of `username`).",
                                        examples=["DOCKERHUB_USERNAME"])
    password_secret: str | None = Field(None, pattern=SECRET_NAME, max_length=100,
                                        description="The secret holding the password or access token.",
                                        examples=["DOCKERHUB_TOKEN"])
    action: LoginAction | None = Field(None, description="The pinned docker/login-action (login "
                                       "`docker/login-action` only; defaults to the pin shown).",
                                       examples=[dict(DOCKER_LOGIN)])

    @property
    def pin(self) -> LoginAction:
        return self.action or LoginAction()

    @property
    def user_value(self) -> str:
        """What the workflow passes as the user name: the literal, or the secret's expression."""
        return self.username if self.username is not None else f"${{{{ secrets.{self.username_secret} }}}}"

    @property
    def password_value(self) -> str:
        return f"${{{{ secrets.{self.password_secret} }}}}"


GITHUB_TOKEN_LOGIN = RegistryLogin(login="github-token")
RegistryHost = Annotated[str, Field(pattern=references.HOST.pattern, max_length=255)]


class GateArm(Model):
    match: list[str] = Field(min_length=1, description="`status/conclusion` glob patterns, as in a bash `case` arm.",
                             examples=[["completed/failure", "completed/timed_out"]])
    action: Action = Field(description="`proceed`: retag. `defer`: stop green (exit 0), a later event promotes. "
                                       "`abort`: stop red (exit 1), someone must look.",
                           examples=["abort"])
    comment: Text | None = Field(None, description="Why this arm exists; rendered next to it.",
                                examples=["E2E found a regression; the target tag stays put."])
    notice: Line | None = Field(None, description="Text of a `::notice::` annotation.",
                               examples=["E2E green for this SHA — proceeding with promote"])
    summary: list[Line] = Field(default_factory=list, description="Lines appended to the step summary; "
                                                                 "{short}, {sha}, {result}, {tag} (the target tag) and {branch} are filled in.",
                               examples=[["## ❌ Auto-promote aborted — E2E failed", "", "E2E for `{short}`: `{result}`"]])


def _arm(match: list[str], action: str, comment: str, notice: str | None = None,
         summary: list[str] | None = None) -> GateArm:
    return GateArm(match=match, action=action, comment=comment, notice=notice, summary=summary or [])


# The safe table: only a green E2E run, or no E2E run at all (the commit's paths skip E2E), promotes;
# anything red or unknown stops red, anything unfinished waits for E2E's own completion.
SAFE_ARMS = [
    _arm(["completed/success"], "proceed", "E2E passed for this commit.",
         notice="E2E green for this SHA — proceeding with promote"),
    _arm(["completed/failure", "completed/timed_out"], "abort", "E2E found a regression; the target tag stays put.",
         summary=["## ❌ Auto-promote aborted — E2E failed", "", "E2E for `{short}`: `{result}`",
                  "The target tag stays on the previous release. If this was a flake, re-run E2E or dispatch "
                  "this workflow with the sha."]),
    _arm(["completed/cancelled"], "defer",
         "A cancelled run is usually superseded by a newer push, whose own E2E and promotion follow; "
         "aborting here would page someone for nothing.",
         summary=["## ⏭ Auto-promote deferred — E2E was cancelled", "", "E2E for `{short}`: `{result}`",
                  "A newer commit's E2E promotes when it lands; dispatch with this sha to promote this one."]),
    _arm(["in_progress/*", "queued/*", "requested/*", "waiting/*", "pending/*"], "defer",
         "E2E is still running: promoting now could not be undone by a later red run, so wait; E2E's own "
         "completion re-fires this workflow.",
         summary=["## ⏳ Auto-promote deferred — E2E still running", "",
                  "Publish completed before E2E for `{short}` (state: `{result}`).",
                  "E2E's own completion re-fires this workflow: green promotes, red aborts."]),
    _arm(["none/none"], "proceed",
         "No E2E run exists for this commit: its paths skip E2E. If E2E runs on every commit, make this defer.",
         notice="No E2E run for this SHA (paths-filtered) — proceeding with promote"),
    _arm(["*"], "abort", "Any other state (neutral, skipped, action_required, stale, startup_failure) needs a human.",
         summary=["## ❓ Auto-promote aborted — unexpected E2E state", "", "E2E for `{short}`: `{result}` (unhandled)",
                  "Investigate, then re-run E2E or dispatch this workflow with the sha."]),
]


class Gate(Model):
    on_api_error: Action = Field(
        "abort",
        description="What a failed `gh run list` means. `abort` (safe): stop red with gh's error in the summary. "
        "`defer`: stop green; nothing re-fires the run. `proceed`: the seed's fail-open, read as none/none.",
        examples=["abort"],
    )
    api_error_summary: list[Line] = Field(
        default_factory=lambda: [
            "## ❌ Auto-promote stopped — could not read E2E state",
            "",
            "`gh run list` failed for `{short}`:",
            "",
            "```",
            "{error}",
            "```",
            "Re-run this workflow once the API answers, or dispatch it with the sha.",
        ],
        description="Summary when the API call fails and on_api_error is abort or defer; {short}, {sha}, {tag}, {branch} and "
                    "{error} (gh's stderr) are filled in.",
        examples=[["## ❌ Could not read E2E state for `{short}`", "", "{error}"]],
    )
    arms: list[GateArm] = Field(
        default_factory=lambda: list(SAFE_ARMS), min_length=1,
        description="The decision table, checked in order like a bash `case`: the first arm whose pattern "
                    "matches the E2E run's `status/conclusion` decides. Every state must reach an arm.",
        examples=[[{"match": ["completed/success", "none/none"], "action": "proceed"},
                   {"match": ["in_progress/*", "queued/*"], "action": "defer"},
                   {"match": ["*"], "action": "abort"}]],
    )


class AncestrySummaries(Model):
    no_label: list[Line] = Field([
        "## ⚠ Ancestry check skipped — current :{tag} has no revision label",
        "",
        "Falling through to retag.",
    ], description="Summary when the target tag is missing or has no revision label and `no_label: skip`.",
        examples=[["## ⚠ Ancestry check skipped — no revision label on the target tag"]])
    no_label_fail: list[Line] = Field([
        "## ❌ Auto-promote refused — current :{tag} has no revision label",
        "",
        "Without the label the ancestry of `{target_short}` cannot be checked. Dispatch to override.",
    ], description="Summary when the target tag has no revision label and `no_label: fail`.",
        examples=[["## ❌ Refused: `{target_short}` cannot be checked without a revision label"]])
    behind: list[Line] = Field([
        "## ❌ Auto-promote refused — target is BEHIND current :{tag}",
        "",
        "| Field | Value |",
        "|---|---|",
        "| Target SHA | `{target}` |",
        "| Current :{tag} revision | `{current}` |",
        "| GitHub compare status | `behind` |",
        "",
        "Dispatch this workflow with the target sha to promote it anyway.",
    ], description="Summary when the target commit is behind the one the target tag holds.",
        examples=[["## ❌ Refused: `{target_short}` is behind `{current_short}`"]])
    diverged: list[Line] = Field([
        "## ❓ Auto-promote refused — history diverged",
        "",
        "| Field | Value |",
        "|---|---|",
        "| Target SHA | `{target}` |",
        "| Current :{tag} revision | `{current}` |",
        "| GitHub compare status | `diverged` |",
    ], description="Summary when the two commits' histories diverged (a force-push).",
        examples=[["## ❓ Refused: `{target_short}` and `{current_short}` diverged"]])
    error: list[Line] = Field([
        "## ❌ Auto-promote aborted — ancestry-check API error",
        "",
        "`gh api repos/{repo}/compare/{current}...{target}` returned unexpected status: `{status}`",
    ], description="Summary when the compare API fails or answers something unknown.",
        examples=[["## ❌ Compare failed: `{status}`"]])


class Ancestry(Model):
    no_label: Literal["skip", "fail"] = Field(
        "skip", description="When the target tag is missing or has no revision label. `skip`: warn and retag "
                            "(the first promotion needs this). `fail`: refuse.",
        examples=["skip"])
    on_dispatch: Literal["skip", "check"] = Field(
        "skip", description="`skip`: an operator dispatch bypasses the check (the way to roll back on purpose). "
                            "`check`: dispatches are checked too.",
        examples=["skip"])
    summaries: AncestrySummaries = Field(AncestrySummaries(), description="Step-summary text for each refusal; "
                                         "{target}, {target_short}, {current}, {current_short}, {status}, {repo}, {tag}, {branch}.",
                                         examples=[{"behind": ["## ❌ Refused: `{target_short}` is behind"]}])


class Concurrency(Model):
    policy: Literal["per-sha", "global"] = Field(
        "global",
        description="`global` (safe): one promotion at a time, so one run's ancestry check and retags cannot "
        "interleave with another's. `per-sha` (seed): runs for different SHAs overlap.",
        examples=["global"],
    )
    group: str | None = Field(None, pattern=r"^[A-Za-z0-9._-]+$",
                              description="The concurrency group's name (per-sha appends the SHA); default "
                              "`auto-promote-<target tag>`.",
                              examples=["auto-promote-latest"])


class Retag(Model):
    protect_split: bool = Field(
        True, description="After the retags, check that every image's target tag holds its candidate; on a split, "
        "roll the moved images back and fail with the commands that finish the job (the seed has no such check).",
        examples=[True])


class Docs(Model):
    readme: ProjectPath | None = Field(
        None, description="File whose generated policy section `gen render` writes and `gen check` "
        "drift-checks (gate table, `if` truth table, invariants); null (the default) leaves READMEs alone.",
        examples=["README.md"])
    schemas: ProjectPath | None = Field(
        None, description="Folder where `gen render` keeps the JSON Schemas of the config, scenario and timeline "
        "files (`config.schema.json`, …) that their `# yaml-language-server: $schema=` lines point at, and "
        "`gen check` drift-checks; null to keep none.",
        examples=[".github/auto-promote"])


class Simulate(Model):
    folder: ProjectPath | None = Field(
        None, description="Folder of the repository's own scenario and timeline files, which a bare `gen simulate` "
        "runs after the library derived from this config; null (the default): the folder named like the config "
        "file (`.github/auto-promote/` for `.github/auto-promote.yaml`), where `gen init` writes its starters.",
        examples=[".github/auto-promote"])


class Summary(Model):
    fanout_notes: list[Line] = Field(default_factory=list, description="Closing lines of the success summary; "
                                                                      "{short}, {tag} and {branch} are filled in.",
                                    examples=[["Tenants pull the new image within 5 minutes."]])


PERMISSIONS = {"actions": "read", "contents": "read", "packages": "write"}
JOB_TOKEN_PUSH = "packages"  # the scope a github-token login needs to push (and only it)
PERMISSION_NOTES = {
    "actions": "the gate reads E2E workflow runs (a private repository refuses it without this)",
    "contents": "the ancestry check reads the compare API",
    "packages": "crane tag pushes the target tag's manifest",
}


class Config(Model):
    """Everything the auto-promote workflow needs; the seed hard-codes all of it."""

    workflow: Workflow = Field(Workflow(), description="The workflow's name, output path and header notes.",
                               examples=[{"name": "Auto-promote :latest after E2E"}])
    branch: Branch = Field("main", description="The branch whose commits are promoted: the trigger's "
                                                          "branch filter and the branch the gate queries.",
                        examples=["main"])
    permissions: dict[Scope, Literal["read", "write", "none"]] = Field(
        default_factory=lambda: dict(PERMISSIONS),
        description="The job's token permissions (scope: read|write|none).",
        examples=[dict(PERMISSIONS)],
    )
    permission_notes: dict[str, Line] = Field(
        default_factory=lambda: dict(PERMISSION_NOTES), description="Why each permission is needed; rendered as comments.",
        examples=[{"packages": "crane tag pushes the target tag's manifest"}],
    )
    concurrency: Concurrency = Field(Concurrency(), description="Whether promotions for different SHAs may overlap.",
                                     examples=[{"policy": "global"}])
    triggers: list[Trigger] = Field(min_length=1, description="Upstream workflows whose completion fires the "
                                                              "promotion: exactly one `e2e`, and the `publish` ones.",
                                    examples=[[{"name": "Integration", "role": "e2e"},
                                               {"name": "build-and-push", "role": "publish"}]])
    e2e: E2E = Field(description="The E2E workflow the gate asks about the commit.",
                     examples=[{"workflow_file": "integration.yml", "display": "Integration"}])
    dispatch: Dispatch = Field(Dispatch(), description="The manual `workflow_dispatch` override.",
                               examples=[{"input": "sha"}])
    images: list[Image] = Field(min_length=1, description="The images promoted together, in retag order.",
                                examples=[[{"name": "api", "ref": "ghcr.io/acme/api", "env": "API_IMAGE"}]])
    registries: dict[RegistryHost, RegistryLogin] = Field(
        default_factory=dict,
        description="How the job logs in to each registry host the images name (`docker.io` is "
                    "`index.docker.io`; a port is part of the host). ghcr.io needs no entry: it defaults to "
                    "`github-token`. Every other host must have one.",
        examples=[{"index.docker.io": {"login": "secret", "username": "acme-bot",
                                       "password_secret": "DOCKERHUB_TOKEN"}}])
    environment: Name | None = Field(
        None, description="The GitHub Environment the job runs in. Required when a registry logs in with "
        "secrets (`secret`, `docker/login-action`): keep them in the environment, so its protection rules "
        "gate their use (zizmor's secrets-outside-env).", examples=["release"])
    tags: Tags = Field(Tags(), description="Which tag the build pushed, which tag production pulls.",
                       examples=[{"candidate": "sha-{short}", "target": "latest"}])
    setup_crane: PinnedAction = Field(PinnedAction(), description="The pinned action that installs crane.",
                                      examples=[dict(SETUP_CRANE)])
    gate: Gate = Field(Gate(), description="What the E2E state of the commit decides.",
                       examples=[{"on_api_error": "abort"}])
    ancestry: Ancestry = Field(Ancestry(), description="The check that refuses to move the target tag backwards.",
                               examples=[{"no_label": "skip", "on_dispatch": "skip"}])
    retag: Retag = Field(Retag(), description="How the retags guard against a split fleet.",
                         examples=[{"protect_split": True}])
    summary: Summary = Field(Summary(), description="The success summary's closing notes.",
                             examples=[{"fanout_notes": ["Tenants pull the new image within 5 minutes."]}])
    docs: Docs = Field(Docs(), description="Files `gen render` keeps up to date besides the workflow.",
                       examples=[{"readme": "README.md"}])
    simulate: Simulate = Field(Simulate(), description="What a bare `gen simulate` runs besides the derived library.",
                               examples=[{"folder": ".github/auto-promote"}])
    accept_warnings: list[str] = Field(
        default_factory=list,
        description="Warning codes `gen check --strict` does not fail on (each is still printed): for a risk "
                    "taken knowingly, e.g. `no-run-stuck` when E2E runs on every commit.",
        examples=[["no-run-stuck"]])

    @model_validator(mode="before")
    @classmethod
    def _token_needs(cls, data):
        """Default permissions follow from the logins: `packages: write` only with a github-token login."""
        if not isinstance(data, dict):
            return data
        if "permissions" not in data and not _needs_job_token(data):
            data = {**data, "permissions": {k: v for k, v in PERMISSIONS.items() if k != JOB_TOKEN_PUSH}}
        if "permission_notes" not in data and isinstance(data.get("permissions"), dict):
            # The default notes for the scopes the job asks for, and no others.
            data = {**data, "permission_notes": {k: v for k, v in PERMISSION_NOTES.items() if k in data["permissions"]}}
        return data

    def login_for(self, host: str) -> RegistryLogin | None:
        for key, login in self.registries.items():
            if references.normalise_host(key) == host:
                return login
        return GITHUB_TOKEN_LOGIN if host == references.GHCR else None

    @property
    def logins(self) -> list[tuple[str, RegistryLogin]]:
        """(host, login) for every host the images name, in host order; a host without one is left out."""
        hosts = sorted({image.registry for image in self.images})
        return [(host, login) for host in hosts if (login := self.login_for(host)) is not None]

    @property
    def uses_secrets(self) -> bool:
        return any(login.login != "github-token" for _, login in self.logins)

    @property
    def uses_job_token(self) -> bool:
        return any(login.login == "github-token" for _, login in self.logins)

    @property
    def e2e_trigger(self) -> Trigger:
        return next(t for t in self.triggers if t.role == "e2e")

    @property
    def publish_triggers(self) -> list[Trigger]:
        return [t for t in self.triggers if t.role == "publish"]


def _needs_job_token(data: dict) -> bool:
    """From raw config data (before validation): does any image's host log in with the job token?"""
    images = data.get("images")
    registries = data.get("registries") or {}
    if not isinstance(images, list) or not isinstance(registries, dict):
        return True
    for image in images:
        ref = image.get("ref") if isinstance(image, dict) else None
        if not isinstance(ref, str):
            return True
        host = references.parse(ref).host
        entry = next((v for k, v in registries.items() if isinstance(k, str) and references.normalise_host(k) == host),
                     None)
        login = entry.get("login") if isinstance(entry, dict) else None
        if login == "github-token" or (entry is None and host == references.GHCR):
            return True
    return False
