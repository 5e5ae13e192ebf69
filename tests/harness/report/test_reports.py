"""The reports people read: JUnit XML for CI, one HTML page checked in a real headless Chromium,
and the Markdown step summary. Built from the session's real traces (every scenario, every timeline
variant), so nothing here is a hand-made example."""
from __future__ import annotations

import dataclasses
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from harness.report import html_page, junit, results, step_summary, timeline_chart
from harness.trace.scenario import Check
from tests.conftest import ROOT

# Where the browser test leaves its screenshots for a human to look at (git ignores the folder): the
# page's top (the pass/fail table) and the same page for the timelines alone (their charts).
SCREENSHOT = ROOT / "test-artifacts" / "simulate-report.png"
TIMELINES_SHOT = ROOT / "test-artifacts" / "simulate-report-timelines.png"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def traces(library_traces, timeline_traces) -> list:
    return list(library_traces["rendered"].values()) + list(timeline_traces.values())


def _failed_copy(trace):
    return dataclasses.replace(trace, checks=[*trace.checks, Check(False, "planted: :latest points at staging-x")])


@pytest.mark.docker
def test_junit_has_one_case_per_scenario_and_timeline_variant(traces, library_traces, timeline_traces):
    root = ET.fromstring(junit.document(traces, results.text).encode())
    # Whether each run passes is the simulation tests' business; here the counts must tell the truth.
    failing = [t.scenario for t in traces if not t.passed]
    assert root.tag == "testsuites" and int(root.get("tests")) == len(traces)
    assert int(root.get("failures")) == len(failing)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert int(suites["scenarios"].get("tests")) == len(library_traces["rendered"]) >= 45
    assert int(suites["timelines"].get("tests")) == len(timeline_traces)
    names = [c.get("name") for s in suites.values() for c in s.findall("testcase")]
    assert names == [t.scenario for t in traces]
    assert [c.get("name") for c in root.findall(".//testcase") if c.find("failure") is not None] == failing
    case = suites["timelines"].find("testcase")
    assert case.get("classname").startswith("gen-simulate.timelines.") and "timeline:" in case.find("system-out").text


@pytest.mark.docker
def test_junit_failure_carries_the_failed_checks(traces):
    broken = _failed_copy(traces[0])
    root = ET.fromstring(junit.document([broken, *traces[1:]], results.text).encode())
    assert int(root.get("failures")) == 1 + sum(not t.passed for t in traces[1:])
    failure = root.find(".//testcase/failure")
    assert failure.get("message") == f"1 of {len(broken.checks)} checks failed: planted: :latest points at staging-x"
    assert failure.text == "planted: :latest points at staging-x"


