"""`gen simulate --html FILE`: one self-contained page (inline CSS and SVG, no scripts, nothing
fetched): the pass/fail table, a chart and the trace of each timeline, the trace of each scenario."""
from __future__ import annotations

import re
from html import escape
from typing import Callable

from . import timeline_chart

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1b1f24; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin-top: 32px; }
.verdict { font-weight: 600; } .verdict.pass { color: #116329; } .verdict.fail { color: #b3261e; }
table { border-collapse: collapse; margin-top: 12px; }
th, td { border-bottom: 1px solid #d0d7de; padding: 4px 12px 4px 0; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td.result { color: #b3261e; font-weight: 600; } tr.pass td.result { color: #116329; }
article { border-top: 1px solid #d0d7de; padding-top: 8px; margin-top: 16px; }
pre { background: #f6f8fa; padding: 10px; overflow-x: auto; font-size: 12px; line-height: 1.35; }
ul.failed, .broke { color: #b3261e; }
ol.events { font-size: 12px; columns: 2; color: #57606a; } ol.events li.end { list-style: none; }
svg.timeline { display: block; margin: 8px 0; background: #fff; }
svg .grid { stroke: #eaeef2; } svg text { font: 11px system-ui, sans-serif; fill: #57606a; }
svg .tag { fill: none; stroke-width: 2.5; } svg .legend line { stroke-width: 3; }
svg .break line { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .break text { fill: #b3261e; font-weight: 600; } svg .break rect { fill: #b3261e; opacity: 0.25; }
"""


def page(traces: list, text: Callable[[object], str], workflow: str, target: str = "latest") -> str:
    """The whole page; `text` renders a trace as the terminal shows it."""
    passed = sum(t.passed for t in traces)
    verdict = "pass" if passed == len(traces) else "fail"
    timelines = [t for t in traces if _is_timeline(t)]
    scenarios = [t for t in traces if not _is_timeline(t)]
    out = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>gen simulate: {passed}/{len(traces)} passed</title>", f"<style>{STYLE}</style>", "</head>",
           "<body>", "<header>", "<h1>gen simulate</h1>",
           f'<p class="verdict {verdict}">{passed} of {len(traces)} passed</p>',
           f"<p>workflow: <code>{escape(workflow)}</code></p>", "</header>", _table(traces)]
    if timelines:
        out.append('<section id="timelines"><h2>Timelines</h2>')
        out += [_timeline(t, text, target) for t in timelines]
        out.append("</section>")
    if scenarios:
        out.append('<section id="scenarios"><h2>Scenarios</h2>')
        out += [_scenario(t, text) for t in scenarios]
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _is_timeline(trace) -> bool:
    return hasattr(trace, "events")


def anchor(name: str) -> str:
    return "r-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")


def _table(traces: list) -> str:
    rows = ['<table id="results">',
            "<thead><tr><th>scenario or timeline[variant]</th><th>kind</th><th>result</th><th>checks</th>"
            "<th>seconds</th></tr></thead>", "<tbody>"]
    for t in traces:
        ok = sum(c.ok for c in t.checks)
        state = "pass" if t.passed else "fail"
        rows.append(f'<tr class="{state}" data-name="{escape(t.scenario)}">'
                    f'<td><a href="#{anchor(t.scenario)}">{escape(t.scenario)}</a></td>'
                    f'<td>{"timeline" if _is_timeline(t) else "scenario"}</td>'
                    f'<td class="result">{state}</td><td class="num">{ok}/{len(t.checks)}</td>'
                    f'<td class="num">{t.seconds:.2f}</td></tr>')
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows)


def _failed(trace) -> str:
    bad = [c.text for c in trace.checks if not c.ok]
    if not bad:
        return ""
    return '<ul class="failed">' + "".join(f"<li>{escape(b)}</li>" for b in bad) + "</ul>"


def _timeline(trace, text, target: str) -> str:
    state = "pass" if trace.passed else "fail"
    about = " ".join((trace.description or "").split())
    return "\n".join([
        f'<article id="{anchor(trace.scenario)}" class="{state}">',
        f"<h3>{escape(trace.scenario)}: {state}</h3>",
        f"<p>{escape(about)}</p>" if about else "",
        _failed(trace),
        timeline_chart.svg(trace, target),
        _event_list(trace),
        f"<details{' open' if not trace.passed else ''}><summary>trace</summary><pre>{escape(text(trace))}</pre></details>",
        "</article>"])


def _event_list(trace) -> str:
    """The events the chart's x axis numbers, each with what it broke."""
    items = []
    for record in trace.events:
        broke = "".join(f'<br><span class="broke">✗ {escape(str(v))}</span>' for v in record.violations)
        items.append(f'<li value="{record.index}">{escape(record.text)}{broke}</li>')
    items += [f'<li class="end"><span class="broke">✗ at the end: {escape(str(v))}</span></li>' for v in trace.final]
    return '<ol class="events">' + "".join(items) + "</ol>"


def _scenario(trace, text) -> str:
    state = "pass" if trace.passed else "fail"
    ok = sum(c.ok for c in trace.checks)
    return "\n".join([
        f'<article id="{anchor(trace.scenario)}" class="{state}">',
        f"<details{' open' if not trace.passed else ''}><summary><strong>{escape(trace.scenario)}</strong>: "
        f"{state} ({ok}/{len(trace.checks)} checks)</summary>",
        _failed(trace),
        f"<pre>{escape(text(trace))}</pre></details>",
        "</article>"])
