"""The decision tables in words: Markdown for reviewers, and short comments for the YAML."""
from __future__ import annotations

from . import gate
from .markdown import cell, code
from .config import Config

ACTION_TEXT = {
    "proceed": "proceed (retag)",
    "defer": "defer (proceed=false, exit 0)",
    "abort": "abort (proceed=false, exit 1)",
}


def _show(value: str) -> str:
    return value + "(null)" if value.endswith("/") else value


def _compact(values: list[str]) -> str:
    """`queued/*` for a status whose every conclusion is listed, else the values themselves."""
    out, seen = [], set()
    for value in values:
        status = value.split("/")[0]
        whole = [f"{status}/{c}" for c in gate.CONCLUSIONS]
        if status in gate.STATUSES and all(v in values for v in whole):
            if status not in seen:
                out.append(f"{status}/* (all)")
                seen.add(status)
        else:
            out.append(_show(value))
    return ", ".join(out)


def arm_coverage(config: Config) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for value in gate.universe():
        out.setdefault(gate.arm_for(config.gate.arms, value), []).append(value)
    return out


def gate_rows(config: Config) -> list[tuple[str, str, str, str]]:
    """(when, pattern, action, states covered) in the order the bash checks them."""
    rows = [
        ("workflow_dispatch", "—", "proceed (operator override)", "—"),
        (cell(f"upstream is {code(config.e2e_trigger.name)}"), "—", "proceed (success per job `if`)", "—"),
    ]
    api = config.gate.on_api_error
    api_text = "proceed — fail-open, read as none/none" if api == "proceed" else ACTION_TEXT[api]
    if api != "proceed":
        rows.append(("`gh run list` fails", "api-error", api_text, "—"))
    coverage = arm_coverage(config)
    for i, arm in enumerate(config.gate.arms):
        covered = _compact(coverage.get(i, []))
        rows.append(("E2E run for the SHA", " \\| ".join(f"`{p}`" for p in arm.match), ACTION_TEXT[arm.action], covered))
    if api == "proceed":
        rows.append(("`gh run list` fails", "(folded into `none/none`)", api_text, "—"))
    return rows


def ancestry_rows(config: Config) -> list[tuple[str, str, str]]:
    target = config.tags.target
    dispatch = ("skipped: the step does not run" if config.ancestry.on_dispatch == "skip"
                else "checked like any other run")
    no_label = ("`skip-no-label`", "warning, retag") if config.ancestry.no_label == "skip" else (
        "`no-label`", "refuse (exit 1)")
    return [
        ("workflow_dispatch", "—", dispatch),
        (f"`:{target}` missing, or has no {code(config.tags.revision_label)} label", *no_label),
        ("label equals the target SHA", "`identical`", "retag (no-op)"),
        ("compare says `ahead`", "`ahead`", "retag"),
        ("compare says `identical`", "`identical`", "retag (no-op)"),
        ("compare says `behind`", "`behind`", "refuse (exit 1)"),
        ("compare says `diverged`", "`diverged`", "refuse (exit 1)"),
        ("compare fails or says anything else", "`error`", "refuse (exit 1)"),
    ]


LOGIN_TEXT = {
    "github-token": "the job's token (`crane auth login` as `github.actor`; needs `packages: write`)",
    "secret": "`crane auth login --password-stdin`, the password from a secret",
    "docker/login-action": "docker/login-action (writes `~/.docker/config.json`, which crane reads)",
}


def registry_rows(config: Config) -> list[tuple[str, str, str, str]]:
    """(host, images, how the job logs in, with what) for every host the images name."""
    rows = []
    for host, login in config.logins:
        images = ", ".join(code(i.name) for i in config.images if i.registry == host)
        how = LOGIN_TEXT[login.login]
        if login.login == "docker/login-action":
            how += f" {code(login.pin.uses + '@' + login.pin.sha[:12])} ({cell(code(login.pin.version))})"
        if login.login == "github-token":
            creds = "`secrets.GITHUB_TOKEN`"
        else:
            user = code(login.username) if login.username else code(f"secrets.{login.username_secret}")
            creds = f"user {user}, password {code('secrets.' + str(login.password_secret))}"
        rows.append((code(host), images, how, creds))
    return rows


def markdown(config: Config) -> str:
    lines = ["### Registries: where each image lives and how the job logs in", "",
             "| registry (as crane reads it) | images | login | credentials |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in registry_rows(config)]
    if config.environment:
        lines += ["", f"The job runs in the {cell(code(config.environment))} environment, which holds the secrets."]
    lines += ["", "### Gate: E2E state for the SHA", "",
             code(f"gh run list --workflow {config.e2e.workflow_file} --branch {config.branch} --commit SHA") + ", "
             "first matching row wins.", "",
             "| when | `status/conclusion` | action | states covered |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in gate_rows(config)]
    lines += ["", f"### Ancestry: may `:{config.tags.target}` move to the target?", "",
              "| situation | `decision` output | result |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in ancestry_rows(config)]
    return "\n".join(lines) + "\n"


def gate_comment(config: Config) -> str:
    lines = ["Decision table (gen explain):"]
    for i, arm in enumerate(config.gate.arms):
        lines.append(f"  {' | '.join(arm.match)} → {arm.action}")
    api = config.gate.on_api_error
    lines.append(f"  gh fails → {api}" + (" (fail-open)" if api == "proceed" else ""))
    lines.append("Dispatch and an E2E upstream proceed without asking.")
    return "\n".join(lines)


def ancestry_comment(config: Config) -> str:
    target = config.tags.target
    skip = "skip with a warning" if config.ancestry.no_label == "skip" else "refuse"
    lines = [
        "workflow_run completions arrive in any order; refuse to move "
        f":{target} to a commit behind the one it holds.",
        f"ahead / identical → retag; behind / diverged / API error → refuse; no label → {skip}.",
    ]
    if config.ancestry.on_dispatch == "skip":
        lines.append("A manual dispatch skips this check (operator override).")
    return "\n".join(lines)
