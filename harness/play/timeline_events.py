"""What each timeline event does to the world: a push adds a commit, a publish records its run and
builds the candidate images, an E2E event starts or ends a run, outages and registry faults come
and go, a dispatch asks for a run. Returns the GitHub events fired and the images to push."""
from __future__ import annotations

from dataclasses import dataclass, field

from harness.library.fault import Fault
from harness.library.timeline import E2EEvent, OutageEvent, RegistryFaultEvent, Timeline, TimelineEvent
from harness.workflow import events
from harness.world.world import ImageRecord, UpstreamWorkflow, World

OUTAGE_DELAY = 0.2  # seconds an outage of kind `delay` holds each request


@dataclass
class Change:
    fired: list[events.Event] = field(default_factory=list)
    pushes: list[tuple[str, ImageRecord]] = field(default_factory=list)  # (repository, image)


class WorldChanges:
    def __init__(self, world: World, timeline: Timeline, short_sha_length: int, dispatch_input: str):
        self.world, self.timeline = world, timeline
        self.short_sha_length, self.dispatch_input = short_sha_length, dispatch_input

    def apply(self, event: TimelineEvent) -> Change:
        """The change of one event (a `together` event is applied part by part by the caller)."""
        world = self.world
        if event.push:
            push = event.push
            world.commits[push.sha] = [world.sha(p) for p in push.parents] if push.parents is not None else [world.head]
            world.names[push.commit] = push.sha
            world.head = push.sha
            return Change()
        if event.publish:
            return self._publish(world.sha(event.publish.commit), event.publish.conclusion)
        if event.e2e:
            return self._e2e(event.e2e)
        if event.outage:
            self._outage(event.outage)
            return Change()
        if event.registry_fault:
            self._registry_fault(event.registry_fault)
            return Change()
        sha = world.sha(event.dispatch.sha) if event.dispatch.sha else ""
        return Change(fired=[events.Dispatch({self.dispatch_input: sha}, world.default_branch)])

    def _publish(self, sha: str, conclusion: str) -> Change:
        publisher = self.timeline.publisher
        self.world.add_run(self._workflow(publisher.file), sha, "completed", conclusion)
        change = Change(fired=[self.world.run_event(publisher.workflow, "completed", conclusion, sha)])
        if conclusion == "success":
            tag = publisher.candidate.format(short=sha[:self.short_sha_length], sha=sha)
            for repo in publisher.images:
                image = ImageRecord([tag], sha, publisher.format, publisher.label_key)
                self.world.registry.setdefault(repo, []).append(image)
                change.pushes.append((repo, image))
        return change

    def _e2e(self, e2e: E2EEvent) -> Change:
        world, name = self.world, self.timeline.e2e.workflow
        sha = world.sha(e2e.commit)
        workflow = self._workflow(self.timeline.e2e.file)
        open_runs = [r for r in workflow.runs if r.head_sha == sha and r.status != "completed"]
        created = not open_runs or e2e.rerun
        if created:
            world.add_run(workflow, sha, e2e.status, e2e.conclusion)
        else:
            run = max(open_runs, key=lambda r: r.id)
            run.status, run.conclusion = e2e.status, e2e.conclusion
        if e2e.status == "completed":
            return Change(fired=[world.run_event(name, "completed", e2e.conclusion, sha)])
        return Change(fired=[world.run_event(name, "requested", None, sha)] if created else [])

    def _outage(self, outage: OutageEvent) -> None:
        faults = [f for f in self.world.faults if not (f.name or "").startswith("outage-")]
        if outage.state == "start":
            faults += [Fault(name=f"outage-{route}", service="api", route=route, kind=outage.kind,
                             status=outage.status if outage.kind == "status" else None,
                             delay=OUTAGE_DELAY if outage.kind == "delay" else None) for route in outage.routes]
        self.world.faults = faults

    def _registry_fault(self, fault: RegistryFaultEvent) -> None:
        faults = [f for f in self.world.faults if not f.hits_registry]
        if fault.state == "start":
            faults.append(Fault(name="registry-fault", service="registry", method=fault.method, path=fault.path,
                                kind="status", status=fault.status, body=fault.body, times=fault.times,
                                host=fault.host))
        self.world.faults = faults

    def _workflow(self, file: str) -> UpstreamWorkflow:
        return next(wf for wf in self.world.workflows if wf.file == file)
