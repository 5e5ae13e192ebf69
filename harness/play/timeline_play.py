"""Play a timeline against persistent registry and API state: each event changes the world, fires
the workflow where it triggers, and the invariants are checked with the event that broke them."""
from __future__ import annotations

import itertools
import time

from harness.checks.alarms import Promotion
from harness.checks.invariants import LEGACY
from harness.library.invariant_names import NOT_STUCK
from harness.checks.ledger import InvariantLedger
from harness.library.timeline import Timeline, TimelineEvent
from harness.report import wording
from harness.runner.run import WorkflowRunner
from harness.trace.timeline import EventPlayed, OrderTried, TimelineRun, TimelineTrace
from harness.workflow import concurrency, events
from harness.world import oci
from harness.world.build import timeline_world, with_registries
from harness.world.world import push_request

from . import footprint, interleave
from .plan import plan
from .seeding import seed
from .timeline_events import WorldChanges
from .variants import Subject

PLAYS = itertools.count(1)  # saved registry states are kept per pod and never overwritten: key them per play


class TimelinePlayer:
    def __init__(self, pod, timeline: Timeline, subject: Subject, config=None):
        self.pod, self.timeline, self.subject = pod, timeline, subject
        self.workflow = subject.workflow
        self.world = with_registries(timeline_world(timeline), config)
        self.changes = WorldChanges(self.world, timeline, subject.short_sha_length, subject.dispatch_input)
        publisher = timeline.publisher
        promotion = Promotion(timeline.e2e.file, tuple(publisher.images), publisher.candidate, subject.short_sha_length,
                              subject.target_tag)
        self.ledger = InvariantLedger(self.world, promotion, publisher.file)
        self.trace = TimelineTrace(timeline.name or "timeline", subject.variant, timeline.description,
                                   subject.display, self.world, tools=pod.images.tools, target=subject.target_tag)
        self.revisions: dict[str, str] = {}  # digest → the revision its image was built from
        self.latest: dict[str, str | None] = {}
        self.all_runs: list[TimelineRun] = []
        self.play = next(PLAYS)
        self.fault_counts: dict[str, int] = {}  # a fault's `times` count the whole day, not each run

    def run(self) -> TimelineTrace:
        started = time.monotonic()
        for repo, images in self.world.registry.items():
            for image in images:
                self.revisions[oci.build(repo, image.revision, image.format, image.label_key).top_digest] = \
                    image.revision or LEGACY
        seed(self.pod, self.world)
        self.latest = self._read_latest()
        self.trace.initial = dict(self.latest)
        for index, event in enumerate(self.timeline.events, start=1):
            self.trace.events.append(self._play(index, event))
        self.trace.final = self.ledger.settled(self.all_runs, self.latest)
        self.trace.summaries = "".join(j.summary for r in self.all_runs for j in r.jobs)
        self.trace.seconds = time.monotonic() - started
        return self.trace

    def _play(self, index: int, event: TimelineEvent) -> EventPlayed:
        record = EventPlayed(index, wording.timeline_event(event, self.world))
        before = dict(self.latest)
        fired = []
        for part in event.together or [event]:
            change = self.changes.apply(part)
            for repo, image in change.pushes:
                self.revisions[oci.build(repo, image.revision, image.format, image.label_key).top_digest] = \
                    image.revision
                self.pod.push(push_request(repo, image))
            fired += change.fired
        planned = [(self._planned(e), e) for e in fired]
        triggered = [(run, gh_event) for run, gh_event in planned if run.triggered]
        queue = concurrency.schedule([concurrency.Concurrency(run.group, run.cancel_in_progress, run.queue)
                                      for run, _ in triggered]) if event.together else None
        if queue and queue.overlaps:
            self._interleave(index, planned, queue, event, record, before)
        else:
            for i, (run, _) in enumerate(triggered):
                run.cancelled = queue.cancelled.get(i, "") if queue else ""
            record.runs = [run if run.cancelled else self._fire(run, gh_event) for run, gh_event in planned]
            record.latest = self.latest = self._read_latest()
            record.violations = self.ledger.new(self.ledger.broken_by(record.runs, before, self.latest))
        self.all_runs += record.runs
        return record

    def _planned(self, gh_event: events.Event) -> TimelineRun:
        planned = plan(self.workflow, self.world, gh_event)
        dispatch = isinstance(gh_event, events.Dispatch)
        target = gh_event.inputs.get(self.subject.dispatch_input, "") if dispatch else gh_event.head_sha
        return TimelineRun(wording.github_event(gh_event, self.world), planned.decision.triggered,
                           planned.decision.reason, target, planned.concurrency, by_operator=dispatch,
                           cancel_in_progress=planned.settings.cancel_in_progress, queue=planned.settings.queue)

    def _set_api(self) -> None:
        self.pod.set_world(self.world.api_state(self.workflow.token_permissions(self.workflow.jobs[0])),
                           reset_log=True, fault_counts=self.fault_counts)

    def _fire(self, run: TimelineRun, gh_event: events.Event) -> TimelineRun:
        if not run.triggered:
            return run
        self.ledger.note_reasons(run, self.latest)
        self._set_api()
        run.jobs = WorkflowRunner(self.pod, self.workflow, gh_event, self.world).run()
        self.fault_counts = self.pod.fault_counts()
        # A refusal may answer what another run did meanwhile, so the state at the end counts too.
        self.ledger.note_reasons(run, self._read_latest())
        return run

    def _interleave(self, index: int, planned: list, queue: concurrency.Schedule, event: TimelineEvent,
                    record: EventPlayed, before: dict) -> None:
        """The overlapping runs in every chosen step order from the same start; the timeline continues
        from the first order that broke an invariant (else the first order)."""
        key = f"timeline-{self.play}-{index}"
        self.pod.save_registry(key)
        steps = sum(len(job.steps) for job in self.workflow.jobs)
        triggered = [(run, gh_event) for run, gh_event in planned if run.triggered]
        untriggered = [r for r, _ in planned if not r.triggered]
        start, counts = dict(self.fault_counts), {}  # every order meets the faults as the event found them
        cut = frozenset(concurrency.LETTERS[lane.runs[0]] for lane in queue.lanes if lane.cut)
        # not-stuck is judged once the day settles, so no order of one event shows it alone
        wanted = frozenset(name for name, verdict in self.subject.expect.invariants.items()
                           if verdict == "broken" and name != NOT_STUCK)
        source = interleave.order_source([lane.shapes(steps) for lane in queue.lanes], event.interleave, cut, wanted)
        while (order := source.next()) is not None:
            self.pod.restore_registry(key)
            self.fault_counts = dict(start)
            runs = [(run.fresh(), gh_event) for run, gh_event in triggered]
            tried, footprints = self._try_order(order, before, runs, queue, untriggered, cut)
            record.orders.append(tried)
            source.learn(order, footprints, {v.invariant for v in tried.violations})
            counts[order] = self.pod.fault_counts()
            self.pod.save_registry(f"{key}-{order}")
        record.search, record.space = event.interleave.orders, source.space
        record.exhausted, record.stopped = source.exhausted, source.stopped
        chosen = next((o for o in record.orders if o.violations), record.orders[0])
        self.fault_counts = counts[chosen.order]
        self.pod.restore_registry(f"{key}-{chosen.order}")
        record.continued_from, record.runs = chosen.order, chosen.runs
        record.latest = self.latest = chosen.latest
        record.violations = self.ledger.new([v for o in record.orders for v in o.violations])

    def _try_order(self, order: str, before: dict, runs: list, queue: concurrency.Schedule,
                   untriggered: list[TimelineRun], cut: frozenset[str]) -> tuple[OrderTried, dict]:
        slots = {i: slot for slot, lane in enumerate(queue.lanes) for i in lane.runs}
        runners = {}
        for i, (run, gh_event) in enumerate(runs):
            run.cancelled = queue.cancelled.get(i, "")
            if i in slots:  # a run cancelled while pending never starts
                self.ledger.note_reasons(run, self.latest)
                runner = WorkflowRunner(self.pod, self.workflow, gh_event, self.world, slot=slots[i])
                runners[concurrency.LETTERS[i]] = (runner, run)
        self._set_api()
        moves, footprints = interleave.step_through(order, runners, self.world, before, self._read_latest,
                                                    self.subject.target_tag, cut, self._touched())
        latest = self._read_latest()
        for _, run in runners.values():
            self.ledger.note_reasons(run, latest)
        done = [run for run, _ in runs] + untriggered
        found = list(dict.fromkeys(moves + self.ledger.broken_by(done, before, latest)))
        return OrderTried(order, done, latest, found), footprints

    def _touched(self):
        """Reads the footprint of the requests the pod saw since the last call (the log starts empty
        with each order's world)."""
        limited = footprint.counted(self.world.faults)
        seen = 0

        def since() -> footprint.Footprint:
            nonlocal seen
            entries = self.pod.log()
            new, seen = entries[seen:], len(entries)
            return footprint.of(new, limited)
        return since

    def _read_latest(self) -> dict[str, str | None]:
        """repository → the revision its :latest holds (None when there is no :latest)."""
        images = list(self.timeline.publisher.images)
        tags = self.pod.tags(images)
        out: dict[str, str | None] = {}
        for repo in images:
            digest = tags.get(repo, {}).get(self.subject.target_tag)
            out[repo] = None if digest is None else self.revisions.get(digest, f"unknown image {digest[:19]}")
        return out
