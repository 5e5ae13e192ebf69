"""A changed branch must fail: break one branch at a time in a copy of the rendered workflow and
`gen simulate --workflow <broken copy>` exits 1, with the scenario that covers that branch failing.
The same kind of edits, computed from the config (harness/play/sensitivity.py), break any config's
render, and the library derived from that config kills them."""
from __future__ import annotations

import pytest

from generator.configfile import load_config
from generator.render import render
from harness.library.derived import configs
from harness.play import sensitivity
from tests.conftest import CONFIG, FIXTURES, ROOT, docker_engine, run_gen

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


@pytest.mark.docker
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


@pytest.mark.docker
def test_the_unbroken_copy_passes(tmp_path, engine):
    scenarios = sorted({s for _, _, names, _ in EDITS.values() for s in names})
    copy = tmp_path / "copy.yml"
    copy.write_text(WORKFLOW.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_gen("simulate", "-q", "--pods", "2", "--workflow", str(copy), *scenarios)
    assert proc.returncode == 0, proc.stdout
    assert len(EDITS) >= 10


CONFIGS = {"molecule-core": CONFIG, **{p.stem: p for p in sorted((FIXTURES / "configs").glob("*.yaml"))}}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_edits_apply_to_every_config(name):
    """Each edit breaks one branch of the config's own render (its text found once) or says why the
    config has no such branch; every config but the `*`-only gate has all of them."""
    config = load_config(CONFIGS[name])
    chosen, skipped = sensitivity.edits(config, render(config, name).text)
    assert len(chosen) + len(skipped) == len(sensitivity.EDITS)
    assert len(chosen) >= 10 and (skipped == {} or name == "star40"), skipped
    assert all(edit.find != edit.replace for edit in chosen)


def test_the_edits_apply_to_generated_configs():
    for config in configs.sample(25, seed=4):
        chosen, skipped = sensitivity.edits(config, render(config, "generated").text)
        assert len(chosen) >= 7, skipped


# A fixed sample on a config that is not molecule-core's (one image, `trunk`, `stable`, 12-digit
# short SHAs); `gen bench --sensitivity tests/fixtures/configs/*.yaml` runs every edit on every config.
ACME_SAMPLE = ["gate-state-moved-to-an-earlier-arm", "gate-empty-list-reads-null", "ancestry-no-label-inverted",
               "short-sha-shortened", "verify-loop-drops-an-image", "retag-last-image-goes-astray"]


@pytest.mark.docker
def test_the_derived_library_kills_edits_on_another_configs_render(engine):
    config = load_config(FIXTURES / "configs" / "acme.yaml")
    (result,) = [sensitivity.run(config, "acme", pods=2, only=ACME_SAMPLE, progress=lambda line: None)]
    assert result.control_failed == []
    assert [k.edit.name for k in result.kills] == [n for n in sensitivity.EDITS if n in ACME_SAMPLE]
    assert [k.edit.name for k in result.kills if not k.killed] == [], sensitivity.report([result])
