"""Timelines for any config. The built-in timelines are written in molecule-core's names (its publish
and E2E workflows, two images, `staging-<7 hex>` candidates, `:latest`, branch main); `fit` plays
one in a config's names instead: its trigger workflows and E2E file, every image, the candidate
pattern and short-SHA length, the target tag, the revision label's key and the branch. A timeline
that names its own publisher (a repository's own file) is already in its names and is left as it is.

Images map by role: the reference's first image is the config's first, its second stands for every
other image (so a refused retag of "the second image" refuses each of the others). With one image
nothing can split: expectations that the fleet splits are dropped, and a timeline whose fault needs
a second image does not apply (`fit` says why)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from generator.config import Config

from . import repository_keys
from .common import SHA, Repository
from .invariant_names import ONE_REVISION
from .timeline import E2EWorkflow, Publisher, Timeline

REFERENCE = Publisher()
REFERENCE_E2E = E2EWorkflow()
REFERENCE_BRANCH = Repository.model_fields["default_branch"].default
REFERENCE_TARGET = "latest"
REFERENCE_SHORT = 7


@dataclass(frozen=True)
class Fitted:
    timeline: Timeline | None
    skipped: str = ""  # why the timeline does not apply to the config, when it does not


def fit(timeline: Timeline, config: Config | None) -> Fitted:
    if config is None or timeline.publisher != REFERENCE:
        return Fitted(timeline)
    repos = [repository_keys.of_ref(image.ref) for image in config.images]
    images = {REFERENCE.images[0]: repos[:1], REFERENCE.images[1]: repos[1:]}
    if images == {r: [r] for r in REFERENCE.images} and _same_names(timeline, config):
        return Fitted(timeline)
    data = timeline.model_dump(exclude_unset=True)
    names = _Names(timeline, config, images)
    for event in _events(data.get("events", [])):
        fault = event.get("registry_fault")
        if fault and "path" in fault:
            path, hosts = names.path(fault["path"])
            if path is None:
                return Fitted(None, f"its registry fault needs a second image ({fault['path']}); the config has one")
            if len(hosts) > 1:
                return Fitted(None, f"its registry fault ({fault['path']}) stands for images on {len(hosts)} "
                                    f"registry hosts ({', '.join(sorted(hosts))}), and a fault hits one host")
            fault["path"] = path
            if hosts and hosts != {repository_keys.GHCR}:
                fault["host"] = hosts.pop()
    publish = config.publish_triggers[0].name if config.publish_triggers else REFERENCE.workflow
    data["publisher"] = {"workflow": publish, "file": _file_name(publish), "images": repos,
                         "candidate": config.tags.candidate, "format": timeline.publisher.format,
                         "label_key": config.tags.revision_label}
    data["e2e"] = {"workflow": config.e2e_trigger.name, "file": config.e2e.workflow_file}
    repository = data["repository"]
    if repository.get("default_branch", REFERENCE_BRANCH) == REFERENCE_BRANCH:
        repository["default_branch"] = config.branch
    data["registry"] = {repo: [names.image(image) for image in stack]
                        for ref, stack in data.get("registry", {}).items() for repo in images.get(ref, [ref])}
    for expect in [data.setdefault("expect", {})] + [v.setdefault("expect", {}) for v in data.get("variants", [])]:
        names.expectation(expect, single=len(repos) == 1)
    return Fitted(Timeline.model_validate(data))


def _same_names(timeline: Timeline, config: Config) -> bool:
    publish = [t.name for t in config.publish_triggers]
    return (publish[:1] == [REFERENCE.workflow] and config.e2e_trigger.name == REFERENCE_E2E.workflow
            and config.e2e.workflow_file == REFERENCE_E2E.file and config.tags.candidate == REFERENCE.candidate
            and config.tags.short_sha_length == REFERENCE_SHORT and config.tags.target == REFERENCE_TARGET
            and config.branch == REFERENCE_BRANCH and config.tags.revision_label == REFERENCE.label_key)


def _file_name(workflow: str) -> str:
    return (re.sub(r"[^a-z0-9]+", "-", workflow.lower()).strip("-") or "publish") + ".yml"


def _events(events: list[dict]):
    for event in events:
        yield event
        yield from _events(event.get("together") or [])


class _Names:
    def __init__(self, timeline: Timeline, config: Config, images: dict[str, list[str]]):
        self.images, self.tags, self.label_key = images, config.tags, config.tags.revision_label
        self.shas = {c.name: c.sha for c in timeline.repository.commits}
        for event in _events([e.model_dump(exclude_unset=True) for e in timeline.events]):
            if event.get("push"):
                self.shas[event["push"]["commit"]] = event["push"]["sha"]

    def tag(self, tag: str, revision: str | None) -> str:
        if tag == REFERENCE_TARGET:
            return self.tags.target
        sha = self.shas.get(revision or "", revision or "")
        if SHA.match(sha) and tag == REFERENCE.candidate.format(short=sha[:REFERENCE_SHORT], sha=sha):
            return self.tags.candidate.format(short=sha[:self.tags.short_sha_length], sha=sha)
        return tag

    def image(self, image: dict) -> dict:
        """A registry image in the config's tags, labelled under the config's revision label key."""
        return {"label_key": self.label_key, **image, "tags": [self.tag(t, image.get("revision")) for t in image["tags"]]}

    def path(self, pattern: str) -> tuple[str | None, set[str]]:
        """A registry-fault path regex in the config's names (the repositories as the registry sees
        them) and the hosts those live on; None when it names an image the config lacks."""
        refs = sorted(self.images, key=len, reverse=True)
        found = re.findall("|".join(re.escape(r) for r in refs), pattern)
        if any(not self.images[r] for r in found):
            return None, set()
        hosts = {repository_keys.split(key)[0] for r in found for key in self.images[r]}

        def repo(match: re.Match) -> str:
            repos = [re.escape(repository_keys.split(r)[1]) for r in self.images[match.group(0)]]
            return repos[0] if len(repos) == 1 else "(?:" + "|".join(repos) + ")"

        pattern = re.sub("|".join(re.escape(r) for r in refs), repo, pattern)
        return pattern.replace(f"/manifests/{REFERENCE_TARGET}", f"/manifests/{re.escape(self.tags.target)}"), hosts

    def expectation(self, expect: dict, single: bool) -> None:
        if "latest" in expect:
            expect["latest"] = {repo: commit for ref, commit in expect["latest"].items()
                                for repo in self.images.get(ref, [ref])}
        if single and expect.get("invariants", {}).get(ONE_REVISION) == "broken":
            del expect["invariants"][ONE_REVISION]  # one image cannot split
