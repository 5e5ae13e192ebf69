"""Events in words, as the traces show them: a GitHub event, and each kind of timeline event."""
from __future__ import annotations

from harness.library.timeline import TimelineEvent
from harness.workflow import events
from harness.world.world import World


def github_event(event: events.Event, world: World) -> str:
    if isinstance(event, events.Dispatch):
        inputs = ", ".join(f"{k}={v!r}" for k, v in sorted(event.inputs.items())) or "no inputs"
        return f"workflow_dispatch on {event.ref} ({inputs}) by {world.actor}"
    outcome = f" concluded {event.conclusion}" if event.action == "completed" else ""
    return f"workflow_run {event.action}: {event.workflow!r}{outcome} for {world.label(event.head_sha)} on {event.head_branch}"


def timeline_event(event: TimelineEvent, world: World) -> str:
    note = f"  ({event.note})" if event.note else ""
    if event.together:
        return "together: " + " + ".join(timeline_event(e, world) for e in event.together) + note
    return _single(event, world) + note


def _single(event: TimelineEvent, world: World) -> str:
    if event.push:
        return f"push {event.push.commit} ({event.push.sha[:7]}) to {world.default_branch}"
    if event.publish:
        return f"publish completed for {event.publish.commit}: {event.publish.conclusion}"
    if event.e2e:
        e2e = event.e2e
        state = f"completed: {e2e.conclusion}" if e2e.status == "completed" else e2e.status
        return f"E2E {'re-run ' if e2e.rerun else ''}for {e2e.commit} {state}"
    if event.outage:
        outage = event.outage
        if outage.state != "start":
            return "API outage ends"
        what = f"{outage.status}" if outage.kind == "status" else outage.kind
        return f"API outage starts ({', '.join(outage.routes)} → {what})"
    if event.registry_fault:
        fault = event.registry_fault
        where = f"{fault.host} " if fault.host else ""
        return (f"registry fault starts: {where}{fault.method} {fault.path} → {fault.status}" if fault.state == "start"
                else "registry fault ends")
    return f"operator dispatch with sha {event.dispatch.sha or '(empty)'}"
