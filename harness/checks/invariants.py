"""The promise the workflow makes, checked after every timeline event (and at the end for not-stuck).
Names and wording are in `harness/library/invariant_names.py`; why each exists:

The target tag is the config's (`:latest` below stands for it).
1. no-backwards   `:latest` never moves to an ancestor of the commit it held, unless an operator
                  dispatch moved it.
2. never-red      `:latest` never points at a commit whose newest E2E run failed or timed out.
3. one-revision   every image's `:latest` points at the same revision: no split fleet.
4. not-stuck      once the events settle, the newest commit that may be promoted (publish green,
                  E2E green or never run) is on `:latest`, or a newer one is; if not, a red run
                  told an operator why.
5. no-false-alarm a run fails only for a reason an operator must act on: a red or odd E2E, an
                  outage or registry fault, a missing candidate, or `:latest` ahead of or diverged
                  from the target. (It is what the seed's history bugs broke: each a red run that
                  paged someone for nothing.)
"""
from __future__ import annotations

from generator.vocabulary import RUN_CONCLUSIONS
from harness.library.invariant_names import NEVER_RED, NO_BACKWARDS, NO_FALSE_ALARM, NOT_STUCK, ONE_REVISION
from harness.trace.timeline import Violation
from harness.world.world import World

RED = ("failure", "timed_out")
ODD = tuple(c for c in RUN_CONCLUSIONS if c not in RED + ("success", "cancelled"))
LEGACY = "a legacy image without a revision label"


def no_backwards(world: World, before: dict, after: dict, by_operator: bool, tag: str) -> list[Violation]:
    out = []
    for repo, rev in after.items():
        old = before.get(repo)
        if rev and old and rev != old and world.is_ancestor(rev, old) and not by_operator:
            out.append(Violation(NO_BACKWARDS, f"{repo}:{tag} moved back from {world.label(old)} to {world.label(rev)}"))
    return out


def never_red(world: World, after: dict, e2e_file: str, tag: str) -> list[Violation]:
    out = []
    for repo, rev in after.items():
        run = world.newest_run(e2e_file, rev) if rev else None
        if run and run.conclusion in RED:
            out.append(Violation(NEVER_RED, f"{repo}:{tag} → {world.label(rev)}, whose E2E run {run.conclusion}"))
    return out


def one_revision(world: World, after: dict) -> list[Violation]:
    if len(set(after.values())) <= 1:
        return []
    shown = ", ".join(f"{repo} → {world.label(rev) if rev else '(none)'}" for repo, rev in sorted(after.items()))
    return [Violation(ONE_REVISION, f"the fleet is split: {shown}")]


def false_alarm(label: str) -> Violation:
    return Violation(NO_FALSE_ALARM, f"{label} failed with nothing for an operator to act on")


def not_stuck(world: World, after: dict, promotable: str | None, told: bool, tag: str) -> list[Violation]:
    if promotable is None or told:
        return []
    out = []
    for repo, rev in after.items():
        if rev == promotable or (rev and world.is_ancestor(promotable, rev)):
            continue
        where = world.label(rev) if rev else "nothing"
        out.append(Violation(NOT_STUCK, f"{repo}:{tag} is on {where}, behind {world.label(promotable)}, "
                                        "and no red run said why"))
    return out


def newest_promotable(world: World, publish_file: str, e2e_file: str) -> str | None:
    for sha in world.history():
        published = world.newest_run(publish_file, sha)
        e2e = world.newest_run(e2e_file, sha)
        if published and published.conclusion == "success" and (e2e is None or e2e.conclusion == "success"):
            return sha
    return None
