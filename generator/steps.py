"""The job's steps: name, id, `if:`, env and the rendered bash of each, in order."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import jinja2

from . import bash, explain
from . import references
from .config import Config, GateArm, Image, RegistryLogin
from .templating import Script, double_quoted, render

PROCEED = "steps.gate.outputs.proceed == 'true'"

# Every variable the step scripts set or read (tests/test_hostile_config.py checks the templates against it),
# so that an image's env var cannot shadow one.
SCRIPT_VARIABLES = frozenset({
    "SHORT", "SHA", "FULL", "DISPATCH_SHA", "HEAD_SHA", "GH_TOKEN", "REPO", "UPSTREAM_NAME", "UPSTREAM_URL",
    "EVENT_NAME", "RESULT", "GH_ERR", "ERROR", "CURRENT_REVISION", "TARGET_SHA", "STATUS", "REGISTRY_TOKEN",
    "ACTOR", "REGISTRY_USER", "REGISTRY_PASSWORD", "BEFORE", "MOVED", "STAYED", "ROLLED_BACK", "KEPT", "IMAGES", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY",
})
TOKEN = "${{ secrets.GITHUB_TOKEN }}"
SHORT = "${{ steps.sha.outputs.short }}"
FULL = "${{ steps.sha.outputs.full }}"


@dataclass(frozen=True)
class Step:
    role: str  # what the step does, stable whatever the config adds around it (e.g. `retag:platform`)
    name: str | None
    id: str | None = None
    if_: str | None = None
    uses: str | None = None
    uses_comment: str | None = None
    with_: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    script: Script | None = None
    comment: str | None = None


def build(config: Config, env: jinja2.Environment, history: frozenset[str] = frozenset()) -> list[Step]:
    """`history`: the template switches of `generator/history.py` to render (empty for `gen render`)."""
    return [
        sha_step(config, env),
        gate_step(config, env, history),
        setup_crane_step(config),
        *login_steps(config, env),
        verify_step(config, env),
        *([] if "no-ancestry-check" in history else [ancestry_step(config, env, history)]),
        *([record_step(config, env)] if config.retag.protect_split else []),
        *[retag_step(config, env, image) for image in config.images],
        *([split_check_step(config, env)] if config.retag.protect_split else []),
        summary_step(config, env),
    ]


def sha_step(config: Config, env) -> Step:
    return Step(
        role="sha",
        name="Compute short sha",
        id="sha",
        env={
            "DISPATCH_SHA": f"${{{{ github.event.inputs.{config.dispatch.input} }}}}",
            "HEAD_SHA": "${{ github.event.workflow_run.head_sha }}",
        },
        script=render(env, "steps/sha.sh.j2", {"short_len": config.tags.short_sha_length}),
    )


def gate_step(config: Config, env, history: frozenset[str] = frozenset()) -> Step:
    n = config.tags.short_sha_length
    fields = {"short": bash.prefix("SHA", n), "sha": bash.var("SHA"), "result": bash.var("RESULT"),
              "error": bash.var("ERROR"), **_config_fields(config)}
    context = {
        "e2e_name": config.e2e_trigger.name,
        "e2e_display": config.e2e.display,
        "workflow_file": config.e2e.workflow_file,
        "branch": config.branch,
        "short_len": n,
        "on_api_error": config.gate.on_api_error,
        "api_error_summary": [bash.echo(line, fields) for line in config.gate.api_error_summary],
        "arms": [_arm(arm, fields) for arm in config.gate.arms],
        "run_list_null": "run-list-null" in history,
    }
    return Step(
        role="gate",
        name=f"Gate — {config.e2e.display} state for this SHA",
        id="gate",
        env={
            "GH_TOKEN": TOKEN,
            "REPO": "${{ github.repository }}",
            "SHA": FULL,
            "UPSTREAM_NAME": "${{ github.event.workflow_run.name }}",
            "EVENT_NAME": "${{ github.event_name }}",
        },
        script=render(env, "steps/gate.sh.j2", context),
        comment=explain.gate_comment(config),
    )


def _config_fields(config: Config) -> dict[str, str]:
    """`{tag}` and `{branch}` in message text: the config's words, as quoted text (never code)."""
    return {"tag": double_quoted(config.tags.target), "branch": double_quoted(config.branch)}


def _arm(arm: GateArm, fields: dict) -> dict:
    return {
        "patterns": "|".join(arm.match),
        "action": arm.action,
        "comment": textwrap.wrap(arm.comment, 88) if arm.comment else [],
        "notice": bash.echo("::notice::" + arm.notice, fields) if arm.notice else None,
        "summary": [bash.echo(line, fields) for line in arm.summary],
    }


def setup_crane_step(config: Config) -> Step:
    pin = config.setup_crane
    return Step(role="setup-crane", name=None, if_=PROCEED, uses=f"{pin.uses}@{pin.sha}", uses_comment=pin.version)


def login_steps(config: Config, env) -> list[Step]:
    """One step per registry host the images name, in host order, each logging in its own way."""
    return [login_step(host, login, env) for host, login in config.logins]


def login_step(host: str, login: RegistryLogin, env) -> Step:
    role = f"login:{host}"
    if login.login == "github-token":
        return Step(role=role, name="GHCR login", if_=PROCEED,
                    env={"REGISTRY_TOKEN": TOKEN, "ACTOR": "${{ github.actor }}"},
                    script=render(env, "steps/login.sh.j2", {"registries": [host]}))
    name = f"Registry login ({host})"
    if login.login == "docker/login-action":
        pin = login.pin
        # docker login names Docker Hub `docker.io` (it stores it under https://index.docker.io/v1/).
        registry = references.DOCKER_HUB_ALIAS if host == references.DOCKER_HUB else host
        return Step(role=role, name=name, if_=PROCEED, uses=f"{pin.uses}@{pin.sha}", uses_comment=pin.version,
                    with_={"registry": registry, "username": login.user_value, "password": login.password_value})
    return Step(role=role, name=name, if_=PROCEED,
                env={"REGISTRY_USER": login.user_value, "REGISTRY_PASSWORD": login.password_value},
                script=render(env, "steps/login-secret.sh.j2", {"host": host}))


