"""Cross-field rules the models cannot express, each reported at the field it concerns."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

from . import gate, hazards, registry_rules
from .config import PERMISSION_LEVELS, Config
from .loader import KEY, suggest
from .steps import SCRIPT_VARIABLES

TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
CANDIDATE_FIELDS = {"short", "sha"}

# Placeholders each kind of message may use; the renderer maps them to bash variables.
# Every kind may also name the config's target tag and branch: `{tag}`, `{branch}` (CONFIG_FIELDS).
CONFIG_FIELDS = {"tag", "branch"}
GATE_FIELDS = {"short", "sha", "result"} | CONFIG_FIELDS
API_ERROR_FIELDS = {"short", "sha", "error"} | CONFIG_FIELDS
ANCESTRY_FIELDS = {"target", "target_short", "current", "current_short", "status", "repo"} | CONFIG_FIELDS
SUMMARY_FIELDS = {"short"} | CONFIG_FIELDS


@dataclass(frozen=True)
class Problem:
    path: tuple
    expected: str
    got: object = None


def check(config: Config) -> list[Problem]:
    problems: list[Problem] = []
    for rule in (_permissions, _triggers, _images, _tags, _gate, _split, _messages, _accepted, _outputs):
        problems += rule(config)
    problems += [Problem(*p) for p in registry_rules.check(config)]
    return problems


def _permissions(config: Config) -> list[Problem]:
    out = []
    for scope, level in config.permissions.items():
        if level not in PERMISSION_LEVELS[scope]:
            out.append(Problem(("permissions", scope), f"a level the {scope} scope takes: "
                               f"{' or '.join(PERMISSION_LEVELS[scope])}", level))
    for scope in config.permission_notes:
        if scope not in config.permissions:
            listed = ", ".join(sorted(config.permissions)) or "none"
            out.append(Problem(("permission_notes", scope, KEY),
                               f"a scope listed under permissions ({listed}){suggest(scope, config.permissions)}",
                               scope))
    return out


# Names bash, the dynamic loader, the runner and the tools read from the environment: an image's
# env var must not change how the job runs.
RESERVED_ENV = {"PATH", "HOME", "SHELL", "ENV", "IFS", "CDPATH", "GLOBIGNORE", "SHELLOPTS", "BASHOPTS", "PS1", "PS2",
                "PS3", "PS4", "PWD", "OLDPWD", "USER", "LOGNAME", "HOSTNAME", "TMPDIR", "TZ", "LANG", "LANGUAGE",
                "CI", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "TERM", "EDITOR", "PAGER", "OPENSSL_CONF",
                "PYTHONPATH", "NODE_OPTIONS", "JQ_COLORS"}
RESERVED_ENV |= {"GODEBUG", "GOMAXPROCS", "GOGC", "GOMEMLIMIT", "GOTRACEBACK", "GOFLAGS", "GOPATH", "GOROOT",
                 "GOTOOLCHAIN", "GOPROXY"}
RESERVED_ENV_PREFIXES = ("GITHUB_", "RUNNER_", "ACTIONS_", "GH_", "GIT_", "LD_", "BASH_", "DOCKER_", "SSL_", "LC_")


def _env_reserved(name: str) -> str | None:
    if name in SCRIPT_VARIABLES or name.startswith("BEFORE_"):
        return "a name the workflow's steps do not use themselves"
    if name in RESERVED_ENV or name.startswith(RESERVED_ENV_PREFIXES):
        return ("a name that bash, the runner and the tools do not read (not PATH, HOME, BASH_ENV, LD_*, GITHUB_*, "
                "RUNNER_*, GH_*, DOCKER_* and the like)")
    return None


def _triggers(config: Config) -> list[Problem]:
    out = _duplicates([t.name for t in config.triggers], ("triggers",), "name", "a unique workflow name")
    roles = [t.role for t in config.triggers]
    if "e2e" not in roles:
        out.append(Problem(("triggers",), "exactly one trigger with role `e2e`", 0))
    extra = [i for i, role in enumerate(roles) if role == "e2e"][1:]
    out += [Problem(("triggers", i, "role"), "exactly one trigger with role `e2e`, and this is a second one", "e2e")
            for i in extra]
    return out


def _images(config: Config) -> list[Problem]:
    out = _duplicates([i.name for i in config.images], ("images",), "name", "a unique image name")
    # As crane reads them: `docker.io/acme/api` and `index.docker.io/acme/api` are one repository.
    out += _duplicates([i.reference.name for i in config.images], ("images",), "ref", "a unique image ref")
    out += _duplicates([i.env for i in config.images], ("images",), "env", "a unique env var name")
    for i, image in enumerate(config.images):
        why = _env_reserved(image.env)
        if why:
            out.append(Problem(("images", i, "env"), why, image.env))
    return out


def _duplicates(values: list, base: tuple, field: str, expected: str) -> list[Problem]:
    seen, out = set(), []
    for i, value in enumerate(values):
        if value in seen:
            out.append(Problem(base + (i, field), f"{expected}, but it repeats an earlier one", value))
        seen.add(value)
    return out


def _tags(config: Config) -> list[Problem]:
    out = []
    tags = config.tags
    fields = _placeholders(tags.candidate)
    example = tags.candidate.replace("{short}", "a" * tags.short_sha_length).replace("{sha}", "a" * 40)
    if fields is None or not fields or not fields <= CANDIDATE_FIELDS or not TAG.fullmatch(example):
        out.append(Problem(("tags", "candidate"),
                           "a tag pattern with {short} or {sha} and only [A-Za-z0-9._-] around it, at most 128 characters",
                           tags.candidate))
    if not TAG.fullmatch(tags.target):
        out.append(Problem(("tags", "target"), "a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]*)", tags.target))
    if tags.target == tags.candidate:
        out.append(Problem(("tags", "target"), "a tag other than the candidate pattern", tags.target))
    return out


def _gate(config: Config) -> list[Problem]:
    out = []
    arms = config.gate.arms
    for i, arm in enumerate(arms):
        for j, pattern in enumerate(arm.match):
            why = gate.pattern_problem(pattern)
            if why:
                out.append(Problem(("gate", "arms", i, "match", j), why, pattern))
    if out:
        return out
    missing = gate.uncovered(arms)
    if missing:
        shown = ", ".join(v if not v.endswith("/") else v + "(null)" for v in missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        out.append(Problem(("gate", "arms"),
                           f"an arm for every run state; none matches {shown}{more} "
                           "(add arms, or an explicit '*' arm)", f"{len(arms)} arms"))
    for i in gate.unreachable(arms):
        out.append(Problem(("gate", "arms", i, "match"), "an arm that some run state reaches; earlier arms take all of these",
                           list(arms[i].match)))
    return out


def _split(config: Config) -> list[Problem]:
    """Split protection rolls the moved images back to the digests recorded before the retags. That
    record is only the fleet's state while no other promotion runs: under `per-sha` another commit's run
    can retag between this run's record and its rollback, and the rollback then undoes that promotion
    (moving a target tag back and splitting the fleet). A registry offers no compare-and-set on a tag,
    so the rollback cannot be made safe there; the config refuses the pair instead. One image never
    rolls back (nothing can split), so it may keep both."""
    if config.concurrency.policy == "global" or not config.retag.protect_split or len(config.images) < 2:
        return []
    return [Problem(("concurrency", "policy"),
                    "`global` when retag.protect_split is on (the default) with two or more images: under per-sha "
                    "another run's promotion can land between this run's record and its rollback, which would undo "
                    "it (timeline split-rollback-per-sha); to keep per-sha, set retag.protect_split: false", "per-sha")]


def _messages(config: Config) -> list[Problem]:
    out = []
    for i, arm in enumerate(config.gate.arms):
        out += _lines(arm.summary, ("gate", "arms", i, "summary"), GATE_FIELDS)
        if arm.notice is not None:
            out += _lines([arm.notice], ("gate", "arms", i, "notice"), GATE_FIELDS, single=True)
    out += _lines(config.gate.api_error_summary, ("gate", "api_error_summary"), API_ERROR_FIELDS)
    for name, lines in config.ancestry.summaries:
        out += _lines(lines, ("ancestry", "summaries", name), ANCESTRY_FIELDS)
    out += _lines(config.summary.fanout_notes, ("summary", "fanout_notes"), SUMMARY_FIELDS)
    return out


def _accepted(config: Config) -> list[Problem]:
    return [Problem(("accept_warnings", i), f"a warning code, one of {', '.join(hazards.CODES)}", code)
            for i, code in enumerate(config.accept_warnings) if code not in hazards.CODES]


def _lines(lines: list[str], base: tuple, allowed: set, single: bool = False) -> list[Problem]:
    out = []
    for i, line in enumerate(lines):
        path = base if single else base + (i,)
        fields = _placeholders(line)
        if fields is None:
            out.append(Problem(path, "text whose braces form placeholders like {short}; write {{ or }} for a literal brace", line))
        elif not fields <= allowed:
            unknown = ", ".join(sorted(fields - allowed))
            out.append(Problem(path, f"placeholders among {{{', '.join(sorted(allowed))}}} (unknown: {unknown})", line))
        elif "\n" in line:
            out.append(Problem(path, "a single line", line))
    return out


def _outputs(config: Config) -> list[Problem]:
    if config.docs.readme is not None and config.docs.readme == config.workflow.output:
        return [Problem(("docs", "readme"), "a file other than workflow.output", config.docs.readme)]
    return []


def _placeholders(text: str) -> set | None:
    """The placeholder names in `text`, or None when its braces are not plain `{name}` placeholders."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    if any(name is not None and (spec or conversion) for _, name, spec, conversion in parsed):
        return None
    return {name for _, name, _, _ in parsed if name is not None}
