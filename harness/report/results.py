"""The end of `gen simulate`: every trace as text (or all as JSON), then the pass/fail table."""
from __future__ import annotations

import json
from dataclasses import asdict

from pydantic import BaseModel

from harness.checks import intent
from harness.trace.timeline import TimelineTrace

from . import scenario_text, timeline_text


def text(trace) -> str:
    return timeline_text.render(trace) if isinstance(trace, TimelineTrace) else scenario_text.render(trace)


def as_json(traces: list) -> str:
    """Every trace as JSON, the same bytes on every run: wall-clock timings are left out (the table,
    --junit and --html carry them) and log timestamps are masked as the text trace masks them."""
    return json.dumps([_steady(json.loads(json.dumps(_plain(t), default=_encode))) for t in traces], indent=2)


def _plain(trace) -> dict:
    out = asdict(trace)
    out["passed"] = trace.passed
    return out


def _steady(value):
    if isinstance(value, dict):
        return {k: _steady(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_steady(v) for v in value]
    if isinstance(value, str):
        return scenario_text.normalize(value)
    return value


def _encode(value):
    # A fault is a pydantic model inside the timeline's world; the agent reads it the same way.
    if isinstance(value, BaseModel):
        return value.model_dump(exclude_none=True)
    return str(value)


def table(traces: list, problems: list[str] = ()) -> str:
    """One row per trace (with the intent a scenario states), the count passed, the scenarios per
    intent, and the library's own problems (nothing promotes, a trigger never fires)."""
    width = max([len(t.scenario) for t in traces] + [29])
    lines = [f"{'scenario or timeline[variant]':<{width}}  intent         result  checks  seconds"]
    for t in traces:
        failed = sum(not c.ok for c in t.checks)
        stated = getattr(t, "intent", None) or ("-" if isinstance(t, TimelineTrace) else "(none)")
        lines.append(f"{t.scenario:<{width}}  {stated:<13}  {'pass' if t.passed else 'FAIL'}    "
                     f"{len(t.checks) - failed}/{len(t.checks):<5} {t.seconds:.2f}")
    lines.append(f"{sum(t.passed for t in traces)}/{len(traces)} passed")
    if line := intent.counts_line(traces):
        lines.append(line)
    lines += [f"FAIL library: {p}" for p in problems]
    return "\n".join(lines)
