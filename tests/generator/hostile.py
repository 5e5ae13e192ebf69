"""Hostile strings in every text field of the config, and what must hold for each.

The fields come from the config models (a new text field is covered without touching this file).
For every (field, string) case, either the config fails to load with one line pointing at that
field, or it renders a workflow that
- parses as YAML, with every `run:` a literal block;
- holds no `${{ }}` expression the templates did not write (config text never becomes one);
- lints clean: actionlint, zizmor (beyond the justified `dangerous-triggers` ignore) and
  shellcheck on every step script, run in batches;
- runs no config text as code: `saturated()` puts each string into every field that accepted it,
  and `run_branches` runs each step's bash on every branch with stub `gh` and `crane`, checking that
  no canary command ran and that every echoed line printed the config's text unchanged.

`python -m tests.generator.hostile` runs every string (the suite runs `SAMPLE`) and prints the counts.
"""
from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
import typing
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML

from generator import gate, lint, loader
from generator.config import Config
from generator.configfile import load_config
from generator.render import render
from harness.report.policy import markdown

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".github" / "auto-promote.yaml"
CANARY = "pwned"

HOSTILE: dict[str, str] = {
    "single-quote-subst": "x'$(touch pwned)'",
    "double-quote-break": 'a"; touch pwned; echo "b',
    "backticks": "`touch pwned`",
    "subst": "$(touch pwned)",
    "param": "${HOME:-$(touch pwned)}",
    "newline-yaml": "ok\nextra: injected",
    "newline-shell": "ok\ntouch pwned",
    "crlf": "ok\r\ntouch pwned",
    "expression": "${{ github.token }}",
    "expression-escaped-braces": "${{{{ secrets.X }}}}",
    "expression-split": "$${{ x }}",
    "hash": "# not a comment",
    "colon-space": "key: value",
    "yaml-indicators": "&a *b !c |d >e %f @g",
    "unicode": "émoji 🚀 — ünïcødé ✓",
    "bidi": "abc\u202edcba",
    "control": "bell\x07",
    "spaces": "  padded  ",
    "empty": "",
    "dash-option": "--output=/tmp/pwned",
    "backslashes": "a\\\\b\\n\\$(touch pwned)",
    "brackets": "[a] {b} (c) <d>",
    "pipes": "a | b || touch pwned",
    "long": "L" * 3000 + "$(touch pwned)",
}
# The suite's fixed sample: one of each kind of danger; and the strings whose saturated configs it runs.
SAMPLE = ["single-quote-subst", "double-quote-break", "backticks", "newline-yaml", "crlf",
          "expression-escaped-braces", "colon-space", "unicode", "bidi", "pipes", "backslashes", "long"]
SAMPLE_RUN = ["single-quote-subst", "double-quote-break", "backticks", "expression-escaped-braces", "pipes",
              "backslashes"]

SHA = "3a7f12c9d0e4b5a6f7081928374655647382910a"
PREVIOUS = "9c1d4e0b2a3f4c5d6e7f8091a2b3c4d5e6f70812"


# ---------------------------------------------------------------------------------------------
# Fields


@dataclass(frozen=True)
class TextField:
    loc: tuple  # into the config data; the last part is KEY for a mapping key
    kind: str  # "value" or "key"

    @property
    def name(self) -> str:
        out = ""
        for part in self.loc[:-1] if self.kind == "key" else self.loc:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out + (" (key)" if self.kind == "key" else "")


def text_fields(model: type[BaseModel] = Config, loc: tuple = ()) -> list[TextField]:
    """Every place in the config that holds text, found from the models."""
    out: list[TextField] = []
    for name, info in model.model_fields.items():
        out += _fields_of(info.annotation, loc + (name,))
    return out


def _fields_of(annotation: Any, loc: tuple) -> list[TextField]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _fields_of(args[0], loc)
    if origin in (typing.Union, types.UnionType):
        return [f for arg in args if arg is not type(None) for f in _fields_of(arg, loc)]
    if annotation is str:
        return [TextField(loc, "value")]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return text_fields(annotation, loc)
    if origin is list:
        return _fields_of(args[0], loc + (0,))
    if origin is dict:
        keys = [TextField(loc + (loader.KEY,), "key")] if _holds_text(args[0]) else []
        return keys + _fields_of(args[1], loc + ("<first>",))
    return []  # Literal, int, bool: no free text


