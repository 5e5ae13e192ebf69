"""A timeline as a picture: where every image's target tag points after each event (one line per
image over the commit history), with each invariant break marked on the event that broke it.

Plain SVG text, no scripts or external references, with data attributes naming what each mark
stands for so a test (or a reader's devtools) can check it against the trace.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

LEFT, TOP, STEP, ROW, BOTTOM, RIGHT, LEGEND = 150, 34, 56, 30, 46, 40, 240
COLOURS = ("#1f6feb", "#d97706", "#7c3aed", "#059669", "#db2777", "#0891b2")
NONE = "(none)"


@dataclass(frozen=True)
class Series:
    image: str
    commits: list[str]  # commit name after the start and after each event; NONE where there is no tag


def commit_rows(trace) -> list[str]:
    """Commit names, oldest first (the order they joined the history); below them any revision a tag
    held that is not in the history (a stranger's label), and NONE when a tag was absent."""
    history = [_name(trace, sha) for sha in trace.world.commits]
    held = [_name(trace, rev) for state in _states(trace) for rev in state.values()]
    strangers = sorted({h for h in held if h not in history and h != NONE})
    return ([NONE] if NONE in held else []) + strangers + history


def _name(trace, sha: str | None) -> str:
    if sha is None:
        return NONE
    return next((name for name, value in trace.world.names.items() if value == sha), sha[:7])


def _states(trace) -> list[dict]:
    return [trace.initial] + [record.latest for record in trace.events]


def series(trace) -> list[Series]:
    images = sorted(trace.initial) or sorted({repo for record in trace.events for repo in record.latest})
    return [Series(image, [_name(trace, state.get(image)) for state in _states(trace)]) for image in images]


def svg(trace, target: str = "latest") -> str:
    rows = commit_rows(trace)
    lines = series(trace)
    steps = len(trace.events)
    width = max(LEFT + STEP * steps + RIGHT, LEFT + LEGEND * len(lines))
    height = TOP + ROW * max(len(rows) - 1, 1) + BOTTOM

    def x(i: int) -> float:
        return LEFT + STEP * i

    def y(name: str) -> float:
        return TOP + ROW * (len(rows) - 1 - rows.index(name))

    label = f"{trace.name}[{trace.variant}]"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" data-timeline="{escape(label)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="where :{escape(target)} points after each event of {escape(label)}">',
           f'<title>:{escape(target)} after each event of {escape(label)}</title>']
    for name in rows:
        out.append(f'<line class="grid" x1="{LEFT}" y1="{y(name)}" x2="{x(steps)}" y2="{y(name)}"/>')
        out.append(f'<text class="commit" data-commit="{escape(name)}" x="{LEFT - 10}" y="{y(name) + 4}" '
                   f'text-anchor="end">{escape(name)}</text>')
    out.append(f'<text class="event" data-event="start" x="{x(0)}" y="{height - BOTTOM + 18}" '
               'text-anchor="middle">start</text>')
    out += _events(trace, x, height, width)
    for index, line in enumerate(lines):
        # Images on the same commit would hide each other: each line sits a little apart.
        nudge = (index - (len(lines) - 1) / 2) * 3
        points = " ".join(f"{x(i):g},{y(c) + nudge:g}" for i, c in enumerate(line.commits))
        colour = COLOURS[index % len(COLOURS)]
        out.append(f'<polyline class="tag" data-image="{escape(line.image)}" data-commits="{escape(" ".join(line.commits))}" '
                   f'points="{points}" stroke="{colour}"/>')
        out += [f'<circle class="point" cx="{x(i):g}" cy="{y(c) + nudge:g}" r="3" fill="{colour}"/>'
                for i, c in enumerate(line.commits)]
    out += _legend(lines, height)
    out.append("</svg>")
    return "\n".join(out)


def _events(trace, x, height: int, width: int) -> list[str]:
    out = []
    for record in trace.events:
        mark = f"{record.index}"
        out.append(f'<text class="event" data-event="{record.index}" x="{x(record.index)}" y="{height - BOTTOM + 18}" '
                   f'text-anchor="middle">{mark}<title>{escape(record.text)}</title></text>')
        broken = sorted({v.invariant for v in record.violations})
        if broken:
            texts = "; ".join(str(v) for v in record.violations)
            out.append(f'<g class="break" data-event="{record.index}" data-invariants="{" ".join(broken)}">'
                       f'<line x1="{x(record.index)}" y1="{TOP - 14}" x2="{x(record.index)}" y2="{height - BOTTOM + 4}"/>'
                       f'<text x="{x(record.index)}" y="{TOP - 18}" text-anchor="{_anchor(x(record.index), width)}">'
                       f'✗ {escape(", ".join(broken))}</text>'
                       f'<title>{escape(texts)}</title></g>')
    if trace.final:
        end = x(len(trace.events))
        broken = sorted({v.invariant for v in trace.final})
        out.append(f'<g class="break final" data-event="end" data-invariants="{" ".join(broken)}">'
                   f'<rect x="{end - 6}" y="{TOP - 14}" width="12" height="{height - BOTTOM - TOP + 18}"/>'
                   f'<title>{escape("; ".join(str(v) for v in trace.final))}</title></g>')
    return out


def _anchor(at: float, width: int) -> str:
    """Labels near the right edge end at their mark instead of running off the picture."""
    return "end" if at > width - 160 else ("start" if at < LEFT + 60 else "middle")


def _legend(lines: list[Series], height: int) -> list[str]:
    out = []
    for index, line in enumerate(lines):
        colour = COLOURS[index % len(COLOURS)]
        left = LEFT + index * LEGEND
        out.append(f'<g class="legend"><line x1="{left}" y1="{height - 10}" x2="{left + 18}" y2="{height - 10}" '
                   f'stroke="{colour}"/><text x="{left + 24}" y="{height - 6}">{escape(line.image)}</text></g>')
    return out
