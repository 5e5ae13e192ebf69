"""A changed branch must fail: break one branch at a time in a copy of the rendered workflow and
`gen simulate --workflow <broken copy>` exits 1, with the scenario that covers that branch failing."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT, docker_engine, run_gen

pytestmark = pytest.mark.docker
WORKFLOW = ROOT / ".github/workflows/auto-promote-on-e2e.yml"

# name: (text to find once, replacement, scenarios to run, the scenario that must fail)
EDITS = {
    "gate-cancelled-grouped-with-failure": (
        "completed/failure|completed/timed_out)", "completed/failure|completed/timed_out|completed/cancelled)",
        ["gate-completed-cancelled"], "gate-completed-cancelled"),
    "gate-pending-dropped-from-defer": (
        "in_progress/*|queued/*|requested/*|waiting/*|pending/*)", "in_progress/*|queued/*|requested/*|waiting/*)",
        ["gate-pending"], "gate-pending"),
    "gate-empty-list-reads-null": (
        """--jq '(.[0] // {}) | "\\(.status // "none")/\\(.conclusion // "none")"'""",
        """--jq '.[0] | "\\(.status)/\\(.conclusion // "none")"'""",
        ["gate-no-run"], "gate-no-run"),
    "gate-abort-arm-exits-0": (
        "              } >> \"$GITHUB_STEP_SUMMARY\"\n              exit 1\n              ;;\n            completed/cancelled)",
        "              } >> \"$GITHUB_STEP_SUMMARY\"\n              ;;\n            completed/cancelled)",
        ["gate-completed-failure"], "gate-completed-failure"),
    "gate-e2e-upstream-not-recognised": (
        'if [ "$UPSTREAM_NAME" = "E2E Staging SaaS (full lifecycle)" ]', 'if [ "$UPSTREAM_NAME" = "E2E Staging SaaS" ]',
        ["trigger-e2e-success"], "trigger-e2e-success"),
    "job-if-drops-conclusion": (
        " && github.event.workflow_run.conclusion == 'success')", ")",
        ["trigger-publish-failure"], "trigger-publish-failure"),
    "ancestry-if-drops-dispatch-skip": (
        "if: steps.gate.outputs.proceed == 'true' && github.event_name != 'workflow_dispatch'",
        "if: steps.gate.outputs.proceed == 'true'",
        ["dispatch-skips-ancestry"], "dispatch-skips-ancestry"),
    "ancestry-compare-arguments-swapped": (
        '"repos/${REPO}/compare/${CURRENT_REVISION}...${TARGET_SHA}"', '"repos/${REPO}/compare/${TARGET_SHA}...${CURRENT_REVISION}"',
        ["ancestry-compare-ahead"], "ancestry-compare-ahead"),
    "ancestry-no-label-fails": (
        "(legacy image)\"\n            exit 0", "(legacy image)\"\n            exit 1",
        ["ancestry-no-label"], "ancestry-no-label"),
    "ancestry-identical-shortcut-removed": (
        'if [ "$CURRENT_REVISION" = "$TARGET_SHA" ]; then', 'if [ "$CURRENT_REVISION" = "never" ]; then',
        ["ancestry-label-equals-target"], "ancestry-label-equals-target"),
    "short-sha-shortened": (
        'echo "short=${FULL:0:7}"', 'echo "short=${FULL:0:6}"',
        ["happy-path"], "happy-path"),
    "verify-loop-drops-tenant": (
        'for img in "${IMAGE_NAME}" "${TENANT_IMAGE_NAME}"; do', 'for img in "${IMAGE_NAME}"; do',
        ["verify-second-missing"], "verify-second-missing"),
    "retag-tenant-uses-platform-image": (
        'crane tag "${TENANT_IMAGE_NAME}:staging-${SHORT}" latest', 'crane tag "${IMAGE_NAME}:staging-${SHORT}" latest',
        ["retag-both-move"], "retag-both-move"),
}


@pytest.fixture(scope="module")
def engine():
    return docker_engine()


@pytest.mark.parametrize("name", sorted(EDITS))
def test_broken_branch_is_caught(tmp_path, engine, name):
    old, new, scenarios, must_fail = EDITS[name]
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the edit for {name} no longer applies"
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    proc = run_gen("simulate", "-q", "--workflow", str(broken), *scenarios)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert any(line.startswith(must_fail + " ") and " FAIL " in line for line in proc.stdout.splitlines()), proc.stdout


def test_the_unbroken_copy_passes(tmp_path, engine):
    scenarios = sorted({s for _, _, names, _ in EDITS.values() for s in names})
    copy = tmp_path / "copy.yml"
    copy.write_text(WORKFLOW.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_gen("simulate", "-q", "--pods", "2", "--workflow", str(copy), *scenarios)
    assert proc.returncode == 0, proc.stdout
    assert len(EDITS) >= 10