def _holds_text(annotation: Any) -> bool:
    return annotation is str or typing.get_origin(annotation) is typing.Literal or (
        typing.get_origin(annotation) is typing.Annotated and typing.get_args(annotation)[0] is str)


def base_data() -> dict:
    return YAML(typ="safe").load(CONFIG.read_text(encoding="utf-8"))


def base_for(loc: tuple, base: dict | None = None) -> dict:
    """The base config for a field: a registry login is only valid beside an image on its host and an
    environment, so its fields get those around them (and refusals land on the field itself)."""
    data = copy.deepcopy(base) if base is not None else base_data()
    if loc[0] == "registries":
        data["images"].append({"name": "mirror", "ref": "registry.example.com/acme/api", "env": "MIRROR_IMAGE"})
        data["registries"] = {"registry.example.com": {"login": "docker/login-action",
                                                       "username_secret": "REGISTRY_USER",
                                                       "password_secret": "REGISTRY_PASSWORD"}}
        data["environment"] = "release"
    return data


def placed(data: dict, loc: tuple, value: str) -> tuple[dict, tuple]:
    """A copy of `data` with `value` at `loc` (made if missing); returns it and the concrete location."""
    data = copy.deepcopy(data)
    node: Any = data
    concrete: list = []
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if part == loader.KEY:  # rename the mapping's first key
            first = next(iter(node)) if node else "contents"
            node[value] = node.pop(first, "read")
            concrete.append(value)
            return data, tuple(concrete) + (loader.KEY,)
        if part == "<first>":
            part = next(iter(node)) if node else "contents"
        if isinstance(part, int):
            if not node:
                node.append(None)
            if last:
                node[part] = value
            elif node[part] is None:
                node[part] = {}
        else:
            if last:
                node[part] = value
            elif node.get(part) is None:
                node[part] = [] if isinstance(loc[i + 1], int) else {}
        concrete.append(part)
        node = node[part]
    return data, tuple(concrete)


def dump(data: dict) -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe")
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.width = 1 << 20
    yaml.dump(data, out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# One case


@dataclass
class Case:
    field: TextField
    hostile: str
    loc: tuple = ()
    outcome: str = ""  # "refused" | "rendered" | "broken"
    detail: str = ""
    workflow: str = ""
    config: Config | None = None
    scripts: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.field.name} <- {self.hostile}"


def try_case(text_field: TextField, hostile: str, workdir: Path, base: dict | None = None) -> Case:
    case = Case(text_field, hostile)
    data, case.loc = placed(base_for(text_field.loc, base), text_field.loc, HOSTILE[hostile])
    text = dump(data)
    path = workdir / "auto-promote.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        config = load_config(path)
    except loader.InputError as exc:
        case.outcome, case.detail = "refused", str(exc)
        problem = _refusal_problem(case, path, text, str(exc))
        if problem:
            case.outcome, case.detail = "broken", problem
        return case
    except Exception as exc:  # noqa: BLE001 - a traceback is exactly what this catches
        case.outcome, case.detail = "broken", f"load raised {type(exc).__name__}: {exc}"
        return case
    try:
        rendered = render(config, ".github/auto-promote.yaml")
        policy = markdown(config, rendered.text)
    except Exception as exc:  # noqa: BLE001
        case.outcome, case.detail = "broken", f"render raised {type(exc).__name__}: {exc}"
        return case
    case.outcome, case.workflow, case.config = "rendered", rendered.text, config
    case.scripts = {title: script.text for title, script in rendered.scripts.items()}
    problem = workflow_problem(rendered.text) or markdown_problem(policy)
    if problem:
        case.outcome, case.detail = "broken", problem
    return case


def _refusal_problem(case: Case, path: Path, text: str, message: str) -> str | None:
    """A refusal keeps the promise when it is one line at the field's own position."""
    if "\n" in message:
        return f"more than one line: {message!r}"
    tree = loader.scan(path, text)
    loc = case.loc
    if loc and loc[-1] == loader.KEY:
        line, col = loader.key_position(tree, loc[:-1])
        shown = loader.dotted(loc[:-1])
    else:
        line, col = loader.position(tree, loc)
        shown = loader.dotted(loc)
    prefix = f"{path}:{line}:{col}: "
    if not message.startswith(prefix):
        return f"expected the position {line}:{col}: {message}"
    rest = message[len(prefix):]
    if not (rest.startswith(shown + ": ") or rest.startswith(f"{shown}[")):
        return f"expected the field {shown}: {message}"
    return None


