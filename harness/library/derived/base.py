"""What every derived scenario shares: the config's names, a fixed commit graph, and the parts of a
scenario (registry, E2E runs, events) built in those names. Nothing here assumes an image, a branch,
a tag or a short length: all of it comes from the config."""
from __future__ import annotations

import re
from dataclasses import dataclass

from generator import gate
from generator.config import Config, Image

from .. import repository_keys
from ..scenario import Scenario

# A fixed history: base → prev → target → newer on the branch, and `orphan` branched from prev and
# force-pushed away (its history diverged from main's).
COMMITS = {
    "base": "1f0e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6",
    "prev": "9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61",
    "target": "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5",
    "newer": "b7e3a91f2c6d8e0a4b5c7d9e1f3a5b7c9d1e3f50",
    "orphan": "e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6",
}
UNKNOWN_SHA = "0000aaaa1111bbbb2222cccc3333dddd4444eeee"  # a commit GitHub does not know
ACTION_INTENT = {"proceed": "promote", "defer": "defer", "abort": "abort"}


@dataclass(frozen=True)
class Names:
    """The config's names, as the scenarios use them."""

    config: Config

    @property
    def repository(self) -> str:
        """owner/name of the repository the workflow lives in: the first image's owner and name."""
        parts = self.config.images[0].reference.repository.split("/")
        return "/".join(parts[:2]) if len(parts) > 1 else f"{parts[0]}/{parts[0]}"

    @property
    def upstream(self) -> str:
        """The workflow whose completion asks the gate: the first publish trigger, else E2E itself."""
        publish = self.config.publish_triggers
        return publish[0].name if publish else self.config.e2e_trigger.name

    @property
    def gate_asked(self) -> bool:
        """Only a publish trigger's completion makes the gate ask the API about E2E."""
        return bool(self.config.publish_triggers)

    def candidate(self, commit: str) -> str:
        sha = COMMITS.get(commit, commit)
        return self.config.tags.candidate.replace("{short}", sha[:self.config.tags.short_sha_length]) \
            .replace("{sha}", sha)

    def short(self, commit: str) -> str:
        return COMMITS.get(commit, commit)[:self.config.tags.short_sha_length]

    def other_branch(self) -> str:
        return next(b for b in ("feature/other", "feature/other-2") if b != self.config.branch)

    def unlisted_workflow(self) -> str:
        names = {t.name for t in self.config.triggers}
        return next(n for n in ("Nightly docs", "Nightly docs 2") if n not in names)

    def repos(self) -> list[str]:
        """Each image's repository key in the scenario's `registry:` (`host/owner/name` off ghcr.io)."""
        return [repository_keys.of_ref(image.ref) for image in self.config.images]


def manifest_fault(image: Image, tag: str, **fault) -> dict:
    """A registry fault on the PUT of `image:tag`, on that image's host alone."""
    path = f"^/v2/{re.escape(image.reference.repository)}/manifests/{re.escape(tag)}$"
    return {"service": "registry", "host": image.registry, "method": "PUT", "path": path, **fault}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def gate_intent(config: Config, value: str) -> str:
    """The intent the gate's table gives an E2E state (gate.API_ERROR for a failed lookup)."""
    return ACTION_INTENT[gate.decide(config.gate, value).action]


def registry(names: Names, latest: str | dict | None = "prev", candidates: str = "oci", missing: int | None = None,
             latest_format: str = "oci") -> dict:
    """Each image: the target tag on `latest` (a commit name; a mapping such as `{label: …}` or
    `{revision: None}` for the image it holds; None for no target tag at all) and the target commit's
    candidate (absent for the image at index `missing`)."""
    target = names.config.tags.target
    out = {}
    for index, repo in enumerate(names.repos()):
        if latest == "target":
            images = [{"tags": [names.candidate("prev")], "revision": "prev"}]
        elif isinstance(latest, str):
            images = [{"tags": [names.candidate(latest), target], "revision": latest, "format": latest_format}]
        elif isinstance(latest, dict):
            images = [{"tags": [target], **latest, "format": latest_format}]
        else:
            images = [{"tags": [names.candidate("prev")], "revision": "prev"}]
        if index != missing:
            tags = [names.candidate("target")] + ([target] if latest == "target" else [])
            images.append({"tags": tags, "revision": "target", "format": candidates})
        label_key = names.config.tags.revision_label
        out[repo] = [{**image, "label_key": label_key} for image in images]
    return out


def e2e_workflow(names: Names, runs: list[dict]) -> list[dict]:
    return [{"file": names.config.e2e.workflow_file, "name": names.config.e2e_trigger.name, "runs": runs}]


def completed(commit: str = "target", conclusion: str = "success") -> dict:
    return {"commit": commit, "status": "completed", "conclusion": conclusion}


def run_for(value: str, commit: str = "target") -> list[dict]:
    """The E2E runs that make `gh run list` print `value` (`none/none`: no run)."""
    if value == gate.NO_RUN:
        return []
    status, conclusion = value.split("/")
    return [{"commit": commit, "status": status, **({"conclusion": conclusion} if conclusion else {})}]


def workflow_run(workflow: str, commit: str = "target", conclusion: str = "success", **extra) -> dict:
    return {"workflow_run": {"workflow": workflow, "conclusion": conclusion, "commit": commit, **extra}}


def dispatch(names: Names, sha: str) -> dict:
    return {"workflow_dispatch": {"inputs": {names.config.dispatch.input: sha}}}


def scenario(names: Names, area: str, name: str, intent: str, description: str, event: dict, *,
             runs: list[dict] | None = None, registry_: dict | None = None, faults: list[dict] = (),
             private: bool = False, expect: dict | None = None, secrets: dict | None = None,
             registry_hosts: dict | None = None) -> Scenario:
    """One derived scenario: expectations from the config (`from_config`), plus the explicit ones given."""
    return Scenario.model_validate({
        **({"secrets": secrets} if secrets else {}), **({"registry_hosts": registry_hosts} if registry_hosts else {}),
        "name": name, "intent": intent, "description": description, "tags": ["derived", area],
        "repository": {"name": names.repository, "default_branch": names.config.branch, "private": private,
                       "commits": [{"name": "base", "sha": COMMITS["base"]},
                                   {"name": "prev", "sha": COMMITS["prev"]},
                                   {"name": "target", "sha": COMMITS["target"]},
                                   {"name": "newer", "sha": COMMITS["newer"]},
                                   {"name": "orphan", "sha": COMMITS["orphan"], "parents": ["prev"]}],
                       "head": "newer"},
        "event": event,
        "workflows": e2e_workflow(names, [completed()] if runs is None else runs),
        "faults": list(faults),
        "registry": registry(names) if registry_ is None else registry_,
        "expect": {"from_config": True, **(expect or {})},
    })
