"""Deterministic image content: layer, config with the revision label, manifest, index.

The same (repository, revision, format) always gives the same bytes and so the same digest,
which keeps traces stable. An index looks like what buildx pushes: a linux/amd64 image and an
attestation manifest on platform unknown/unknown.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field

from harness.library.common import REVISION_LABEL

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
INTOTO = "application/vnd.in-toto+json"
CREATED = "2026-04-29T00:00:00Z"


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _json(obj) -> bytes:
    return json.dumps(obj, indent=2, sort_keys=False).encode() + b"\n"


@dataclass
class Built:
    """Blobs and manifests to push; `manifests` are in push order (children first)."""

    blobs: dict[str, bytes] = field(default_factory=dict)
    manifests: list[tuple[str, bytes]] = field(default_factory=list)  # (media type, bytes)

    @property
    def top(self) -> tuple[str, bytes]:
        return self.manifests[-1]

    @property
    def top_digest(self) -> str:
        return digest(self.top[1])


def _layer(repository: str, revision: str | None) -> bytes:
    import tarfile  # only when an image or a layer is made

    data = f"{repository} built from {revision or 'an unlabelled build'}\n".encode()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("etc/build-info")
        info.size, info.mtime, info.mode = len(data), 0, 0o644
        tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def _config(layer: bytes, revision: str | None, repository: str, label_key: str) -> bytes:
    labels = {"org.opencontainers.image.source": f"https://github.com/{repository}"}
    if revision:
        labels[label_key] = revision
    diff_id = digest(gzip.decompress(layer))
    return _json({
        "architecture": "amd64", "os": "linux", "created": CREATED,
        "config": {"Env": ["PATH=/usr/local/bin:/usr/bin:/bin"], "Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": CREATED, "created_by": "promote-gen harness"}],
    })


def _image(repository: str, revision: str | None, docker: bool, built: Built,
           label_key: str = REVISION_LABEL) -> tuple[str, bytes]:
    layer = _layer(repository, revision)
    config = _config(layer, revision, repository, label_key)
    built.blobs[digest(layer)] = layer
    built.blobs[digest(config)] = config
    media = DOCKER_MANIFEST if docker else OCI_MANIFEST
    manifest = _json({
        "schemaVersion": 2, "mediaType": media,
        "config": {"mediaType": DOCKER_CONFIG if docker else OCI_CONFIG, "digest": digest(config), "size": len(config)},
        "layers": [{"mediaType": DOCKER_LAYER if docker else OCI_LAYER, "digest": digest(layer), "size": len(layer)}],
    })
    built.manifests.append((media, manifest))
    return media, manifest


def _attestation(subject: str, revision: str | None, built: Built) -> tuple[str, bytes]:
    statement = _json({"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://slsa.dev/provenance/v0.2",
                       "subject": [{"digest": {"sha256": subject.split(":")[1]}}],
                       "predicate": {"invocation": {"environment": {"revision": revision or ""}}}})
    config = _json({"architecture": "unknown", "os": "unknown", "config": {}, "rootfs": {"type": "layers", "diff_ids": [digest(statement)]}})
    built.blobs[digest(statement)] = statement
    built.blobs[digest(config)] = config
    manifest = _json({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": digest(config), "size": len(config)},
        "layers": [{"mediaType": INTOTO, "digest": digest(statement), "size": len(statement),
                    "annotations": {"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}}],
    })
    built.manifests.append((OCI_MANIFEST, manifest))
    return OCI_MANIFEST, manifest


def build(repository: str, revision: str | None, fmt: str, label_key: str = REVISION_LABEL) -> Built:
    """The image's blobs and manifests; its config carries `revision` under `label_key`."""
    built = Built()
    if fmt in ("docker", "oci"):
        _image(repository, revision, fmt == "docker", built, label_key)
        return built
    _, child = _image(repository, revision, False, built, label_key)
    _, attest = _attestation(digest(child), revision, built)
    index = _json({
        "schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [
            {"mediaType": OCI_MANIFEST, "digest": digest(child), "size": len(child),
             "platform": {"architecture": "amd64", "os": "linux"}},
            {"mediaType": OCI_MANIFEST, "digest": digest(attest), "size": len(attest),
             "annotations": {"vnd.docker.reference.digest": digest(child),
                             "vnd.docker.reference.type": "attestation-manifest"},
             "platform": {"architecture": "unknown", "os": "unknown"}},
        ],
    })
    built.manifests.append((OCI_INDEX, index))
    return built