# Every expression the templates write; config text must never add one (the registry secrets are
# the ones base_for names).
TEMPLATE_EXPRESSIONS = re.compile(
    r"^(github\.(event_name|repository|actor|sha|event\.workflow_run\.(head_sha|name|html_url|conclusion)|"
    r"event\.inputs\.[a-z_][a-z0-9_-]*)|secrets\.GITHUB_TOKEN|secrets\.REGISTRY_(USER|PASSWORD)|steps\.(sha\.outputs\.(short|full)|"
    r"latest_before\.(outcome|outputs\.[A-Z_][A-Z0-9_]*)|gate\.outputs\.proceed)|"
    r"github\.event\.workflow_run\.head_sha \|\| github\.event\.inputs\.[a-z_][a-z0-9_-]* \|\| github\.sha)$")


def workflow_problem(text: str) -> str | None:
    try:
        doc = YAML(typ="safe").load(text)
    except Exception as exc:  # noqa: BLE001
        return f"the workflow does not parse: {exc}"
    if not isinstance(doc, dict) or set(doc) != {"name", "on", "permissions", "concurrency", "env", "jobs"}:
        return f"the workflow's top-level keys changed: {sorted(doc) if isinstance(doc, dict) else doc!r}"
    for value in _strings(doc):
        for expr in re.findall(r"\$\{\{(.*?)\}\}", value, flags=re.S):
            if not TEMPLATE_EXPRESSIONS.match(expr.strip()):
                return f"an expression the templates did not write: ${{{{{expr}}}}}"
    for step in doc["jobs"]["promote"]["steps"]:
        if "run" in step and "${{" in step["run"]:
            return f"`${{{{` inside run: of {step.get('name')}"
    if re.search(r"^\s*run: [^|]", text, flags=re.M):
        return "a run: script that is not a literal block"
    return None


def _strings(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def markdown_problem(text: str) -> str | None:
    """Every row of a generated table has as many cells as its header."""
    columns = None
    for line in text.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line)) - 1
        if columns is None:
            columns = cells
        elif cells != columns:
            return f"a README table row with {cells} cells instead of {columns}: {line[:120]}"
    return None


# ---------------------------------------------------------------------------------------------
# Linters, in batches


def lint_all(cases: list[Case]) -> dict[int, list[str]]:
    """Findings per case index, from one actionlint, one zizmor and one shellcheck run."""
    rendered = [(i, c) for i, c in enumerate(cases) if c.outcome == "rendered"]
    findings: dict[int, list[str]] = {}
    if not rendered:
        return findings
    with tempfile.TemporaryDirectory(prefix="promote-gen-hostile-") as tmp:
        folder = Path(tmp) / ".github" / "workflows"
        folder.mkdir(parents=True)
        files = {}
        for i, case in rendered:
            path = folder / f"case{i}.yml"
            path.write_text(case.workflow, encoding="utf-8")
            files[str(path)] = i
        env = dict(os.environ, PATH=os.environ.get("PATH", "") + os.pathsep + str(Path(sys.executable).parent))
        proc = subprocess.run([lint.tool("actionlint"), "-no-color", "-oneline", "-shellcheck=", *files],
                              capture_output=True, text=True, env=env)
        for line in proc.stdout.splitlines():
            name = line.split(":", 1)[0]
            findings.setdefault(files.get(name, -1), []).append("actionlint: " + line)
        proc = subprocess.run([lint.tool("zizmor"), "--offline", "--persona=auditor", "--format=json",
                               "--no-progress", *files], capture_output=True, text=True, env=env)
        for finding in json.loads(proc.stdout or "[]"):
            where = json.dumps(finding.get("locations", []))
            index = next((i for name, i in files.items() if name in where), -1)
            findings.setdefault(index, []).append(f"zizmor: {finding.get('ident')}: {finding.get('desc')}")
        scripts: dict[str, list[int]] = {}
        for i, case in rendered:
            for text in case.scripts.values():
                scripts.setdefault(text, []).append(i)
        script_files = {}
        for n, text in enumerate(scripts):
            path = Path(tmp) / f"script{n}.sh"
            path.write_text(text, encoding="utf-8")
            script_files[str(path)] = text
        proc = subprocess.run([lint.tool("shellcheck"), "--norc", "--shell=bash", "--format=json1", *script_files],
                              capture_output=True, text=True, env=env)
        for comment in json.loads(proc.stdout or '{"comments": []}')["comments"]:
            for i in scripts[script_files[comment["file"]]]:
                findings.setdefault(i, []).append(f"shellcheck: SC{comment['code']}: {comment['message']}")
    return findings


