"""Why a red run is news: the reasons an operator would have to act, from the world as it stands."""
from __future__ import annotations

from dataclasses import dataclass

from harness.world.world import World

from .invariants import LEGACY, ODD, RED


@dataclass(frozen=True)
class Promotion:
    """What a timeline promotes: the E2E workflow's file, the images, their candidate tag pattern."""

    e2e_file: str
    images: tuple[str, ...]
    candidate: str  # e.g. `staging-{short}`
    short_sha_length: int  # the config's tags.short_sha_length: what `{short}` stands for
    target: str  # the config's tags.target: the tag the promotion moves

    def candidate_tag(self, sha: str) -> str:
        return self.candidate.format(short=sha[:self.short_sha_length], sha=sha)


def alarm_reasons(world: World, promotion: Promotion, target: str, latest: dict) -> list[str]:
    """Why a red run for `target` would be telling an operator something true."""
    reasons = []
    run = world.newest_run(promotion.e2e_file, target) if target else None
    if run and run.conclusion in RED + ODD:
        reasons.append(f"E2E {run.conclusion}")
    if any(f.hits_api() for f in world.faults):
        reasons.append("API outage")
    if any(f.hits_registry for f in world.faults):
        reasons.append("registry fault")
    tag = promotion.candidate_tag(target) if target else ""
    if not target or any(not world.has_tag(repo, tag) for repo in promotion.images):
        reasons.append("candidate missing")
    current = next(iter(latest.values()), None)
    if current and current != LEGACY and target and current != target:
        reasons += _ancestry_reason(world, current, target, promotion.target)
    return reasons


def _ancestry_reason(world: World, current: str, target: str, tag: str) -> list[str]:
    """A refusal is news when the target tag is ahead of or diverged from the target, or names a stranger."""
    status = world.compare(current, target)
    if status is None:
        return [f":{tag} names a commit outside {world.default_branch}'s history"]
    return [f":{tag} ahead or diverged"] if status in ("behind", "diverged") else []
