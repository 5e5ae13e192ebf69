"""Play a timeline against persistent registry and API state: each event changes the world, fires
the workflow where it triggers, and the invariants are checked with the event that broke them."""
from __future__ import annotations

import itertools
import math
import random
import time
from dataclasses import dataclass, field

from generator.loader import InputError

from . import events, invariants, oci, simulate
from .pod import Pod
from .runner import JobResult, JobRunner
from .timeline import Event, Timeline
from .world import WORKFLOW_ID_BASE, ImageRecord, World, WorkflowRecord, base_world, push_request


@dataclass
class RunRecord:
    label: str
    triggered: bool
    reason: str
    target: str
    group: str | None = None
    jobs: list[JobResult] = field(default_factory=list)
    legit: list[str] = field(default_factory=list)
    by_operator: bool = False

    @property
    def conclusion(self) -> str:
        if not self.triggered:
            return "not triggered"
        if not any(j.ran for j in self.jobs):
            return "skipped"
        return "failure" if any(j.conclusion == "failure" for j in self.jobs) else "success"


@dataclass
class OrderRecord:
    order: str
    runs: list[RunRecord]
    latest: dict[str, str | None]
    violations: list[invariants.Violation]


@dataclass
class EventRecord:
    index: int
    text: str
    runs: list[RunRecord] = field(default_factory=list)
    latest: dict[str, str | None] = field(default_factory=dict)
    violations: list[invariants.Violation] = field(default_factory=list)
    orders: list[OrderRecord] = field(default_factory=list)
    continued_from: str | None = None


@dataclass
class TimelineTrace:
    name: str
    variant: str
    description: str
    workflow: str
    world: World
    initial: dict[str, str | None] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)
    final: list[invariants.Violation] = field(default_factory=list)
    checks: list = field(default_factory=list)
    summaries: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def scenario(self) -> str:  # the name the pass/fail table shows
        return f"{self.name}[{self.variant}]"

    def broken(self) -> dict[str, int]:
        """invariant → first event index that broke it (0 for the end-of-timeline check)."""
        out: dict[str, int] = {}
        for record in self.events:
            for v in record.violations:
                out.setdefault(v.invariant, record.index)
        for v in self.final:
            out.setdefault(v.invariant, 0)
        return out


