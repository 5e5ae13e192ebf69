"""Timelines: every shipped one holds (or breaks) exactly the invariants it promises, historical
bugs and weak points each come as a pair that fails without the fix and passes with it."""
from __future__ import annotations

import re

import pytest

from harness.library import selection
from harness.library.invariant_names import INVARIANTS
from harness.library.timeline import Interleave
from harness.play.interleave import orders
from harness.report import timeline_text
from tests.conftest import ROOT, run_gen

TIMELINES = {t.name: t for t in selection.builtin_timelines()}
SUBJECTS = sorted((t.name, v) for t in TIMELINES.values() for v in ["as-is", *[x.name for x in t.variants]])


@pytest.mark.docker
@pytest.mark.parametrize("name, variant", SUBJECTS, ids=[f"{n}[{v}]" for n, v in SUBJECTS])
def test_timeline_trace(timeline_traces, name, variant, text_snapshot):
    trace = timeline_traces[(name, variant)]
    text = timeline_text.render(trace).replace(str(ROOT) + "/", "")
    assert trace.passed, text
    assert text == text_snapshot


def _broken(t, variant):
    expect = t.expect if variant == "as-is" else next(v.expect for v in t.variants if v.name == variant)
    return {name for name, state in expect.invariants.items() if state == "broken"}


@pytest.mark.docker
@pytest.mark.parametrize("name", sorted(n for n, t in TIMELINES.items() if "history" in t.tags))
def test_each_historical_bug_breaks_without_its_fix(timeline_traces, name):
    t = TIMELINES[name]
    assert t.expect.invariants == {i: "hold" for i in INVARIANTS}
    broken = timeline_traces[(name, "without-fix")].broken()
    assert _broken(t, "without-fix") and _broken(t, "without-fix") <= set(broken)
    assert timeline_traces[(name, "as-is")].broken() == {}


@pytest.mark.docker
@pytest.mark.parametrize("option, value", [
    ("gate.on_api_error", "abort"), ("concurrency.policy", "global"), ("retag.protect_split", True),
    ("permissions.actions", "read")])
def test_each_hardening_option_is_proven_by_a_pair(timeline_traces, option, value):
    """Some timeline breaks an invariant as the seed behaves, and holds it with the option on."""
    proofs = []
    for name, t in TIMELINES.items():
        for v in t.variants:
            if v.config.get(option) == value:
                broke = set(timeline_traces[(name, "as-is")].broken())
                kept = broke - set(timeline_traces[(name, v.name)].broken())
                proofs += [(name, invariant) for invariant in kept]
    assert proofs, f"no timeline shows what {option}: {value} fixes"


@pytest.mark.docker
def test_ancestry_exit_status_keeps_error_bodies_out_of_summaries(timeline_traces):
    ours, seed = timeline_traces[("ancestry-error-text", "as-is")], timeline_traces[("ancestry-error-text", "seed-ancestry")]
    assert '{"message"' not in ours.summaries and '{"message":"Not Found"' in seed.summaries


def _together(trace):
    return next(record for record in trace.events if "together" in record.text)


@pytest.mark.docker
def test_a_burst_of_three_under_global_promotes_the_first_and_the_last(timeline_traces):
    """GitHub keeps one running and one pending run per group, and a newer run replaces the pending
    one (docs: tests/harness/workflow/test_concurrency.py): c2's run is cancelled, never started."""
    trace = timeline_traces[("burst-of-three", "concurrency-global")]
    record = _together(trace)
    assert not record.orders and [r.conclusion for r in record.runs] == ["success", "cancelled", "success"]
    first, middle, last = record.runs
    assert middle.jobs == [] and "Canceling since a higher priority waiting request for 'auto-promote-latest'" in middle.cancelled
    assert ["1b3d5f7" in j.summary and "promoted" in j.summary for j in first.jobs] == [True]
    assert ["3d5f7b9" in j.summary and "promoted" in j.summary for j in last.jobs] == [True]
    assert trace.broken() == {} and trace.passed
    text = timeline_text.render(trace)
    assert "→ cancelled  [group auto-promote-latest]" in text and "cancelled while pending" in text


