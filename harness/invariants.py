"""The promise the workflow makes, checked after every timeline event (and at the end for #4).

1. no-backwards   `:latest` never moves to an ancestor of the commit it held, unless an operator
                  dispatch moved it.
2. never-red      `:latest` never points at a commit whose newest E2E run failed or timed out.
3. one-revision   every image's `:latest` points at the same revision: no split fleet.
4. not-stuck      once the events settle, the newest commit that may be promoted (publish green,
                  E2E green or never run) is on `:latest`, or a newer one is; if not, a red run
                  told an operator why.
5. no-false-alarm a run fails only for a reason an operator must act on: a red or odd E2E, an
                  outage or registry fault, a missing candidate, or `:latest` ahead of or diverged
                  from the target. (Not in the issue's list: it is what the seed's history bugs
                  broke, each a red run that paged someone for nothing.)
"""
from __future__ import annotations

from dataclasses import dataclass

from .podagent.history import CommitGraph, NoCommonAncestor, UnknownCommit
from .world import World

RED = ("failure", "timed_out")
LEGACY = "a legacy image without a revision label"
ODD = ("neutral", "skipped", "action_required", "stale", "startup_failure")


@dataclass(frozen=True)
class Violation:
    invariant: str
    text: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.text}"


def newest_run(world: World, file: str, sha: str):
    workflow = next((w for w in world.workflows if w.file == file), None)
    runs = [r for r in (workflow.runs if workflow else []) if r.head_sha == sha]
    return max(runs, key=lambda r: r.id) if runs else None


def is_ancestor(world: World, older: str, newer: str) -> bool:
    """True when `older` is a proper ancestor of `newer` in the world's graph."""
    graph = CommitGraph(world.commits)
    try:
        return older != newer and older in graph.ancestors(newer)
    except UnknownCommit:
        return False


def no_backwards(world: World, before: dict, after: dict, by_operator: bool) -> list[Violation]:
    out = []
    for repo, rev in after.items():
        old = before.get(repo)
        if rev and old and rev != old and is_ancestor(world, rev, old) and not by_operator:
            out.append(Violation("no-backwards", f"{repo}:latest moved back from {world.label(old)} to {world.label(rev)}"))
    return out


def never_red(world: World, after: dict, e2e_file: str) -> list[Violation]:
    out = []
    for repo, rev in after.items():
        run = newest_run(world, e2e_file, rev) if rev else None
        if run and run.conclusion in RED:
            out.append(Violation("never-red", f"{repo}:latest → {world.label(rev)}, whose E2E run {run.conclusion}"))
    return out


def one_revision(world: World, after: dict) -> list[Violation]:
    if len(set(after.values())) <= 1:
        return []
    shown = ", ".join(f"{repo} → {world.label(rev) if rev else '(none)'}" for repo, rev in sorted(after.items()))
    return [Violation("one-revision", f"the fleet is split: {shown}")]


def alarm_reasons(world: World, target: str, e2e_file: str, images: list[str], candidate: str,
                  latest: dict) -> list[str]:
    """Why a red run for `target` would be telling an operator something true."""
    reasons = []
    run = newest_run(world, e2e_file, target) if target else None
    if run and run.conclusion in RED + ODD:
        reasons.append(f"E2E {run.conclusion}")
    if any(f.get("service", "api") == "api" for f in world.faults):
        reasons.append("API outage")
    if any(f.get("service") == "registry" for f in world.faults):
        reasons.append("registry fault")
    tag = candidate.format(short=target[:7], sha=target) if target else ""
    if not target or any(not any(tag in im.tags for im in world.registry.get(repo, [])) for repo in images):
        reasons.append("candidate missing")
    current = next(iter(latest.values()), None)
    if current and current != LEGACY and target and current != target:
        reasons += _ancestry_reason(world, current, target)
    return reasons


def _ancestry_reason(world: World, current: str, target: str) -> list[str]:
    """A refusal is news when :latest is ahead of or diverged from the target, or names a stranger."""
    try:
        status = CommitGraph(world.commits).compare(current, target).status
    except (UnknownCommit, NoCommonAncestor):
        return [":latest names a commit outside main's history"]
    return [":latest ahead or diverged"] if status in ("behind", "diverged") else []


def false_alarm(label: str, reasons: list[str]) -> Violation:
    return Violation("no-false-alarm", f"{label} failed with nothing for an operator to act on")


def newest_promotable(world: World, publish_file: str, e2e_file: str) -> str | None:
    for sha in history(world):
        published = newest_run(world, publish_file, sha)
        e2e = newest_run(world, e2e_file, sha)
        if published and published.conclusion == "success" and (e2e is None or e2e.conclusion == "success"):
            return sha
    return None


def history(world: World) -> list[str]:
    """Commits reachable from the head of main, newest first (first parents before merges)."""
    out, seen, queue = [], set(), [world.head]
    while queue:
        sha = queue.pop(0)
        if sha in seen or sha not in world.commits:
            continue
        seen.add(sha)
        out.append(sha)
        queue += world.commits[sha]
    return out


def not_stuck(world: World, after: dict, promotable: str | None, told: list[str]) -> list[Violation]:
    if promotable is None:
        return []
    out = []
    for repo, rev in after.items():
        if rev == promotable or (rev and is_ancestor(world, promotable, rev)):
            continue
        if told:
            continue
        where = world.label(rev) if rev else "nothing"
        out.append(Violation("not-stuck", f"{repo}:latest is on {where}, behind {world.label(promotable)}, "
                                          "and no red run said why"))
    return out