class TimelineRunner:
    def __init__(self, pod: Pod, timeline: Timeline, workflow, display: str, variant: str, crane_kind: str,
                 target_tag: str = "latest"):
        self.pod, self.t, self.workflow = pod, timeline, workflow
        self.crane_kind, self.tag = crane_kind, target_tag
        self.world = initial_world(timeline)
        self.trace = TimelineTrace(timeline.name or "timeline", variant, timeline.description, display, self.world)
        self.digests: dict[str, str] = {}
        self.latest: dict[str, str | None] = {}
        self.all_runs: list[RunRecord] = []
        self._standing: set[invariants.Violation] = set()

    # the whole timeline ----------------------------------------------------------------------

    def run(self) -> TimelineTrace:
        started = time.monotonic()
        self._learn_digests(self.world)
        simulate.seed(self.pod, self.world)
        self.latest = self._read_latest()
        self.trace.initial = dict(self.latest)
        for index, event in enumerate(self.t.events, start=1):
            self.trace.events.append(self._apply(index, event))
        self.trace.final = self._settled()
        self.trace.summaries = "".join(j.summary for r in self.all_runs for j in r.jobs)
        self.trace.seconds = time.monotonic() - started
        return self.trace

    def _apply(self, index: int, event: Event) -> EventRecord:
        record = EventRecord(index, describe(event, self.world))
        before = dict(self.latest)
        fired = [f for e in (event.together or [event]) for f in self._mutate(e)]
        runs = [self._planned(f) for f in fired]
        triggered = [r for r in runs if r[0].triggered]
        if event.together and len(triggered) > 1 and len({r[0].group for r in triggered}) > 1:
            self._interleave(index, runs, event, record, before)
        else:
            record.runs = [self._fire(run, gh_event) for run, gh_event in runs]
            record.latest = self.latest = self._read_latest()
            record.violations = self._new(self._check(record.runs, before, self.latest))
        self.all_runs += record.runs
        return record

    # world changes ---------------------------------------------------------------------------

    def _mutate(self, event: Event) -> list[events.Event]:
        w = self.world
        if event.push:
            sha = event.push.sha
            w.commits[sha] = [w.sha(p) for p in event.push.parents] if event.push.parents is not None else [w.head]
            w.names[event.push.commit] = sha
            w.head = sha
            return []
        if event.publish:
            return self._publish(w.sha(event.publish.commit), event.publish.conclusion)
        if event.e2e:
            return self._e2e(event)
        if event.outage:
            self._outage(event)
            return []
        if event.registry_fault:
            f = event.registry_fault
            w.faults = [x for x in w.faults if x.get("service") != "registry"]
            if f.state == "start":
                fault = {"name": "registry-fault", "service": "registry", "method": f.method, "path": f.path,
                         "kind": "status", "status": f.status}
                fault |= {k: v for k, v in (("body", f.body), ("times", f.times)) if v is not None}
                w.faults.append(fault)
            return []
        sha = w.sha(event.dispatch.sha) if event.dispatch.sha else ""
        return [events.Dispatch({"sha": sha}, w.default_branch)]

    def _publish(self, sha: str, conclusion: str) -> list[events.Event]:
        w, p = self.world, self.t.publisher
        w.add_run(self._workflow(p.file), sha, "completed", conclusion)
        if conclusion == "success":
            tag = p.candidate.format(short=sha[:7], sha=sha)
            for repo in p.images:
                image = ImageRecord([tag], sha, p.format)
                w.registry.setdefault(repo, []).append(image)
                self.digests[oci.build(repo, sha, p.format).top_digest] = sha
                self.pod.push(push_request(repo, image))
        return [events.WorkflowRun(p.workflow, "completed", conclusion, sha, w.default_branch)]

    def _e2e(self, event: Event) -> list[events.Event]:
        w, e = self.world, event.e2e
        sha = w.sha(e.commit)
        wf = self._workflow(self.t.e2e.file)
        open_runs = [r for r in wf.runs if r.head_sha == sha and r.status != "completed"]
        if open_runs and not e.rerun:
            run = max(open_runs, key=lambda r: r.id)
            run.status, run.conclusion = e.status, e.conclusion
            created = False
        else:
            w.add_run(wf, sha, e.status, e.conclusion)
            created = True
        if e.status == "completed":
            return [events.WorkflowRun(self.t.e2e.workflow, "completed", e.conclusion, sha, w.default_branch)]
        return [events.WorkflowRun(self.t.e2e.workflow, "requested", None, sha, w.default_branch)] if created else []

    def _outage(self, event: Event) -> None:
        o = event.outage
        w = self.world
        w.faults = [f for f in w.faults if not str(f.get("name", "")).startswith("outage-")]
        if o.state == "start":
            for route in o.routes:
                fault = {"name": f"outage-{route}", "service": "api", "route": route, "kind": o.kind}
                fault |= {"status": o.status} if o.kind == "status" else {}
                fault |= {"delay": 0.2} if o.kind == "delay" else {}
                w.faults.append(fault)

    def _workflow(self, file: str) -> WorkflowRecord:
        return next(wf for wf in self.world.workflows if wf.file == file)

    # runs ------------------------------------------------------------------------------------

    def _planned(self, gh_event: events.Event):
        plan = simulate.plan(self.workflow, self.world, gh_event)
        target = gh_event.inputs.get("sha", "") if isinstance(gh_event, events.Dispatch) else gh_event.head_sha
        record = RunRecord(simulate.describe(gh_event, self.world), plan.decision.triggered, plan.decision.reason,
                           target, plan.concurrency, by_operator=isinstance(gh_event, events.Dispatch))
        return record, gh_event

    def _fire(self, record: RunRecord, gh_event: events.Event, k: int = 0) -> RunRecord:
        if not record.triggered:
            return record
        record.legit = self._reasons(record.target)
        self.pod.set_world(self.world.api_state(self.workflow.token_permissions(self.workflow.jobs[0])), reset_log=True)
        record.jobs = [JobRunner(self.pod, self.workflow, job, gh_event, self.world, k=k,
                                 crane_kind=self.crane_kind).run() for job in self.workflow.jobs]
        self._add_reasons(record, self._read_latest())
        return record

    def _add_reasons(self, record: RunRecord, latest: dict) -> None:
        # A refusal may answer what another run did meanwhile, so the state at the end counts too.
        late = invariants.alarm_reasons(self.world, record.target, self.t.e2e.file, self.t.publisher.images,
                                        self.t.publisher.candidate, latest)
        record.legit += [r for r in late if r not in record.legit]

    def _reasons(self, target: str) -> list[str]:
        return invariants.alarm_reasons(self.world, target, self.t.e2e.file, self.t.publisher.images,
                                        self.t.publisher.candidate, self.latest)

    def _interleave(self, index: int, runs, event: Event, record: EventRecord, before: dict) -> None:
        (a, ev_a), (b, ev_b) = [r for r in runs if r[0].triggered][:2]
        key = f"timeline-{index}"
        self.pod.save_registry(key)
        for order in orders(len(self.workflow.jobs[0].steps), len(self.workflow.jobs[0].steps), event.interleave):
            self.pod.restore_registry(key)
            ra, rb = _copy(a), _copy(b)
            ra.legit, rb.legit = self._reasons(ra.target), self._reasons(rb.target)
            self.pod.set_world(self.world.api_state(self.workflow.token_permissions(self.workflow.jobs[0])),
                               reset_log=True)
            moves = self._step_through(order, before, (ra, ev_a, 0), (rb, ev_b, 1))
            latest = self._read_latest()
            for r in (ra, rb):
                self._add_reasons(r, latest)
            done = [ra, rb] + [r for r, _ in runs if not r.triggered]
            found = list(dict.fromkeys(moves + self._check(done, before, latest)))
            record.orders.append(OrderRecord(order, done, latest, found))
            self.pod.save_registry(f"{key}-{order}")
        chosen = next((o for o in record.orders if o.violations), record.orders[0])
        self.pod.restore_registry(f"{key}-{chosen.order}")
        record.continued_from, record.runs = chosen.order, chosen.runs
        record.latest = self.latest = chosen.latest
        record.violations = self._new([v for o in record.orders for v in o.violations])

    def _step_through(self, order: str, before: dict, *jobs) -> list[invariants.Violation]:
        """Run two jobs a step at a time in `order`; :latest is read after every step that ran,
        because a move back and forth inside the overlap is invisible from its two ends."""
        runners = {}
        for name, (record, gh_event, k) in zip("ab", jobs):
            runner = JobRunner(self.pod, self.workflow, self.workflow.jobs[0], gh_event, self.world, k=k,
                               crane_kind=self.crane_kind)
            runner.start()
            runners[name] = (runner, record)
        moves, current = [], dict(before)
        for who in order:
            runner, record = runners[who]
            if runner.pending() and runner.step().ran:
                now = self._read_latest()
                moves += invariants.no_backwards(self.world, current, now, record.by_operator)
                current = now
        for runner, record in runners.values():
            record.jobs = [runner.finish()]
        return moves

    # invariants ------------------------------------------------------------------------------

    def _check(self, runs: list[RunRecord], before: dict, after: dict) -> list[invariants.Violation]:
        w = self.world
        found = invariants.no_backwards(w, before, after, any(r.by_operator for r in runs))
        found += invariants.never_red(w, after, self.t.e2e.file)
        found += invariants.one_revision(w, after)
        for run in runs:
            if run.conclusion == "failure" and not run.legit:
                found.append(invariants.false_alarm(run.label, run.legit))
        return found

    def _new(self, found: list[invariants.Violation]) -> list[invariants.Violation]:
        """Violations this event caused: a state that was already wrong is reported once, where it began."""
        fresh = [v for v in found if v not in self._standing]
        self._standing = {v for v in found if v.invariant in ("never-red", "one-revision")}
        return list(dict.fromkeys(fresh))

    def _settled(self) -> list[invariants.Violation]:
        w = self.world
        promotable = invariants.newest_promotable(w, self.t.publisher.file, self.t.e2e.file)
        concerned = [r for r in self.all_runs if r.triggered and promotable
                     and (r.target == promotable or invariants.is_ancestor(w, promotable, r.target))]
        # Only the last word counts: an early red run does not explain a later silent deferral.
        told = [concerned[-1].label] if concerned and concerned[-1].conclusion == "failure" and concerned[-1].legit else []
        return invariants.not_stuck(w, self.latest, promotable, told)

    def _learn_digests(self, world: World) -> None:
        for repo, images in world.registry.items():
            for image in images:
                self.digests[oci.build(repo, image.revision, image.format).top_digest] = image.revision or invariants.LEGACY

    def _read_latest(self) -> dict[str, str | None]:
        """repository → the revision its :latest holds (None when there is no :latest)."""
        tags = self.pod.tags(list(self.t.publisher.images))
        out: dict[str, str | None] = {}
        for repo in self.t.publisher.images:
            digest = tags.get(repo, {}).get(self.tag)
            out[repo] = None if digest is None else self.digests.get(digest, f"unknown image {digest[:19]}")
        return out