# ---------------------------------------------------------------------------------------------
# Running the bash on every branch, with stub tools

STUB_GH = r"""#!/bin/bash
# gh run list → $STUB_RUN (exit 1 when it is "fail"); gh api …/compare/… → $STUB_COMPARE ("fail" likewise)
case "$1 $2" in
  "run list") [ "$STUB_RUN" = fail ] && { echo "HTTP 500" >&2; exit 1; }; echo "$STUB_RUN" ;;
  api*) [ "$STUB_COMPARE" = fail ] && { echo '{"message":"Not Found"}'; exit 1; }; echo "$STUB_COMPARE" ;;
  *) echo "unexpected gh $*" >&2; exit 3 ;;
esac
"""
STUB_CRANE = r"""#!/bin/bash
# crane config → a config whose label $STUB_LABEL_KEY is $STUB_LABEL; digest → by $STUB_DIGESTS mode
case "$1" in
  auth) cat >/dev/null; exit 0 ;;
  config) [ -z "$STUB_LABEL" ] && { echo '{"config":{}}'; exit 0; }
          jq -n --arg k "$STUB_LABEL_KEY" --arg v "$STUB_LABEL" '{config: {Labels: {($k): $v}}}' ;;
  manifest) [ "$STUB_MANIFEST" = missing ] && exit 1; echo '{}' ;;
  digest) case "$STUB_DIGESTS:$2" in
            moved:*) echo sha256:1111 ;;
            stayed:*:latest*|stayed:*@*) echo sha256:0000 ;;
            stayed:*) echo sha256:1111 ;;
            split:*IMAGE0*) echo sha256:1111 ;;
            split:*:latest*) echo sha256:0000 ;;
            split:*) echo sha256:1111 ;;
            *) echo sha256:1111 ;;
          esac ;;
  tag) [ "$STUB_TAG" = fail ] && exit 1; exit 0 ;;
  *) echo "unexpected crane $*" >&2; exit 3 ;;
esac
"""


@dataclass
class Run:
    step: str
    branch: str
    code: int
    output: str  # stdout, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY together


def run_branches(workflow_text: str, config: Config, tmp: Path) -> list[Run]:
    """Each step's bash on each of its branches; raises AssertionError when a canary ran."""
    doc = YAML(typ="safe").load(workflow_text)
    stubs = tmp / "bin"
    stubs.mkdir(exist_ok=True)
    for name, body in (("gh", STUB_GH), ("crane", STUB_CRANE)):
        (stubs / name).write_text(body)
        (stubs / name).chmod(0o755)
    n = config.tags.short_sha_length
    values = {
        "github.event.workflow_run.head_sha": SHA, "secrets.GITHUB_TOKEN": "token", "github.repository": "acme/app",
        "steps.sha.outputs.full": SHA, "steps.sha.outputs.short": SHA[:n], "github.actor": "octo",
        "github.event.workflow_run.name": config.publish_triggers[0].name if config.publish_triggers else "build",
        "github.event_name": "workflow_run", "github.event.workflow_run.html_url": "https://example.invalid/1",
        f"github.event.inputs.{config.dispatch.input}": "",
    }
    values |= {f"steps.latest_before.outputs.{i.env}": "sha256:0000" for i in config.images}
    workflow_env = {k: str(v) for k, v in doc.get("env", {}).items()}
    jobs = []
    for step in doc["jobs"]["promote"]["steps"]:
        if "run" not in step:
            continue
        env = {k: _evaluate(v, values) for k, v in step.get("env", {}).items()}
        jobs += [(step, branch, {**workflow_env, **env, **extra}) for branch, extra in _branches(step, config)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda job: _run_one(*job, stubs, tmp, config), jobs))


