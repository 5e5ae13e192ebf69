"""The World a scenario or timeline file describes: commit names resolved, upstream workflows
numbered, faults named."""
from __future__ import annotations

from harness.library.common import RegistryImage, Repository
from harness.library.scenario import Scenario
from harness.library.timeline import Timeline

from .registries import Account, HostPlay, default_auth, default_plays
from .world import ImageRecord, UpstreamWorkflow, World

WORKFLOW_ID_BASE = 4242


def base_world(repository: Repository, registry: dict[str, list[RegistryImage]], actor: str, token: str,
               secrets: dict | None = None) -> World:
    """Commit graph, head and registry from a file's `repository:` and `registry:`."""
    names = {c.name: c.sha for c in repository.commits}
    commits: dict[str, list[str]] = {}
    previous = None
    for c in repository.commits:
        commits[c.sha] = [names[p] for p in c.parents] if c.parents is not None else ([previous] if previous else [])
        previous = c.sha
    head = names.get(repository.head or "", repository.head) or repository.commits[-1].sha
    world = World(repository.name, repository.default_branch, commits, names, head, actor, token,
                  private=repository.private, secrets=dict(secrets or {}))
    for repo, images in registry.items():
        world.registry[repo] = [ImageRecord(list(im.tags), world.sha(im.revision) if im.revision else im.label,
                                            im.format, im.label_key) for im in images]
    return world


def with_registries(world: World, config, scenario: Scenario | None = None) -> World:
    """The registry hosts the config's images name, their accounts and the secrets that open them;
    then what the scenario changes (a wrong password, a pull-only token, another auth)."""
    plays, secrets = default_plays(config)
    secrets |= world.secrets  # the file's `secrets:` (a wrong password, say) over the defaults
    if scenario is not None:
        for host, spec in scenario.registry_hosts.items():
            current = plays.get(host, HostPlay(host, default_auth(host)))
            accounts = ([Account(a.username, a.password, a.push) for a in spec.accounts]
                        if spec.accounts is not None else current.accounts)
            plays[host] = HostPlay(host, spec.auth or current.auth, accounts)
    world.registry_hosts, world.secrets = plays, secrets
    return world


def scenario_world(scenario: Scenario) -> World:
    world = base_world(scenario.repository, scenario.registry, scenario.actor, scenario.token, scenario.secrets)
    for i, spec in enumerate(scenario.workflows):
        world.workflows.append(UpstreamWorkflow(WORKFLOW_ID_BASE + i, spec.file, spec.name, spec.state))
    for workflow, spec in zip(world.workflows, scenario.workflows):
        for run in spec.runs:
            world.add_run(workflow, world.sha(run.commit), run.status, run.conclusion, run.branch, run.event)
    world.faults = [fault.named(i) for i, fault in enumerate(scenario.faults)]
    return world


def timeline_world(timeline: Timeline) -> World:
    """The world before a timeline's first event: its E2E and publish workflows, no runs yet."""
    world = base_world(timeline.repository, timeline.registry, timeline.actor, timeline.token, timeline.secrets)
    world.workflows = [UpstreamWorkflow(WORKFLOW_ID_BASE, timeline.e2e.file, timeline.e2e.workflow),
                       UpstreamWorkflow(WORKFLOW_ID_BASE + 1, timeline.publisher.file, timeline.publisher.workflow)]
    return world
