"""What one step of a run touched, read off the pod agent's request log: the registry tags and
contents it read or wrote. Two steps of different runs whose footprints do not conflict give the same
world in either order, so the order search tries one order per class instead of every merge."""
from __future__ import annotations

import re
from dataclasses import dataclass

from harness.library.fault import Fault
from harness.podagent.faults import Fault as AgentFault, parse_fault

_MANIFEST = re.compile(r"^/v2/(?P<name>.+)/manifests/(?P<ref>[^/]+)$")
_BLOB = re.compile(r"^/v2/(?P<name>.+)/blobs/(?P<digest>sha256:[0-9a-f]+)$")
_UPLOAD = re.compile(r"^/v2/(?P<name>.+)/blobs/uploads/")
_TAGS = re.compile(r"^/v2/(?P<name>.+)/tags/list$")
_READS = {"GET", "HEAD"}

# A resource is (kind, host, repository, name). Contents are addressed by their digest, so two runs
# writing one are writing the same bytes, and a repository's tag list gains a tag in either order:
# for these only a write against a read is ordered.
CONTENT = "content"
COMMUTING = {CONTENT, "tags"}


@dataclass(frozen=True)
class Footprint:
    reads: frozenset = frozenset()
    writes: frozenset = frozenset()
    unknown: bool = False  # never seen: ordered against everything until it is

    def conflicts(self, other: "Footprint") -> bool:
        if self.unknown or other.unknown:
            return True
        if self.writes & other.reads or self.reads & other.writes:
            return True
        return any(r[0] not in COMMUTING for r in self.writes & other.writes)

    def __or__(self, other: "Footprint") -> "Footprint":
        return Footprint(self.reads | other.reads, self.writes | other.writes, self.unknown and other.unknown)

    @property
    def empty(self) -> bool:
        return not (self.reads or self.writes or self.unknown)


NOTHING = Footprint()
UNKNOWN = Footprint(unknown=True)


def of(entries: list[dict], limited: list[AgentFault] = ()) -> Footprint:
    """The footprint of the requests in `entries` (request-log entries). A fault that hits a limited
    number of `times` (`counted`) counts them across runs: each request it matches, hit or not, uses
    that count."""
    reads, writes = set(), set()
    for entry in entries:
        service, method, path = entry["service"], entry["method"], entry["path"]
        for i, fault in enumerate(limited):
            if _matches(fault, entry):
                writes.add(("fault", service, str(i), ""))
        if service == "registry":
            _registry(entry.get("route") or "", method, path, entry.get("query") or {}, reads, writes)
        elif method not in _READS and not path.endswith("/graphql"):
            # The stub's state is set before the event and no step changes it; a write is kept apart anyway.
            writes.add(("api", "", path, ""))
    return Footprint(frozenset(reads), frozenset(writes))


def counted(faults: list[Fault]) -> list[AgentFault]:
    """The faults with a `times`, parsed as the agent parses them, so that its own test says which
    requests use their count."""
    return [parse_fault(f.model_dump(exclude_none=True), i) for i, f in enumerate(faults) if f.times]


def _matches(fault: AgentFault, entry: dict) -> bool:
    """The agent's test on what the log kept of the request: it names a registry request's host by
    its front (`registry` for ghcr.io), and an API request by its route."""
    route = entry.get("route")
    if entry["service"] != "registry":
        return fault.matches(entry["service"], route, entry["method"], entry["path"])
    return fault.matches("registry", "registry", entry["method"], entry["path"],
                         "ghcr.io" if route == "registry" else route)


def _registry(host: str, method: str, path: str, query: dict, reads: set, writes: set) -> None:
    read = method in _READS
    if m := _MANIFEST.match(path):
        name, ref = m["name"], m["ref"]
        if ref.startswith("sha256:"):
            (reads if read else writes).add((CONTENT, host, name, ref))
        else:
            (reads if read else writes).add(("tag", host, name, ref))
            if not read:
                writes.add(("tags", host, name, ""))
    elif m := _BLOB.match(path):
        (reads if read else writes).add((CONTENT, host, m["name"], m["digest"]))
    elif m := _UPLOAD.match(path):
        # An upload session is the client's own until its closing PUT names the digest it stored.
        if method == "PUT" and isinstance(query.get("digest"), str):
            writes.add((CONTENT, host, m["name"], query["digest"]))
    elif m := _TAGS.match(path):
        reads.add(("tags", host, m["name"], ""))