def _evaluate(value: str, values: dict) -> str:
    def one(match):
        expr = match.group(1).strip()
        if expr not in values:
            raise AssertionError(f"unknown expression in env: {expr}")
        return values[expr]
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def _branches(step: dict, config: Config) -> list[tuple[str, dict]]:
    sid, name = step.get("id"), step.get("name", "")
    e2e = config.e2e_trigger.name
    if sid == "sha":
        return [("dispatch", {"DISPATCH_SHA": SHA}), ("upstream", {})]
    if sid == "gate":
        out = [("dispatch", {"EVENT_NAME": "workflow_dispatch"}), ("e2e-upstream", {"UPSTREAM_NAME": e2e})]
        for i, arm in enumerate(config.gate.arms):
            value = next((v for v in gate.universe() if gate.arm_for(config.gate.arms, v) == i), None)
            if value is not None:
                out.append((f"arm{i}:{value}", {"STUB_RUN": value}))
        return out + [("api-error", {"STUB_RUN": "fail"})]
    if sid == "ancestry":
        label = {"STUB_LABEL_KEY": config.tags.revision_label, "STUB_LABEL": PREVIOUS}
        return ([("no-label", {"STUB_LABEL": ""}), ("same", {**label, "STUB_LABEL": SHA})]
                + [(f"compare-{s}", {**label, "STUB_COMPARE": s})
                   for s in ("ahead", "identical", "behind", "diverged", "unexpected", "fail")])
    if name.startswith("Verify"):
        return [("present", {}), ("missing", {"STUB_MANIFEST": "missing"})]
    if sid == "split_check":
        return [(mode, {"STUB_DIGESTS": mode}) for mode in ("moved", "stayed")] + [
            ("split", {"STUB_DIGESTS": "split", config.images[0].env: "IMAGE0/" + config.images[0].ref}),
            ("split-rollback-fails", {"STUB_DIGESTS": "split", "STUB_TAG": "fail",
                                      config.images[0].env: "IMAGE0/" + config.images[0].ref})]
    if name == "Summary":
        return [("dispatch", {"EVENT_NAME": "workflow_dispatch"}), ("upstream", {})]
    return [("run", {})]


def _run_one(step: dict, branch: str, env: dict, stubs: Path, tmp: Path, config: Config) -> Run:
    work = Path(tempfile.mkdtemp(dir=tmp, prefix="step-"))
    out, summary = work / "output", work / "summary"
    out.touch()
    summary.touch()
    script = work / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    full_env = {"PATH": f"{stubs}:/usr/bin:/bin", "HOME": str(work), "GITHUB_OUTPUT": str(out),
                "GITHUB_STEP_SUMMARY": str(summary), "TMPDIR": str(work), "STUB_RUN": "none/none", "STUB_COMPARE": "ahead",
                "STUB_LABEL_KEY": config.tags.revision_label, "STUB_LABEL": PREVIOUS, **env}
    proc = subprocess.run(["bash", "-e", str(script)], cwd=work, env=full_env, capture_output=True, text=True,
                          timeout=20)
    leftovers = sorted(p.name for p in work.iterdir()) + sorted(p.name for p in Path("/tmp").glob("pwned*"))
    if CANARY in " ".join(leftovers) or "unexpected gh" in proc.stderr or "unexpected crane" in proc.stderr:
        raise AssertionError(f"{step.get('name')} [{branch}] ran config text: files {leftovers}, "
                             f"stderr {proc.stderr[-300:]!r}")
    text = proc.stdout + out.read_text(encoding="utf-8") + summary.read_text(encoding="utf-8")
    shutil.rmtree(work)
    return Run(step.get("name") or "", branch, proc.returncode, text)


def expected_lines(config: Config) -> list[str]:
    """Config text the bash must print unchanged on some branch (placeholders filled the way the steps fill them)."""
    n = config.tags.short_sha_length
    fields = {"short": SHA[:n], "sha": SHA, "target": SHA, "target_short": SHA[:n], "current": PREVIOUS,
              "current_short": PREVIOUS[:n], "repo": "acme/app", "tag": config.tags.target, "branch": config.branch}
    lines = []
    for arm in config.gate.arms:
        lines += [line for line in arm.summary if "{result}" not in line]
        if arm.notice and "{result}" not in arm.notice:
            lines.append("::notice::" + arm.notice)
    for name, summary in config.ancestry.summaries:
        if name == ("no_label_fail" if config.ancestry.no_label == "skip" else "no_label"):
            continue
        lines += [line for line in summary if "{status}" not in line]
    lines += config.summary.fanout_notes
    lines += [config.e2e.display]
    if config.publish_triggers:
        lines.append(config.publish_triggers[0].name)
    return [_format(line, fields) for line in lines if line.strip()]


