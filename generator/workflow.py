"""Config → workflow document (ruamel CommentedMap) with the comments a reviewer needs."""
from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from .config import Config
from .steps import Step

JOB_IF = (
    "github.event_name == 'workflow_dispatch' ||\n"
    "(github.event_name == 'workflow_run' && github.event.workflow_run.conclusion == 'success')\n"
)
TRIGGER_NOTE = (
    "zizmor: ignore[dangerous-triggers] only completed runs on the protected branch; "
    "no checkout of untrusted code"
)


def document(config: Config, steps: list[Step]) -> CommentedMap:
    doc = CommentedMap()
    doc["name"] = config.workflow.name
    doc["on"] = _triggers(config)
    doc["permissions"] = CommentedMap()
    doc.yaml_set_comment_before_after_key(
        "permissions", before="The token gets nothing by default; the job asks for what it needs.")
    doc["concurrency"] = _concurrency(config)
    doc["env"] = CommentedMap((image.env, image.ref) for image in config.images)
    doc["jobs"] = CommentedMap(promote=_job(config, steps))
    return doc


def _triggers(config: Config) -> CommentedMap:
    run = CommentedMap()
    run["workflows"] = CommentedSeq(SingleQuotedScalarString(t.name) for t in config.triggers)
    run["types"] = _flow(["completed"])
    run["branches"] = _flow([config.branch])
    on = CommentedMap(workflow_run=run)
    on.yaml_add_eol_comment(TRIGGER_NOTE, "workflow_run")
    sha = CommentedMap(
        description=SingleQuotedScalarString(config.dispatch.description), required=False, type="string")
    on["workflow_dispatch"] = CommentedMap(inputs=CommentedMap({config.dispatch.input: sha}))
    return on


def _flow(items: list) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _concurrency(config: Config) -> CommentedMap:
    policy = config.concurrency
    name = policy.group or f"auto-promote-{config.tags.target}"
    if policy.policy == "per-sha":
        expr = (f"github.event.workflow_run.head_sha || github.event.inputs.{config.dispatch.input} "
                "|| github.sha")
        group = f"{name}-${{{{ {expr} }}}}"
        why = "One promotion per SHA at a time, so publish and E2E firing together land cleanly.\n" \
              "Different SHAs can promote in parallel."
    else:
        group = name
        why = "One promotion at a time across all SHAs: the ancestry check and the retags\n" \
              "cannot interleave with another run's."
    out = CommentedMap(group=group)
    out["cancel-in-progress"] = False
    out.yaml_set_start_comment(why, indent=2)
    return out


def _job(config: Config, steps: list[Step]) -> CommentedMap:
    job = CommentedMap()
    job["name"] = "promote"
    job["if"] = LiteralScalarString(JOB_IF)
    job.yaml_set_comment_before_after_key(
        "if", before="Dispatch, or an upstream that succeeded. A red E2E for this SHA is caught\n"
                     "by the gate step (publish upstream, E2E failed).", indent=4)
    job["runs-on"] = "ubuntu-latest"
    if config.environment is not None:
        job["environment"] = config.environment
    job["permissions"] = _permissions(config)
    job["steps"] = CommentedSeq(_step(step) for step in steps)
    return job


def _permissions(config: Config) -> CommentedMap:
    perms = CommentedMap(sorted(config.permissions.items()))
    for scope in perms:
        note = config.permission_notes.get(scope)
        if note:
            perms.yaml_add_eol_comment(note, scope)
    return perms


def _step(step: Step) -> CommentedMap:
    out = CommentedMap()
    for key, value in (("name", step.name), ("id", step.id), ("if", step.if_), ("uses", step.uses)):
        if value is not None:
            out[key] = value
    if step.uses_comment:
        out.yaml_add_eol_comment(step.uses_comment, "uses")
    if step.with_:
        out["with"] = CommentedMap(step.with_)
    if step.env:
        out["env"] = CommentedMap(step.env)
    if step.script is not None:
        out["run"] = LiteralScalarString(step.script.text)
    if step.comment:
        first_after_name = next(iter(k for k in out if k != "name"), None)
        if first_after_name:
            out.yaml_set_comment_before_after_key(first_after_name, before=step.comment, indent=8)
    return out