def _tag_env(config: Config) -> dict[str, str]:
    used = config.tags.candidate
    out = {"SHORT": SHORT} if "{short}" in used else {}
    if "{sha}" in used:
        out["SHA"] = FULL
    return out


def candidate_title(config: Config) -> str:
    return config.tags.candidate.replace("{short}", "<sha>").replace("{sha}", "<sha>")


def verify_step(config: Config, env) -> Step:
    count = len(config.images)
    which = {1: "the image", 2: "both images"}.get(count, f"all {count} images")
    publish = config.publish_triggers
    context = {
        "image_vars": " ".join(f'"{bash.var(i.env)}"' for i in config.images),
        "single": count == 1,
        "candidate": bash.candidate(config.tags.candidate),
        "target": config.tags.target,
        "builder": publish[0].name if publish else "The image build",
    }
    return Step(
        role="verify",
        name=f"Verify :{candidate_title(config)} exists for {which}",
        if_=PROCEED,
        env=_tag_env(config),
        script=render(env, "steps/verify.sh.j2", context),
        comment="Fail fast with a clear message rather than half-tag the fleet.",
    )


def ancestry_step(config: Config, env, history: frozenset[str] = frozenset()) -> Step:
    n = config.tags.short_sha_length
    fields = {"target": bash.var("TARGET_SHA"), "target_short": bash.prefix("TARGET_SHA", n),
              "current": bash.var("CURRENT_REVISION"), "current_short": bash.prefix("CURRENT_REVISION", n),
              "status": bash.var("STATUS"), "repo": bash.var("REPO"), **_config_fields(config)}
    summaries = {name: [bash.echo(line, fields) for line in lines] for name, lines in config.ancestry.summaries}
    context = {
        "primary": bash.var(config.images[0].env),
        "target": config.tags.target,
        "label": config.tags.revision_label,
        "no_label": config.ancestry.no_label,
        "short_len": n,
        "summaries": summaries,
        "label_reads_null": "label-reads-null" in history,
        "error_text": "ancestry-error-text" in history,
    }
    skip_dispatch = config.ancestry.on_dispatch == "skip"
    return Step(
        role="ancestry",
        name=f"Ancestry check — refuse to promote :{config.tags.target} backwards",
        id="ancestry",
        if_=PROCEED + (" && github.event_name != 'workflow_dispatch'" if skip_dispatch else ""),
        env={"GH_TOKEN": TOKEN, "REPO": "${{ github.repository }}", "TARGET_SHA": FULL},
        script=render(env, "steps/ancestry.sh.j2", context),
        comment=explain.ancestry_comment(config),
    )


def retag_step(config: Config, env, image: Image) -> Step:
    context = {"image": bash.var(image.env), "candidate": bash.candidate(config.tags.candidate),
               "target": config.tags.target}
    return Step(
        role=f"retag:{image.name}",
        name=f"Retag {image.step_label} :{candidate_title(config)} → :{config.tags.target}",
        if_=PROCEED,
        env=_tag_env(config),
        script=render(env, "steps/retag.sh.j2", context),
    )


def summary_step(config: Config, env) -> Step:
    fields = {"short": bash.var("SHORT"), **_config_fields(config)}
    context = {
        "target": config.tags.target,
        "images": config.images,
        "candidate": bash.candidate(config.tags.candidate),
        "fanout_notes": [bash.echo(line, fields) for line in config.summary.fanout_notes],
    }
    step_env = {"SHORT": SHORT, **_tag_env(config)}
    step_env |= {"EVENT_NAME": "${{ github.event_name }}",
                 "UPSTREAM_NAME": "${{ github.event.workflow_run.name }}",
                 "UPSTREAM_URL": "${{ github.event.workflow_run.html_url }}"}
    return Step(role="summary", name="Summary", if_=PROCEED, env=step_env,
                script=render(env, "steps/summary.sh.j2", context))


def _image_context(config: Config) -> list[dict]:
    return [{"name": i.name, "env": i.env, "ref": i.ref, "var": bash.var(i.env), "before": bash.var(f"BEFORE_{i.env}")}
            for i in config.images]


def record_step(config: Config, env) -> Step:
    return Step(
        role="record",
        name=f"Record :{config.tags.target} digests",
        id="latest_before",
        if_=PROCEED,
        script=render(env, "steps/record.sh.j2", {"images": _image_context(config), "target": config.tags.target}),
    )


def split_check_step(config: Config, env) -> Step:
    context = {"images": _image_context(config), "target": config.tags.target,
               "candidate": bash.candidate(config.tags.candidate), "candidate_title": candidate_title(config)}
    step_env = {"SHORT": SHORT, "SHA": FULL}
    step_env |= {f"BEFORE_{i.env}": f"${{{{ steps.latest_before.outputs.{i.env} }}}}" for i in config.images}
    return Step(
        role="split-check",
        name=f"Check :{config.tags.target} moved together",
        id="split_check",
        # always(): a failed retag must not skip the check that catches the split it leaves.
        if_="always() && steps.latest_before.outcome == 'success'",
        env=step_env,
        script=render(env, "steps/splitcheck.sh.j2", context),
        comment="Half-tag protection: a split fleet is rolled back and reported, never left silently.",
    )
