"""A timeline as readable, deterministic text: event → runs → decisions → where the target tag points."""
from __future__ import annotations

import re

from harness.library.invariant_names import INVARIANTS, describe
from harness.workflow.concurrency import LETTERS, ordinal
from harness.trace.timeline import EventPlayed, TimelineRun, TimelineTrace
from harness.world.world import World

from .scenario_text import normalize

SHA40 = re.compile(r"^[0-9a-f]{40}$")


def render(trace: TimelineTrace) -> str:
    out = [f"timeline: {trace.name} [{trace.variant}]"]
    if trace.description:
        out.append(f"about: {' '.join(trace.description.split())}")
    out += [f"workflow: {trace.workflow}", f"tools: {trace.tools}", f"start: :{trace.target} → {_latest(trace.initial, trace.world)}", ""]
    for record in trace.events:
        out += _event(record, trace.world, trace.target)
    out += ["", "invariants:"]
    broken, words = trace.broken(), describe(trace.target)
    for name in INVARIANTS:
        where = broken.get(name)
        state = "hold" if where is None else ("BROKEN at the end" if where == 0 else f"BROKEN at event {where}")
        out.append(f"  {name:<15} {state:<20} {words[name]}")
    for v in trace.final:
        out.append(f"  ✗ at the end: {v}")
    if trace.checks:
        out += ["", "expectations:"] + [f"  {'ok  ' if c.ok else 'FAIL'} {c.text}" for c in trace.checks]
    return normalize("\n".join(out)) + "\n"


def _event(record: EventPlayed, world: World, target: str) -> list[str]:
    out = [f"{record.index}. {record.text}"]
    if record.orders:
        out += _orders(record, world, target)
    else:
        for run in record.runs:
            out += _run(run, world, "   ")
    if record.runs or record.orders:
        out.append(f"   :{target} → {_latest(record.latest, world)}")
    if not record.orders:
        out += [f"   ✗ {v}" for v in record.violations]
    return out


def _orders(record: EventPlayed, world: World, target: str) -> list[str]:
    bad = [o for o in record.orders if o.violations]
    triggered = sum(r.triggered for r in record.runs)
    names = ", ".join(f"{LETTERS[i]} = {ordinal(i)}" for i in range(1, triggered))
    out = [f"   {len(record.orders)} step orders tried (a = first run, {names}){_coverage(record)}; "
           f"{len(bad)} broke an invariant; continuing from {record.continued_from}"]
    for order in record.orders:
        mark = "✗" if order.violations else "✓"
        runs = "; ".join(f"{n} {r.conclusion}" for n, r in zip(LETTERS, [r for r in order.runs if r.triggered]))
        out.append(f"   {mark} {order.order}: {runs}; :{target} → {_latest(order.latest, world)}")
        out += [f"       ✗ {v}" for v in order.violations]
    out.append("   runs (in the continued order):")
    for run in record.runs:
        out += _run(run, world, "     ")
    return out


def _coverage(record: EventPlayed) -> str:
    """How much of the space of orders the ones tried stand for."""
    if record.search != "search":
        return f", {record.search}"
    if record.stopped:
        known = f" of {_classes(record.space)}" if record.space is not None else ""
        return f", one per class{known}, until every break the variant expects was found"
    if record.exhausted:
        return f", one per class: every order of these runs is equivalent to one of them ({_classes(record.space)})"
    if record.space is None:
        return ", the limit reached before every shape of the runs was played: classes unknown"
    return f", {len(record.orders)} of {_classes(record.space)} (limit reached)"


def _classes(count: int) -> str:
    return "1 class" if count == 1 else f"{count} classes"


def _run(run: TimelineRun, world: World, indent: str) -> list[str]:
    if not run.triggered:
        return [f"{indent}run: {run.label} → not triggered ({run.reason})"]
    head = f"{indent}run: {run.label} → {run.conclusion}"
    if run.group:
        head += f"  [group {_short_shas(run.group)}]"
    lines = [head]
    for job in run.jobs:
        outputs = [f"{s.id}.{k}={_short(v)}" for s in job.steps if s.id for k, v in sorted(s.outputs.items())
                   if k != "full"]
        if outputs:
            lines.append(f"{indent}     " + ", ".join(outputs))
        failed = next((s for s in job.steps if s.outcome == "failure"), None)
        if failed:
            lines.append(f"{indent}     failed at: {failed.title} (exit {failed.exit_code})")
        heading = next((line for line in job.summary.splitlines() if line.startswith("#")), None)
        if heading:
            lines.append(f"{indent}     summary: {heading.lstrip('# ')}")
        stopped = next((s for s in job.steps if s.skip_reason.startswith("the run was cancelled")), None)
        if stopped:
            lines.append(f"{indent}     stopped before: {stopped.title}")
    if run.cancelled:
        lines.append(f"{indent}     cancelled {_short_shas(run.cancelled)}")
    if run.conclusion == "failure":
        lines.append(f"{indent}     alarm: {', '.join(run.legit) if run.legit else 'nothing to act on (false alarm)'}")
    return lines


def _short_shas(text: str) -> str:
    return re.sub(r"[0-9a-f]{40}", lambda m: m.group(0)[:7], text)


def _short(value: str) -> str:
    return value[:7] if SHA40.match(value) else value


def _latest(latest: dict, world: World) -> str:
    return ", ".join(f"{repo.rsplit('/', 1)[-1]}: {world.label(rev) if rev else '(none)'}" for repo, rev in sorted(latest.items()))