def _format(line: str, fields: dict) -> str:
    try:
        return line.format(**fields)
    except (KeyError, IndexError, ValueError):
        return line


# ---------------------------------------------------------------------------------------------
# Everything at once


def saturated(cases: list[Case], hostile: str, hardened: bool) -> tuple[Config, str] | None:
    """The config with `hostile` in every field that accepted it alone; rendered."""
    data = base_for(("registries",))
    if hardened:
        data["gate"]["on_api_error"] = "abort"
        data["retag"] = {"protect_split": True}
        data["ancestry"]["no_label"] = "fail"
        data["ancestry"]["on_dispatch"] = "check"
        data["concurrency"]["policy"] = "global"
    for case in cases:
        if case.hostile == hostile and case.outcome == "rendered" and case.field.kind == "value":
            data, _ = placed(data, case.field.loc, HOSTILE[hostile])
    with tempfile.TemporaryDirectory(prefix="promote-gen-hostile-") as tmp:
        path = Path(tmp) / "auto-promote.yaml"
        path.write_text(dump(data), encoding="utf-8")
        config = load_config(path)
    return config, render(config, ".github/auto-promote.yaml").text


def run_all(strings: list[str]) -> tuple[list[Case], dict[int, list[str]]]:
    fields = text_fields()
    base = base_data()
    cases = []
    with tempfile.TemporaryDirectory(prefix="promote-gen-hostile-") as tmp:
        for text_field in fields:
            for hostile in strings:
                cases.append(try_case(text_field, hostile, Path(tmp), base))
    return cases, lint_all(cases)


def check_saturated(cases: list[Case], strings: list[str]) -> tuple[int, list[str]]:
    """Run every branch of the saturated configs; returns the number of runs and the lines not printed as written."""
    executed, failures = 0, []
    with tempfile.TemporaryDirectory(prefix="promote-gen-hostile-") as tmp:
        for hostile in strings:
            for hardened in (False, True):
                config, text = saturated(cases, hostile, hardened)
                runs = run_branches(text, config, Path(tmp))
                executed += len(runs)
                printed = "\n".join(r.output for r in runs)
                failures += [f"{hostile}{' (hardened)' if hardened else ''}: not printed unchanged: {line[:80]!r}"
                             for line in expected_lines(config) if line not in printed]
    return executed, failures


def main() -> int:
    strings = list(HOSTILE) if "--sample" not in sys.argv else SAMPLE
    cases, findings = run_all(strings)
    broken = [c for c in cases if c.outcome == "broken"]
    linted = [(cases[i], f) for i, f in findings.items()]
    executed, failures = check_saturated(cases, strings)
    by_field: dict[str, list[int]] = {}
    for case in cases:
        counts = by_field.setdefault(case.field.name, [0, 0, 0])
        counts[{"refused": 0, "rendered": 1, "broken": 2}[case.outcome]] += 1
    print(f"{'field':44} refused rendered broken")
    for name, (refused, rendered, bad) in by_field.items():
        print(f"{name:44} {refused:7} {rendered:8} {bad:6}")
    print(f"{len(text_fields())} text fields × {len(strings)} strings = {len(cases)} cases: "
          f"{sum(c.outcome == 'refused' for c in cases)} refused with one positioned line, "
          f"{sum(c.outcome == 'rendered' for c in cases)} rendered, {len(broken)} broke the promise; "
          f"{len(linted)} with lint findings; {executed} branch runs of the saturated configs, "
          f"{len(failures)} lines not printed unchanged")
    for case in broken:
        print(f"BROKEN {case.title}: {case.detail}")
    for case, found in linted:
        print(f"LINT {case.title}: {found[:3]}")
    for line in failures:
        print(f"PRINT {line}")
    return 1 if broken or linted or failures else 0


if __name__ == "__main__":
    sys.exit(main())
