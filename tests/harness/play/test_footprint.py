"""A step's footprint from the request log: which tags and contents it read or wrote, and when two
steps of different runs must keep their order."""
from __future__ import annotations

from harness.library.fault import Fault
from harness.play import footprint
from harness.podagent import requestlog


def _registry(method: str, path: str, query: str = "", route: str = "registry") -> dict:
    return requestlog.entry("registry", method, path, query, 200, route, None)


def _api(method: str, path: str) -> dict:
    return requestlog.entry("api", method, path, "", 200, "runs", None)


TAG_READ = _registry("GET", "/v2/acme/api/manifests/latest")
TAG_WRITE = _registry("PUT", "/v2/acme/api/manifests/latest")
OTHER_TAG_WRITE = _registry("PUT", "/v2/acme/api/manifests/stable")
DIGEST = "sha256:" + "ab" * 32
CONTENT_READ = _registry("HEAD", f"/v2/acme/api/manifests/{DIGEST}")
BLOB_WRITE = _registry("PUT", "/v2/acme/api/blobs/uploads/3f1e", f"digest={DIGEST}")


def _of(*entries, limited=()):
    return footprint.of(list(entries), footprint.counted(list(limited)))


def test_a_write_is_ordered_against_a_read_or_write_of_the_same_tag_only():
    assert _of(TAG_WRITE).conflicts(_of(TAG_READ))
    assert _of(TAG_WRITE).conflicts(_of(TAG_WRITE))
    assert not _of(TAG_READ).conflicts(_of(TAG_READ))
    assert not _of(TAG_WRITE).conflicts(_of(OTHER_TAG_WRITE))
    # the same tag name in another repository or on another registry host is another tag
    assert not _of(TAG_WRITE).conflicts(_of(_registry("GET", "/v2/acme/web/manifests/latest")))
    assert not _of(TAG_WRITE).conflicts(_of(_registry("GET", "/v2/acme/api/manifests/latest", route="quay.io")))


def test_contents_are_addressed_by_digest_so_two_writes_of_one_commute():
    uploaded = _of(BLOB_WRITE)
    assert (("content", "registry", "acme/api", DIGEST)) in uploaded.writes
    assert not uploaded.conflicts(_of(BLOB_WRITE))
    assert uploaded.conflicts(_of(CONTENT_READ)) and uploaded.conflicts(_of(_registry("GET", f"/v2/acme/api/blobs/{DIGEST}")))
    # an upload session's own requests name no content yet
    assert _of(_registry("POST", "/v2/acme/api/blobs/uploads/"), _registry("PATCH", "/v2/acme/api/blobs/uploads/x")).empty


def test_listing_tags_reads_every_tag_write():
    listing = _of(_registry("GET", "/v2/acme/api/tags/list"))
    assert listing.conflicts(_of(TAG_WRITE)) and not listing.conflicts(_of(TAG_READ))


def test_the_api_is_read_only_unless_a_limited_fault_counts_its_requests():
    reads = _of(_api("GET", "/repos/o/r/actions/runs"), requestlog.entry("api", "POST", "/graphql", "", 200, None, None))
    assert reads.empty
    fault = Fault(service="api", route="runs", status=502, times=1)
    counted = _of(_api("GET", "/repos/o/r/actions/runs"), limited=[fault])
    assert counted.conflicts(counted)
    # a request the fault does not match leaves its count alone
    assert _of(_api("GET", "/repos/o/r/compare/a...b"), limited=[Fault(service="api", route="compare", times=1,
                                                                         method="POST")]).empty


def test_a_registry_fault_matches_by_method_path_and_host():
    refused = Fault(service="registry", method="PUT", path="^/v2/acme/api/manifests/latest$", status=403, times=1)
    assert ("fault", "registry", "0", "") in _of(TAG_WRITE, limited=[refused]).writes
    assert ("fault", "registry", "0", "") not in _of(OTHER_TAG_WRITE, TAG_READ, limited=[refused]).writes
    elsewhere = Fault(service="registry", host="index.docker.io", times=2)
    assert ("fault", "registry", "0", "") not in _of(TAG_WRITE, limited=[elsewhere]).writes
    assert ("fault", "registry", "0", "") in _of(_registry("GET", "/v2/x/manifests/1", route="index.docker.io"),
                                                 limited=[elsewhere]).writes


def test_a_step_never_seen_is_ordered_against_everything():
    assert footprint.UNKNOWN.conflicts(footprint.NOTHING) and footprint.NOTHING.conflicts(footprint.UNKNOWN)
    assert not footprint.NOTHING.conflicts(footprint.NOTHING)
    assert not (footprint.UNKNOWN | _of(TAG_READ)).unknown
