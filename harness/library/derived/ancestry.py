"""Derived ancestry scenarios: every outcome of the config's policy (no target tag or no label under
`no_label`, label equals the target, compare ahead, identical, behind, diverged, API errors, the
target tag as an OCI index) and a dispatch of an older commit under `on_dispatch`."""
from __future__ import annotations

from ..scenario import Scenario
from .base import COMMITS, UNKNOWN_SHA, Names, dispatch, registry, scenario, workflow_run

AREA = "ancestry"
OTHER_LABEL = "org.example.other-revision"


def scenarios(names: Names) -> list[Scenario]:
    config = names.config
    target, label = config.tags.target, config.tags.revision_label
    no_label = "promote" if config.ancestry.no_label == "skip" else "refuse"
    event = workflow_run(config.e2e_trigger.name)  # E2E's own completion: the gate passes it through
    cases = [
        ("ancestry-target-missing", no_label, f"no image has a :{target} tag yet (the first promotion): "
         f"no_label is {config.ancestry.no_label}.", registry(names, latest=None), []),
        ("ancestry-no-label", no_label, f":{target} is a legacy image without the `{label}` label: no_label is "
         f"{config.ancestry.no_label}.", registry(names, latest={"revision": None}), []),
        ("ancestry-label-equals-target", "promote", f":{target} already carries the target commit: identical, "
         "the retag is a no-op.", registry(names, latest="target"), []),
        ("ancestry-compare-ahead", "promote", f"the target is ahead of the commit :{target} carries: retag.",
         registry(names), []),
        ("ancestry-compare-identical", "promote", f":{target}'s label is the abbreviated target SHA: compare "
         "resolves both to one commit, identical.",
         registry(names, latest={"label": COMMITS["target"][:config.tags.short_sha_length]}), []),
        ("ancestry-compare-behind", "refuse", f"E2E for the target completed after a newer commit reached "
         f":{target}: compare says behind, refuse.", registry(names, latest="newer"), []),
        ("ancestry-compare-diverged", "refuse", f":{target} carries a commit a force-push removed from "
         f"{config.branch}: diverged, refuse.", registry(names, latest="orphan"), []),
        ("ancestry-compare-404", "refuse", f":{target}'s label names a commit GitHub does not know: compare "
         "answers 404, refuse.", registry(names, latest={"revision": UNKNOWN_SHA}), []),
        ("ancestry-compare-500", "refuse", "the compare API answers 500: refuse.", registry(names),
         [{"route": "compare", "status": 500}]),
        ("ancestry-other-label-key", no_label, f":{target}'s image carries its revision under another label "
         f"({OTHER_LABEL}) than `{label}`: no label, so no_label ({config.ancestry.no_label}) decides.",
         _other_key(registry(names), target), []),
        ("ancestry-target-index", "promote", f":{target} is an OCI index: the label is read from its "
         "linux/amd64 child; ahead, retag.", registry(names, latest_format="oci-index"), []),
    ]
    out = [scenario(names, AREA, name, intent, description, event, registry_=reg, faults=faults)
           for name, intent, description, reg, faults in cases]
    checked = config.ancestry.on_dispatch == "check"
    out.append(scenario(names, AREA, "ancestry-dispatch-older", "refuse" if checked else "promote",
                        f"an operator dispatches the target while :{target} holds a newer commit: on_dispatch is "
                        f"{config.ancestry.on_dispatch}, so " + ("the check refuses it." if checked else
                                                                 f":{target} moves back on purpose."),
                        dispatch(names, COMMITS["target"]), registry_=registry(names, latest="newer")))
    return out


def _other_key(images: dict, target: str) -> dict:
    """The registry with the target tag's image labelled under a key the config does not read."""
    return {repo: [{**image, "label_key": OTHER_LABEL} if target in image["tags"] else image for image in listed]
            for repo, listed in images.items()}
