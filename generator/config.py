"""Typed, immutable config for the auto-promote workflow.

The models check shapes and types; cross-field rules (gate coverage, duplicates,
tag patterns) live in `rules.py` so each error can point at the exact field.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Action = Literal["proceed", "defer", "abort"]

ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"
SHA40 = r"^[0-9a-f]{40}$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Workflow(Model):
    name: str = Field(min_length=1, description="The workflow's `name:`.")
    output: str = Field(
        ".github/workflows/auto-promote-on-e2e.yml",
        description="Where `gen render` writes the workflow, relative to the project root.",
    )
    notes: str = Field("", description="Free text rendered as a comment under the header.")


class Trigger(Model):
    name: str = Field(min_length=1, description="The upstream workflow's `name:`, as `workflow_run` sees it.")
    role: Literal["e2e", "publish"] = Field(
        description="`e2e`: its completion proves the SHA green, and a red run is the kill-switch. "
        "`publish`: builds the images; the gate asks the E2E workflow about the SHA."
    )


class E2E(Model):
    workflow_file: str = Field(
        pattern=r"^[A-Za-z0-9._-]+\.ya?ml$",
        description="File name of the E2E workflow that the gate queries with `gh run list --workflow`.",
    )
    display: str = Field(min_length=1, description="Short name used in logs and summaries.")


class Dispatch(Model):
    input: str = Field("sha", pattern=r"^[a-z_][a-z0-9_-]*$", description="The workflow_dispatch input holding the SHA.")
    description: str = "SHA to promote (override; defaults to upstream workflow_run head_sha)"


class Image(Model):
    name: str = Field(min_length=1, description="Short display name used in summaries.")
    ref: str = Field(
        pattern=r"^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$",
        description="Repository without tag, e.g. ghcr.io/org/app.",
    )
    env: str = Field(pattern=ENV_NAME, description="Workflow-level env var that holds `ref`.")
    label: str | None = Field(None, description="Name in the retag step's title; defaults to `name`.")

    @property
    def step_label(self) -> str:
        return self.label or self.name

    @property
    def registry(self) -> str:
        return self.ref.split("/", 1)[0]


class Tags(Model):
    candidate: str = Field("staging-{short}", description="Tag the build pushed; `{short}` or `{sha}` stand for the commit.")
    short_sha_length: int = Field(7, ge=4, le=40)
    target: str = Field("latest", description="Tag production pulls.")
    revision_label: str = Field("org.opencontainers.image.revision", min_length=1)


class PinnedAction(Model):
    uses: str = Field("imjasonh/setup-crane", pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    sha: str = Field(pattern=SHA40, description="Full commit SHA the action is pinned to.")
    version: str = Field(min_length=1, description="Human version, written as a comment after the SHA.")


class GateArm(Model):
    match: list[str] = Field(min_length=1, description="`status/conclusion` glob patterns, as in a bash `case` arm.")
    action: Action
    notice: str | None = Field(None, description="Text of a `::notice::` annotation.")
    summary: list[str] = Field(default_factory=list, description="Lines appended to the step summary.")
    comment: str | None = Field(None, description="Why this arm exists; rendered next to it.")


class Gate(Model):
    on_api_error: Action = Field(
        description="What a failed `gh run list` means. `proceed` is the seed's fail-open (folded into none/none)."
    )
    api_error_summary: list[str] = Field(
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
        description="Summary when the API call fails and on_api_error is abort or defer.",
    )
    arms: list[GateArm] = Field(min_length=1)


class AncestrySummaries(Model):
    no_label: list[str] = [
        "## ⚠ Ancestry check skipped — current :latest has no revision label",
        "",
        "Falling through to retag.",
    ]
    no_label_fail: list[str] = [
        "## ❌ Auto-promote refused — current :latest has no revision label",
        "",
        "Without the label the ancestry of `{target_short}` cannot be checked. Dispatch to override.",
    ]
    behind: list[str] = [
        "## ❌ Auto-promote refused — target is BEHIND current :latest",
        "",
        "| Field | Value |",
        "|---|---|",
        "| Target SHA | `{target}` |",
        "| Current :latest revision | `{current}` |",
        "| GitHub compare status | `behind` |",
        "",
        "Dispatch this workflow with the target sha to promote it anyway.",
    ]
    diverged: list[str] = [
        "## ❓ Auto-promote refused — history diverged",
        "",
        "| Field | Value |",
        "|---|---|",
        "| Target SHA | `{target}` |",
        "| Current :latest revision | `{current}` |",
        "| GitHub compare status | `diverged` |",
    ]
    error: list[str] = [
        "## ❌ Auto-promote aborted — ancestry-check API error",
        "",
        "`gh api repos/{repo}/compare/{current}...{target}` returned unexpected status: `{status}`",
    ]


class Ancestry(Model):
    no_label: Literal["skip", "fail"] = Field(description="`skip`: warn and retag (seed). `fail`: refuse.")
    on_dispatch: Literal["skip", "check"] = Field(description="`skip`: an operator dispatch bypasses the check (seed).")
    summaries: AncestrySummaries = AncestrySummaries()


class Concurrency(Model):
    policy: Literal["per-sha", "global"] = Field(
        description="`per-sha` (seed): runs for different SHAs overlap. `global`: one promotion at a time."
    )
    group: str = Field("auto-promote-latest", pattern=r"^[A-Za-z0-9._-]+$")


class Retag(Model):
    protect_split: bool = Field(
        False, description="After the retags, check that every image's :latest holds its candidate; on a split, "
        "roll the moved images back and fail with the commands that finish the job (the seed has no such check).")


class Docs(Model):
    readme: str | None = Field(
        "README.md", description="File whose generated policy section `gen render` writes and `gen check` "
        "drift-checks (gate table, `if` truth table, invariants); null to skip.")


class Summary(Model):
    fanout_notes: list[str] = Field(default_factory=list, description="Closing lines of the success summary.")


class Config(Model):
    """Everything the auto-promote workflow needs; the seed hard-codes all of it."""

    workflow: Workflow
    branch: str = Field("main", min_length=1)
    permissions: dict[str, Literal["read", "write", "none"]] = Field(
        description="The job's token permissions (scope: read|write|none)."
    )
    permission_notes: dict[str, str] = Field(
        default_factory=dict, description="Why each permission is needed; rendered as comments."
    )
    concurrency: Concurrency
    triggers: list[Trigger] = Field(min_length=1)
    e2e: E2E
    dispatch: Dispatch = Dispatch()
    images: list[Image] = Field(min_length=1)
    tags: Tags = Tags()
    setup_crane: PinnedAction
    gate: Gate
    ancestry: Ancestry
    retag: Retag = Retag()
    summary: Summary = Summary()
    docs: Docs = Docs()

    @property
    def e2e_trigger(self) -> Trigger:
        return next(t for t in self.triggers if t.role == "e2e")

    @property
    def publish_triggers(self) -> list[Trigger]:
        return [t for t in self.triggers if t.role == "publish"]
