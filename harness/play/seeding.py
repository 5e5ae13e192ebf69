"""Put a world into a warm pod: the registry's contents and the API's state."""
from __future__ import annotations

import hashlib
import json

from harness.world import oci
from harness.world.world import World


def seed(pod, world: World, token_permissions: dict | None = None) -> dict[str, dict[str, str]]:
    """Reset the registry and API to `world` (the API sees `token_permissions` as the job token's);
    returns the registry's tag → digest map.

    The first time a registry layout is seen it is pushed over HTTP; later scenarios with the same
    layout get the stored result of that push back.
    """
    expected = world.registry_state()
    key = hashlib.sha256(json.dumps(expected, sort_keys=True).encode()).hexdigest()[:16]
    if not pod.restore_registry(key):
        _push_all(pod, world, expected)
        pod.save_registry(key)
    pod.set_world(world.api_state(token_permissions), reset_log=True)
    return expected


def _push_all(pod, world: World, expected: dict) -> None:
    pod.wipe_registry()
    pushed: dict[str, dict[str, str]] = {}
    for request in world.pushes():
        digests = pod.push(request)
        for m in request["manifests"]:
            if not m["reference"].startswith("sha256:"):
                pushed.setdefault(request["repository"], {})[m["reference"]] = digests[m["reference"]]
    if pushed != expected:
        raise RuntimeError(f"the registry stored other digests than the scenario's content: {pushed}")


def digest_names(world: World) -> dict[str, str]:
    """digest → what it is, for the trace: `[image of target (3a7f12c), oci]`."""
    names = {}
    for repo, images in world.registry.items():
        for image in images:
            built = oci.build(repo, image.revision, image.format, image.label_key)
            what = f"image of {world.label(image.revision)}" if image.revision else "image without revision label"
            names[built.top_digest] = f"[{what}, {image.format}]"
    return names