class _Dom(HTMLParser):
    """The elements a test cares about, with their attributes, from Chromium's serialized DOM."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.svg: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg":
            self.svg = attributes.get("data-timeline")
        attributes["_timeline"] = self.svg
        self.elements.append((tag, attributes))

    def find(self, tag, **wanted) -> list[dict]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v
                                                                 for k, v in wanted.items())]


def _chromium() -> str:
    found = shutil.which("chromium")
    if not found:
        pytest.skip("this machine has no Debian chromium (.ci/setup installs it)")
    return found


def _browser(args: list[str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)


@pytest.mark.docker
def test_html_page_in_headless_chromium(traces, tmp_path):
    page = html_page.page(traces, results.text, ".github/workflows/auto-promote-on-e2e.yml")
    for outside in ("<script", "<link", "src=", "url(", "@import"):
        assert outside not in page  # self-contained: nothing to fetch, nothing to run
    assert 'href="http' not in page and "href='http" not in page  # links only within the page (#…)
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    dumped = _browser(["--dump-dom", path.as_uri()])
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = _Dom()
    dom.feed(dumped.stdout)

    rows = [a for a in dom.find("tr") if "data-name" in a]
    assert [r["data-name"] for r in rows] == [t.scenario for t in traces]
    assert [r["class"] for r in rows] == ["pass" if t.passed else "fail" for t in traces]
    timelines = [t for t in traces if hasattr(t, "events")]
    assert [s["data-timeline"] for s in dom.find("svg", class_="timeline")] == [t.scenario for t in timelines]

    # history-e2e-only-trigger: cmd, then sweep, reach :latest, one publish each; both images move together.
    known = "history-e2e-only-trigger[as-is]"
    lines = [a for a in dom.find("polyline", class_="tag") if a["_timeline"] == known]
    assert [l["data-image"] for l in lines] == ["molecule-ai/platform", "molecule-ai/platform-tenant"]
    rows_y = {a["data-commit"]: float(a["y"]) - 4 for a in dom.find("text", class_="commit") if a["_timeline"] == known}
    assert sorted(rows_y, key=rows_y.get) == ["sweep", "cmd", "prev"]  # newest on top
    for line in lines:
        assert line["data-commits"].split() == ["prev", "prev", "cmd", "cmd", "sweep"]
        points = [tuple(map(float, p.split(","))) for p in line["points"].split()]
        assert [x for x, _ in points] == [timeline_chart.LEFT + timeline_chart.STEP * i for i in range(5)]
        assert [min(rows_y, key=lambda c: abs(rows_y[c] - y)) for _, y in points] == ["prev", "prev", "cmd", "cmd", "sweep"]

    # outage-fails-open: never-red breaks at event 5 (E2E for c1 goes red), and is marked there.
    breaks = [a for a in dom.find("g") if a["_timeline"] == "outage-fails-open[as-is]" and "break" in a.get("class", "")]
    assert [(b["data-event"], b["data-invariants"]) for b in breaks] == [("5", "never-red")]
    assert not [a for a in dom.find("g") if a["_timeline"] == "outage-fails-open[on-api-error-abort]"
                and "break" in a.get("class", "")]

    SCREENSHOT.parent.mkdir(exist_ok=True)
    only = tmp_path / "timelines.html"
    only.write_text(html_page.page(timelines, results.text, ".github/workflows/auto-promote-on-e2e.yml"), encoding="utf-8")
    for shot, page_path, height in ((SCREENSHOT, path, 2400), (TIMELINES_SHOT, only, 17000)):
        taken = _browser([f"--screenshot={shot}", f"--window-size=1280,{height}", page_path.as_uri()])
        assert taken.returncode == 0, taken.stderr[-2000:]
        header = shot.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1280, height)


@pytest.mark.docker
def test_a_failure_shows_in_the_page(traces):
    broken = _failed_copy(next(t for t in traces if hasattr(t, "events")))
    page = html_page.page([broken], results.text, "wf")
    assert '<p class="verdict fail">0 of 1 passed</p>' in page
    assert "<li>planted: :latest points at staging-x</li>" in page and "<details open>" in page


@pytest.mark.docker
def test_step_summary_lists_every_result_and_the_failed_checks(traces):
    text = step_summary.markdown([_failed_copy(traces[0]), *traces[1:]], "wf.yml")
    assert text.startswith(f"## ❌ gen simulate: {len(traces) - 1}/{len(traces)} passed")
    assert text.count("\n| `") == len(traces)
    assert f"- `{traces[0].scenario}`\n  - planted: :latest points at staging-x" in text


def _gen(*args, cwd=ROOT, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


@pytest.mark.docker
def test_simulate_writes_reports_and_appends_the_step_summary(pod_images, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    proc = _gen("simulate", "--quiet", "smoke", "--junit", str(tmp_path / "out/junit.xml"),
                "--html", str(tmp_path / "out/report.html"), env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0, proc.stderr
    cases = ET.parse(tmp_path / "out/junit.xml").getroot().findall(".//testcase")
    assert [c.get("name") for c in cases] == ["happy-path", "happy-path-from-config"]
    assert "<h1>gen simulate</h1>" in (tmp_path / "out/report.html").read_text(encoding="utf-8")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## ✅ gen simulate: 2/2 passed") and "| `happy-path` | pass |" in text


def test_a_report_path_that_cannot_be_written_fails_before_anything_runs(tmp_path):
    (tmp_path / "taken").write_text("a file\n", encoding="utf-8")
    proc = _gen("simulate", "smoke", "--junit", str(tmp_path / "taken/junit.xml"))
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert "taken is a file" in proc.stderr
    proc = _gen("simulate", "smoke", "--html", str(tmp_path))
    assert proc.returncode == 2 and "a file path expected, not a folder" in proc.stderr


def test_check_appends_its_step_summary(tmp_path):
    summary = tmp_path / "summary.md"
    proc = _gen("check", "--no-lint", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0, proc.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## ✅ gen check: `.github/workflows/auto-promote-on-e2e.yml` up to date and lint-clean")
    assert "4 warning(s)" in text and "[fail-open]" in text
