"""`gen check`: render through the same function as `gen render`, compare with what is committed
(the workflow, the README's policy section, the schema files), lint, and report the warnings."""
from __future__ import annotations

import sys
from pathlib import Path

from .. import check as checking
from .. import hazards
from ..configfile import load_positioned, output_error
from ..outputs import OutputProblem, append_step_summary
from ..render import outputs_for, render
from . import ROOT, Harness, config_argument, schema_files

NAME = "check"
HELP = "fail when the committed workflow drifts or lints dirty"
DESCRIPTION = ("Render through the same function as `gen render` and compare byte for byte with the "
               "committed file, then run actionlint, zizmor --offline and shellcheck (findings point at "
               "templates/<file>:<line>). Exit 0 clean, 1 drift or findings, 2 bad config or usage.")
HINT = "run: gen render"


def add_arguments(parser) -> None:
    config_argument(parser)
    parser.add_argument("--no-lint", action="store_true", help="only compare; skip the linters")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on warnings too: settings that can promote a red commit or strand a green one")


def run(args, harness: Harness) -> int:
    config, positioned = load_positioned(args.config)
    rendered = render(config, str(args.config))
    out = Path(config.workflow.output)
    try:
        files = outputs_for(config, str(args.config), rendered, ROOT, harness.policy, schema_files(config, harness))
    except OutputProblem as problem:
        raise output_error(args.config, problem) from None
    report = checking.Report(drift=checking.drift(files, ROOT))
    if not args.no_lint:
        report.findings = checking.findings(rendered, config.workflow.output)
    code = _print(report, out)
    warnings, unaccepted = hazards.report(config, args.config, positioned)
    for line in warnings:
        print(line)
    if warnings:
        fails = " (--strict fails on them)" if args.strict and unaccepted else \
            ("; `gen check --strict` fails on them" if unaccepted else "")
        print(f"{len(warnings)} warning(s), {unaccepted} not accepted{fails}")
    result = max(code, 1) if args.strict and unaccepted else code
    append_step_summary(summary(report, out, warnings, result))
    return result


def summary(report: checking.Report, out: Path, warnings: list[str], result: int) -> str:
    """The Markdown appended to `$GITHUB_STEP_SUMMARY` in GitHub Actions."""
    state = "up to date and lint-clean" if report.clean else \
        ", ".join(part for part in ("drifted from the config (run `gen render`)" if report.drift else "",
                                    f"{len(report.findings)} lint finding(s)" if report.findings else "") if part)
    lines = [f"## {'✅' if result == 0 else '❌'} gen check: `{out}` {state}", ""]
    if report.findings:
        lines += ["```", *report.findings, "```", ""]
    if warnings:
        lines += [f"{len(warnings)} warning(s): settings that can promote a red commit or strand a green one", ""]
        lines += [f"- `{line.split(': warning', 1)[0]}`{line.split(': warning', 1)[1]}" for line in warnings]
    return "\n".join(lines) + "\n"


def _print(report: checking.Report, out: Path) -> int:
    if report.drift:
        sys.stdout.writelines(report.drift)
        if not report.drift[-1].endswith("\n"):
            print()
        print(f"{out} or its README section differs from what the config renders; {HINT}")
    for line in report.findings:
        print(line)
    if report.findings:
        print(f"{len(report.findings)} lint finding(s)")
    if report.clean:
        print(f"{out} is up to date and lint-clean")
    return 0 if report.clean else 1
