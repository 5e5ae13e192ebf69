"""Commit graph and GitHub's compare semantics (`GET /repos/{o}/{r}/compare/{base}...{head}`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_HEX = re.compile(r"^[0-9a-f]+$")
MIN_PREFIX = 7


class UnknownCommit(LookupError):
    pass


class NoCommonAncestor(LookupError):
    pass


@dataclass(frozen=True)
class Comparison:
    base: str
    head: str
    merge_base: str
    status: str
    ahead: list[str]  # commits reachable from head but not base, parents before children
    behind_by: int

    @property
    def ahead_by(self) -> int:
        return len(self.ahead)


class CommitGraph:
    """`parents` maps each SHA to its parent SHAs; a parent missing from the keys is a root."""

    def __init__(self, parents: dict[str, list[str]], refs: dict[str, str] | None = None):
        self._parents = {sha.lower(): [p.lower() for p in ps] for sha, ps in parents.items()}
        for ps in list(self._parents.values()):
            for p in ps:
                self._parents.setdefault(p, [])
        self._refs = {name: sha.lower() for name, sha in (refs or {}).items()}

    def parents(self, sha: str) -> list[str]:
        return list(self._parents.get(sha, []))

    def resolve(self, ref: str) -> str:
        """A full SHA, a unique prefix of at least 7 hex digits, or a named ref."""
        if ref in self._refs:
            return self._refs[ref]
        want = ref.lower()
        if len(want) < MIN_PREFIX or len(want) > 40 or not _HEX.match(want):
            raise UnknownCommit(ref)
        if want in self._parents:
            return want
        found = [sha for sha in self._parents if sha.startswith(want)]
        if len(found) != 1:
            raise UnknownCommit(ref)
        return found[0]

    def ancestors(self, sha: str) -> set[str]:
        """`sha` and everything reachable through parents."""
        seen, stack = set(), [sha]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self._parents.get(current, []))
        return seen

    def merge_base(self, a: str, b: str) -> str | None:
        """A best common ancestor: one that is not an ancestor of another common ancestor."""
        common = self.ancestors(a) & self.ancestors(b)
        if not common:
            return None
        reach = {c: self.ancestors(c) for c in common}
        best = [c for c in common if not any(c in reach[o] for o in common if o != c)]
        # Several bests happen after criss-cross merges; pick the deepest, then by SHA, so it is stable.
        return max(best, key=lambda c: (len(reach[c]), c))

    def ordered(self, tip: str, keep: set[str]) -> list[str]:
        """`keep` ∩ ancestors(tip) in post-order from tip: every parent before its children."""
        out, seen, stack = [], set(), [(tip, False)]
        while stack:
            sha, expanded = stack.pop()
            if expanded:
                out.append(sha)
                continue
            if sha in seen or sha not in keep:
                continue
            seen.add(sha)  # marked on entry, so a cycle in a bad world cannot loop forever
            stack.append((sha, True))
            stack.extend((p, False) for p in reversed(self._parents.get(sha, [])))
        return out

    def compare(self, base_ref: str, head_ref: str) -> Comparison:
        base, head = self.resolve(base_ref), self.resolve(head_ref)
        merge_base = self.merge_base(base, head)
        if merge_base is None:
            raise NoCommonAncestor(base_ref, head_ref)
        from_base, from_head = self.ancestors(base), self.ancestors(head)
        ahead = self.ordered(head, from_head - from_base)
        behind_by = len(from_base - from_head)
        return Comparison(base, head, merge_base, _status(len(ahead), behind_by), ahead, behind_by)


def _status(ahead_by: int, behind_by: int) -> str:
    if ahead_by and behind_by:
        return "diverged"
    if ahead_by:
        return "ahead"
    return "behind" if behind_by else "identical"
