"""Derived retag scenarios: every image moves; each image's retag refused in turn (with
`protect_split` as configured, the oracle says which tags end where); a transient 500 crane retries."""
from __future__ import annotations

from ..scenario import Scenario
from .base import Names, manifest_fault, scenario, workflow_run

AREA = "retag"


def scenarios(names: Names) -> list[Scenario]:
    config = names.config
    target = config.tags.target
    event = workflow_run(config.e2e_trigger.name)  # E2E's own completion: whatever the gate table says
    out = [scenario(names, AREA, "retag-all-move", "promote",
                    f"every image's :{target} moves to the target's candidate, in the config's order.",
                    event, expect={"summary_contains": [f"promoted to {names.short('target')}"]})]
    guarded = "rolled back (protect_split)" if config.retag.protect_split else "left where they moved"
    for image in config.images:
        out.append(scenario(names, AREA, f"retag-{image.name}-refused", "abort",
                            f"the registry refuses {image.ref}:{target} (403): the run fails; images retagged "
                            f"before it are {guarded}.", event,
                            faults=[manifest_fault(image, target, status=403)]))
    last = config.images[-1]
    out.append(scenario(names, AREA, "retag-transient-500", "promote",
                        f"{last.ref}:{target}'s push fails once with 500: crane retries and every tag moves.",
                        event, faults=[manifest_fault(last, target, times=1, status=500)]))
    return out