@pytest.mark.docker
def test_per_sha_runs_the_burst_at_once(timeline_traces):
    record = _together(timeline_traces[("burst-of-three", "as-is")])
    assert all(sorted(set(o.order)) == ["a", "b", "c"] for o in record.orders)
    # the serial orders hold; the search stops at the first order that breaks what the variant expects
    assert [bool(o.violations) for o in record.orders] == [False, False, True] and record.stopped
    assert {"no-backwards", "one-revision"} <= {v.invariant for v in record.orders[-1].violations}
    assert record.space > 100 and not record.exhausted
    assert not any(r.cancelled for o in record.orders for r in o.runs)


@pytest.mark.docker
def test_cancel_in_progress_cancels_the_running_promotion_at_each_step_boundary(timeline_traces):
    record = _together(timeline_traces[("cancel-in-progress-splits", "cancel-in-progress")])
    steps = 9
    # one order per boundary, in turn, until the cancel splits the fleet (what the variant expects)
    assert [o.order.count("a") for o in record.orders] == list(range(8)) and record.stopped
    for order in record.orders:
        first, second = order.runs
        assert first.conclusion == "cancelled" and first.jobs[0].conclusion == "cancelled"
        ran = [s.ran for s in first.jobs[0].steps]
        assert ran[order.order.count("a"):] == [False] * (steps - order.order.count("a"))
        assert second.conclusion == "success"
    split = [o for o in record.orders if any(v.invariant == "one-revision" for v in o.violations)]
    assert [o.order.count("a") for o in split] == [7]  # cancelled after platform's retag, before the tenant's
    kept = timeline_traces[("cancel-in-progress-splits", "concurrency-global")]
    assert kept.broken() == {} and not _together(kept).orders


@pytest.mark.docker
def test_split_protection_under_per_sha_rolls_back_over_another_promotion(timeline_traces):
    """The bug the config refuses: a run's rollback restores a digest recorded before the other
    SHA's run retagged, so platform goes from c2 straight back to prev (not merely c2 → c1, which
    per-SHA races do without split protection too). Queued, the same day holds every invariant,
    and the one-time refusal hits one run only."""
    record = _together(timeline_traces[("split-rollback-per-sha", "rollback-per-sha")])
    skipped = [o.order for o in record.orders for v in o.violations if "from c2 (2b3c4d5) to prev" in v.text]
    assert skipped, [str(v) for o in record.orders for v in o.violations]
    queued = _together(timeline_traces[("split-rollback-per-sha", "protect-split")])
    assert not queued.orders and [r.conclusion for r in queued.runs] == ["failure", "success"]


def test_library_covers_the_issue():
    tags = {tag for t in TIMELINES.values() for tag in t.tags}
    assert {"history", "hardening", "day", "outage", "race", "concurrency"} <= tags
    assert sum("history" in t.tags for t in TIMELINES.values()) == 5
    options = {key for t in TIMELINES.values() for v in t.variants for key in v.config}
    assert {"gate.on_api_error", "concurrency.policy", "retag.protect_split", "permissions.actions"} <= options


def test_orders_are_seeded_and_start_serial():
    settings = Interleave(orders="sample", limit=6, seed=3)
    first, again = orders(4, 3, settings), orders(4, 3, settings)
    assert first == again and len(set(first)) == 6
    assert first[:2] == ["aaaabbb", "bbbaaaa"]
    assert all(o.count("a") == 4 and o.count("b") == 3 for o in first)
    assert len(orders(2, 2, Interleave(orders="all", limit=10))) == 6


def test_too_many_orders_for_all_is_bad_input():
    from generator.loader import InputError

    with pytest.raises(InputError, match="exceed limit"):
        orders(9, 9, Interleave(orders="all", limit=100))


BAD = """\
name: bad
repository:
  commits: [{name: prev, sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61}]
events:
  - publish: {commit: c1}
"""