def _copy(record: RunRecord) -> RunRecord:
    return RunRecord(record.label, record.triggered, record.reason, record.target, record.group,
                     by_operator=record.by_operator)


def orders(n_a: int, n_b: int, settings) -> list[str]:
    """Step orders for two overlapping jobs: both serial orders first, then all or a seeded sample."""
    total = math.comb(n_a + n_b, n_a)
    serial = ["a" * n_a + "b" * n_b, "b" * n_b + "a" * n_a]
    if settings.orders == "all":
        if total > settings.limit:
            raise InputError(f"interleave: all {total} orders exceed limit {settings.limit}; use orders: sample")
        found = ["".join("a" if i in picks else "b" for i in range(n_a + n_b))
                 for picks in itertools.combinations(range(n_a + n_b), n_a)]
        return serial + [o for o in found if o not in serial]
    rng = random.Random(settings.seed)
    out = list(serial)
    while len(out) < min(settings.limit, total):
        picks = set(rng.sample(range(n_a + n_b), n_a))
        order = "".join("a" if i in picks else "b" for i in range(n_a + n_b))
        if order not in out:
            out.append(order)
    return out


def initial_world(t: Timeline) -> World:
    world = base_world(t.repository, t.registry, t.actor, t.token)
    world.workflows = [WorkflowRecord(WORKFLOW_ID_BASE, t.e2e.file, t.e2e.workflow),
                       WorkflowRecord(WORKFLOW_ID_BASE + 1, t.publisher.file, t.publisher.workflow)]
    return world


def describe(event: Event, world: World) -> str:
    note = f"  ({event.note})" if event.note else ""
    if event.together:
        return "together: " + " + ".join(describe(e, world) for e in event.together) + note
    if event.push:
        return f"push {event.push.commit} ({event.push.sha[:7]}) to {world.default_branch}{note}"
    if event.publish:
        return f"publish completed for {event.publish.commit}: {event.publish.conclusion}{note}"
    if event.e2e:
        e = event.e2e
        state = f"completed: {e.conclusion}" if e.status == "completed" else e.status
        return f"E2E {'re-run ' if e.rerun else ''}for {e.commit} {state}{note}"
    if event.outage:
        o = event.outage
        what = f"{o.status}" if o.kind == "status" else o.kind
        return f"API outage {'starts' if o.state == 'start' else 'ends'} ({', '.join(o.routes)} → {what}){note}" \
            if o.state == "start" else f"API outage ends{note}"
    if event.registry_fault:
        f = event.registry_fault
        return (f"registry fault starts: {f.method} {f.path} → {f.status}{note}" if f.state == "start"
                else f"registry fault ends{note}")
    return f"operator dispatch with sha {event.dispatch.sha or '(empty)'}{note}"
