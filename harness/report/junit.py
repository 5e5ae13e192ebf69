"""`gen simulate --junit FILE`: JUnit XML for CI systems. One test case per scenario and per
timeline variant; a failure carries the checks that failed, the trace goes to system-out."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Callable


def document(traces: list, text: Callable[[object], str]) -> str:
    root = ET.Element("testsuites", name="gen simulate")
    suites = {"scenarios": [t for t in traces if not hasattr(t, "events")],
              "timelines": [t for t in traces if hasattr(t, "events")]}
    totals = {"tests": 0, "failures": 0, "time": 0.0}
    for name, items in suites.items():
        if not items:
            continue
        failures = sum(not t.passed for t in items)
        seconds = sum(t.seconds for t in items)
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(items)), failures=str(failures),
                              errors="0", skipped="0", time=f"{seconds:.3f}")
        for t in items:
            _case(suite, t, name, text)
        totals["tests"] += len(items)
        totals["failures"] += failures
        totals["time"] += seconds
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("time", f"{totals['time']:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case(suite: ET.Element, trace, kind: str, text) -> None:
    classname = f"gen-simulate.{kind}" + (f".{trace.name}" if kind == "timelines" else "")
    case = ET.SubElement(suite, "testcase", classname=classname, name=trace.scenario, time=f"{trace.seconds:.3f}")
    failed = [c.text for c in trace.checks if not c.ok]
    if failed:
        failure = ET.SubElement(case, "failure", type="expectation",
                                message=f"{len(failed)} of {len(trace.checks)} checks failed: {failed[0]}")
        failure.text = "\n".join(failed)
    ET.SubElement(case, "system-out").text = text(trace)
