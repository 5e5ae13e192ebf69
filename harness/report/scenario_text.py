"""A scenario's trace as readable, deterministic text."""
from __future__ import annotations

import re

from harness.trace.job import JobResult, StepResult
from harness.trace.scenario import ScenarioTrace, request_line

TIMESTAMP = re.compile(r"\b\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\b")


def short(digest: str | None) -> str:
    return digest[:19] if digest else "(absent)"


def normalize(text: str) -> str:
    """Strip what changes from run to run (crane's log timestamps)."""
    return TIMESTAMP.sub("<time>", text)


def render(trace: ScenarioTrace) -> str:
    out: list[str] = [f"scenario: {trace.scenario}"]
    if trace.description:
        out.append(f"about: {trace.description.strip()}")
    out += [f"workflow: {trace.workflow}", f"tools: {trace.tools}", f"event: {trace.event}",
            f"trigger: {'triggered' if trace.triggered else 'not triggered'} ({trace.trigger_reason})"]
    if trace.concurrency:
        out.append(f"concurrency group: {trace.concurrency}")
    out += ["", "registry before:"] + _registry(trace.registry_before, None, trace.digest_names)
    for job in trace.jobs:
        out += ["", _job_line(job)]
        for step in job.steps:
            out += _step(step)
        if job.outputs:
            out.append("  job outputs: " + ", ".join(f"{k}={v}" for k, v in sorted(job.outputs.items())))
        out += [f"  note: {n}" for n in job.notes]
        if job.summary:
            out += ["", "  step summary:"] + [f"    | {line}".rstrip() for line in job.summary.rstrip("\n").split("\n")]
    if trace.triggered:
        out += ["", "requests:"] + ([f"  {_request(r)}" for r in trace.requests] or ["  (none)"])
    out += ["", "registry after:"] + _registry(trace.registry_after, trace.registry_before, trace.digest_names)
    if trace.checks:
        out += ["", "expectations:"] + [f"  {'ok  ' if c.ok else 'FAIL'} {c.text}" for c in trace.checks]
    return normalize("\n".join(out)) + "\n"


def _job_line(job: JobResult) -> str:
    needs = f" (needs {', '.join(job.needs)})" if job.needs else ""
    cond = f" if {' '.join(job.condition.split())} →" if job.condition else ""
    state = f"ran, conclusion {job.conclusion}" if job.ran else job.conclusion
    if not job.ran and job.skip_reason and not job.skip_reason.startswith("if "):
        state += f" — {job.skip_reason}"
    return f"job {job.id}{needs}:{cond} {state}"


def _step(step: StepResult) -> list[str]:
    head = f"  {step.index}. {step.title}" + (f" [{step.id}]" if step.id else "")
    if not step.ran:
        if step.outcome == "skipped":
            return [f"{head}: skipped — {step.skip_reason}"]
        return [f"{head}: {step.outcome}"] + [f"       note: {n}" for n in step.notes]
    lines = [f"{head}: {step.outcome}" + (f" (exit {step.exit_code})" if step.exit_code is not None else "")]
    for stream, text in step.log:
        lines.append(f"       {'!' if stream == 'stderr' else '|'} {text}".rstrip())
    lines += [f"       ::{a.level}:: {a.message}" for a in step.annotations]
    if step.outputs:
        lines.append("       outputs: " + ", ".join(f"{k}={v}" for k, v in sorted(step.outputs.items())))
    lines += [f"       note: {n}" for n in step.notes]
    return lines


def _request(r: dict) -> str:
    extra = []
    if r.get("fault"):
        extra.append(f"fault {r['fault']}")
    if r.get("unmatched"):
        extra.append("UNMATCHED ROUTE")
    tail = f"  [{', '.join(extra)}]" if extra else ""
    # A registry request on a host other than ghcr.io names its host (the log's route holds it).
    host = r.get("route") if r["service"] == "registry" and r.get("route") not in (None, "registry") else None
    return f"{r['service']:<8} {host + ' ' if host else ''}{request_line(r)} → {r.get('status', '-')}{tail}"


def _registry(state: dict, before: dict | None, names: dict) -> list[str]:
    lines = []
    for repo in sorted(state):
        for tag in sorted(state[repo]):
            digest = state[repo][tag]
            what = names.get(digest, "unknown content")
            change = ""
            if before is not None:
                old = before.get(repo, {}).get(tag)
                change = "  (unchanged)" if old == digest else f"  (was {short(old)})"
            lines.append(f"  {repo}:{tag} → {short(digest)} {what}{change}")
    if before is not None:
        for repo in sorted(before):
            for tag in sorted(set(before[repo]) - set(state.get(repo, {}))):
                lines.append(f"  {repo}:{tag} → (absent)  (was {short(before[repo][tag])})")
    return lines or ["  (empty)"]