@pytest.mark.parametrize("text, message", [
    (BAD, r"bad.yaml:5:\d+: events\[0\]\.publish\.commit: a commit pushed earlier \(prev\) or a 40-hex SHA \(got 'c1'\)"),
    (BAD.replace("  - publish: {commit: c1}", "  - publish: {commit: prev}\n    e2e: {commit: prev, conclusion: success}"),
     r"bad.yaml:5:\d+: events\[0\]: exactly one of push, publish"),
    (BAD.replace("publish: {commit: c1}", "e2e: {commit: prev, status: completed}"),
     r"events\[0\]\.e2e: a conclusion exactly when the status is completed"),
])
def test_bad_timeline_is_exit_2(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    proc = run_gen("simulate", str(path))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert re.search(message, proc.stderr), proc.stderr


LONG_SHORT = """\
name: long-short-sha
repository:
  commits: [{name: prev, sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61}]
events:
  - push: {commit: next, sha: 3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5}
  - publish: {commit: next}
  - e2e: {commit: next, status: completed, conclusion: success}
expect:
  latest: {molecule-ai/platform: next, molecule-ai/platform-tenant: next}
  invariants: {no-false-alarm: hold, not-stuck: hold}
"""


@pytest.mark.docker
def test_timelines_follow_the_configs_short_sha_length(pod_images, tmp_path):
    """The publisher tags `staging-<12 hex>` when the config says 12, so Verify finds the candidates."""
    from generator.configfile import load_config
    from generator.render import render
    from harness.library import loader
    from harness.play.timelines import run_timelines
    from tests.conftest import CONFIG

    config = load_config(CONFIG)
    config = config.model_copy(update={"tags": config.tags.model_copy(update={"short_sha_length": 12})})
    workflow = tmp_path / "wf.yml"
    workflow.write_text(render(config, "config").text, encoding="utf-8")
    (tmp_path / "t.yaml").write_text(LONG_SHORT, encoding="utf-8")
    _, timelines = loader.load(tmp_path / "t.yaml")
    (trace,) = run_timelines(timelines, workflow, config, progress=lambda line: None)
    assert trace.passed, timeline_text.render(trace)
    assert [image.tags for image in trace.world.registry["molecule-ai/platform"]] == [["staging-3a7f12c9e4b8"]]


OTHER_CONFIGS = {  # a fixed sample; `gen simulate` on each config plays every timeline
    "acme": ["history-empty-run-list", "history-cancelled-is-not-failure", "outage-fails-open"],
    "fleet": ["split-latest", "history-missing-label-reads-null"],
    # a `*`-only gate that defers, 40-digit short SHAs, its own revision label key
    "star40": ["history-completions-out-of-order", "ancestry-error-text", "cancel-in-progress-splits"],
}


@pytest.mark.docker
@pytest.mark.parametrize("name", sorted(OTHER_CONFIGS))
def test_timelines_in_another_configs_names(pod_images, tmp_path, name):
    """The built-in timelines and their without-fix variants, played in the acme, fleet and star40 configs'
    names: their images, candidate tags, short-SHA length, target tag, branch and workflows."""
    from generator.configfile import load_config
    from generator.render import render
    from harness.play.timelines import run_timelines
    from tests.conftest import FIXTURES

    config = load_config(FIXTURES / "configs" / f"{name}.yaml")
    workflow = tmp_path / "wf.yml"
    workflow.write_text(render(config, "config").text, encoding="utf-8")
    chosen = [TIMELINES[t] for t in OTHER_CONFIGS[name]]
    traces = run_timelines(chosen, workflow, config, progress=lambda line: None)
    assert len(traces) == sum(1 + len(t.variants) for t in chosen)
    for trace in traces:
        assert trace.passed, timeline_text.render(trace)
    repos = [image.ref.split("/", 1)[1] for image in config.images]
    for trace in traces:
        assert sorted(trace.world.registry) == sorted(repos)
        tags = {tag for images in trace.world.registry.values() for image in images for tag in image.tags}
        assert config.tags.target in tags and "latest" not in tags
        candidate = config.tags.candidate.split("{")[0]
        assert any(t.startswith(candidate) and len(t) == len(candidate) + config.tags.short_sha_length for t in tags)


@pytest.mark.docker
def test_a_variant_expecting_every_invariant_to_hold_plays_every_class_of_orders(timeline_traces):
    """Holding in the orders tried proves nothing about the others: where a variant expects no break,
    the search must have covered every class; where it expects one, it may stop once found."""
    expected = {(t.name, "as-is"): t.expect for t in TIMELINES.values()}
    expected |= {(t.name, v.name): v.expect for t in TIMELINES.values() for v in t.variants}
    searched = 0
    for key, trace in timeline_traces.items():
        wanted = {name for name, verdict in expected[key].invariants.items() if verdict == "broken"} - {"not-stuck"}
        for record in (e for e in trace.events if e.orders):
            searched += 1
            assert record.search == "search", trace.scenario
            if record.stopped:
                assert wanted and wanted <= {v.invariant for o in record.orders for v in o.violations}, trace.scenario
            else:
                assert record.exhausted and len(record.orders) <= record.space + 2, trace.scenario
    assert searched >= 7  # the interleaved events of the built-in library: none may go unchecked
