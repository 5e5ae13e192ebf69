"""Derived verify scenarios: each image's candidate missing in turn, candidates as OCI indexes."""
from __future__ import annotations

from ..scenario import Scenario
from .base import Names, registry, scenario, workflow_run

AREA = "verify"


def scenarios(names: Names) -> list[Scenario]:
    config = names.config
    event = workflow_run(config.e2e_trigger.name)  # E2E's own completion: whatever the gate table says
    out = [scenario(names, AREA, "verify-candidate-oci-index", "promote",
                    f"every image's :{names.candidate('target')} is an OCI index (amd64 and an attestation): "
                    "crane reads it and the retags move the index.",
                    event, registry_=registry(names, candidates="oci-index"))]
    for index, image in enumerate(config.images):
        out.append(scenario(names, AREA, f"verify-{image.name}-missing", "abort",
                            f"{image.ref}:{names.candidate('target')} was never pushed: Verify stops the run red "
                            f"before any retag, and no :{config.tags.target} moves.",
                            event, registry_=registry(names, missing=index)))
    return out
