"""Starter scenarios and a day's timeline for a config, written by `gen init` next to the config.

They use the config's own names (repository, images, tags, workflows) and state what the config's
tables decide, so `gen simulate` proves the new workflow from the first day. They belong to the user
afterwards: a policy change shows up as a failing expectation to update.
"""
from __future__ import annotations

import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from generator import gate
from generator.config import Config

from . import repository_keys
from .invariant_names import INVARIANTS

PREV = "9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61"
TARGET = "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"
DAY = {"c1": "1a3c5e7b9d0f2a4c6e8b0d2f4a6c8e0b2d4f6a81", "c2": "2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b92",
       "c3": "3c5e7a9b1d2f4a6c8e0b1d3f5a7c9e2b4d6f8a03"}

SCENARIOS_HEADER = """\
# Starter scenarios for this config, written by `gen init`: each plays one event against the
# rendered workflow (`gen simulate` runs them in containers) and states what the config decides.
# When you change the policy, update the expectations it changes; add scenarios of your own here.
"""
TIMELINE_HEADER = """\
# A day of pushes, builds and E2E runs against persistent registry and API state, written by
# `gen init`. After every event `gen simulate` checks the promise: the target tag never moves
# backwards, never points at a red commit, never splits, and the newest green commit gets there.
"""


def files(config: Config) -> list[tuple[str, str, str]]:
    """(file name, schema kind, YAML text) for the starter scenarios and, when it applies, the timeline."""
    out = [("scenarios.yaml", "scenario", SCENARIOS_HEADER + _dump(scenarios(config)))]
    # A day needs a publish workflow: it builds the candidates.
    if config.publish_triggers:
        out.append(("day.yaml", "timeline", TIMELINE_HEADER + _dump(timeline(config))))
    return out


def _repo(ref: str) -> str:
    key = repository_keys.of_ref(ref)
    # A port's `:` in a flow sequence (`images: [...]`) reads back as a mapping key unless quoted.
    return SingleQuotedScalarString(key) if ":" in key else key


def _candidate(config: Config, sha: str) -> str:
    return config.tags.candidate.replace("{short}", sha[:config.tags.short_sha_length]).replace("{sha}", sha)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-").lower() + ".yml"


def _repository(config: Config) -> CommentedMap:
    owner_repo = "/".join(config.images[0].reference.repository.split("/")[:2])
    if "/" not in owner_repo:
        owner_repo = f"{owner_repo}/{owner_repo}"
    repo = CommentedMap(name=owner_repo, default_branch=config.branch)
    repo["commits"] = CommentedSeq([_flow({"name": "prev", "sha": PREV}), _flow({"name": "target", "sha": TARGET})])
    repo.yaml_set_anchor("repository", always_dump=True)
    return repo


def _registry(config: Config, latest_on: str = "prev") -> CommentedMap:
    out = CommentedMap()
    target = config.tags.target
    for image in config.images:
        prev_tags = [_candidate(config, PREV)] + ([target] if latest_on == "prev" else [])
        new_tags = [_candidate(config, TARGET)] + ([target] if latest_on == "target" else [])
        out[_repo(image.ref)] = CommentedSeq([_flow({"tags": _flow(prev_tags), "revision": "prev"}),
                                               _flow({"tags": _flow(new_tags), "revision": "target"})])
    return out


def scenarios(config: Config) -> CommentedMap:
    repository, registry = _repository(config), _registry(config)
    registry.yaml_set_anchor("registry", always_dump=True)
    e2e, publish = config.e2e_trigger.name, [t.name for t in config.publish_triggers]
    upstream = publish[0] if publish else e2e
    out = CommentedSeq()

    def scenario(name, description, event, runs=None, faults=None, expect=None, reg=None, intent=None):
        s = CommentedMap(name=name, description=description, intent=intent, repository=repository,
                         registry=reg or registry)
        s["event"] = event
        if runs is not None:
            s["workflows"] = [CommentedMap(file=config.e2e.workflow_file, name=e2e, runs=CommentedSeq(runs))]
        if faults:
            s["faults"] = faults
        s["expect"] = expect
        out.append(s)

    def from_publish(conclusion=None, status="completed"):
        run = {"commit": "target", "status": status} | ({"conclusion": conclusion} if conclusion else {})
        return [_flow(run)]

    publish_event = _flow({"workflow_run": _flow({"workflow": upstream, "conclusion": "success", "commit": "target"})})
    publish_event.yaml_set_anchor("built", always_dump=True)
    if publish:
        for name, value, runs, what in (
            ("publish-with-e2e-green", "completed/success", from_publish("success"), "E2E passed"),
            ("publish-with-e2e-red", "completed/failure", from_publish("failure"), "E2E failed"),
            ("publish-while-e2e-runs", "in_progress/", from_publish(status="in_progress"), "E2E still runs"),
            ("publish-without-e2e-run", gate.NO_RUN, [], "E2E never ran (paths-filtered)"),
        ):
            decision = gate.decide(config.gate, value)
            scenario(name, f"{upstream} finished; {what} for the commit ({value or 'none'}): {decision.action}.",
                     publish_event, runs, expect=_expect(config, decision.action), intent=INTENT[decision.action])
        api = gate.decide(config.gate, gate.API_ERROR)
        scenario("publish-during-api-outage",
                 f"{upstream} finished while the Actions API fails (500): on_api_error is "
                 f"{config.gate.on_api_error}, so the gate decides {api.action}.",
                 publish_event, from_publish("failure"),
                 faults=[_flow({"service": "api", "route": "runs", "kind": "status", "status": 500})],
                 expect=_expect(config, api.action), intent=INTENT[api.action])
        scenario("behind-is-refused",
                 f"{upstream} finished for an older commit than the one :{config.tags.target} holds: the ancestry "
                 "check refuses to move it backwards.",
                 _flow({"workflow_run": _flow({"workflow": upstream, "conclusion": "success", "commit": "prev"})}),
                 [_flow({"commit": "prev", "status": "completed", "conclusion": "success"})],
                 expect=_expect(config, "refuse"), reg=_registry(config, latest_on="target"), intent="refuse")
        scenario("other-branch-is-ignored", f"{upstream} finished on another branch: the workflow does not run.",
                 _flow({"workflow_run": _flow({"workflow": upstream, "conclusion": "success", "commit": "target",
                                               "branch": "feature-x"})}), [],
                 expect=CommentedMap(triggered=False), intent="not-triggered")
    scenario("e2e-completes-green", f"{e2e} finished green for the commit: promote.",
             _flow({"workflow_run": _flow({"workflow": e2e, "conclusion": "success", "commit": "target"})}),
             from_publish("success"), expect=_expect(config, "proceed"), intent="promote")
    scenario("e2e-completes-red", f"{e2e} finished red: the job's `if` skips the promotion.",
             _flow({"workflow_run": _flow({"workflow": e2e, "conclusion": "failure", "commit": "target"})}),
             from_publish("failure"), expect=CommentedMap(triggered=True, job="skipped", registry=_unchanged(config)),
             intent="skip")
    scenario("dispatch-promotes", "An operator dispatches the commit: the gate is skipped, and it is promoted.",
             _flow({"workflow_dispatch": _flow({"inputs": _flow({config.dispatch.input: TARGET})})}),
             expect=_expect(config, "proceed"), intent="promote")
    return CommentedMap(scenarios=out)


# The intent a gate or ancestry action stands for.
INTENT = {"proceed": "promote", "defer": "defer", "abort": "abort", "refuse": "refuse"}


def _expect(config: Config, action: str) -> CommentedMap:
    out = CommentedMap(triggered=True, job="ran")
    out["conclusion"] = "failure" if action in ("abort", "refuse") else "success"
    if action == "proceed":
        out["registry"] = CommentedMap((_repo(i.ref), _flow({config.tags.target: _candidate(config, TARGET)}))
                                       for i in config.images)
        out["summary_contains"] = [f"promoted to {TARGET[:config.tags.short_sha_length]}"]
    else:
        out["registry"] = _unchanged(config)
    return out


def _unchanged(config: Config) -> CommentedMap:
    return CommentedMap((_repo(i.ref), _flow({config.tags.target: "unchanged"})) for i in config.images)


def timeline(config: Config) -> CommentedMap:
    repos = [_repo(i.ref) for i in config.images]
    target = config.tags.target
    no_run_promotes = gate.decide(config.gate, gate.NO_RUN).proceed
    t = CommentedMap(name="a-day", description=(
        "c1 is built while its E2E runs, then E2E passes; c2 touches no E2E paths; c3's E2E fails "
        f"after its build. :{target} ends on the newest commit the policy may promote."))
    repo = CommentedMap(name=_repository(config)["name"], default_branch=config.branch)
    repo["commits"] = CommentedSeq([_flow({"name": "prev", "sha": PREV})])
    t["repository"] = repo
    t["publisher"] = CommentedMap(workflow=config.publish_triggers[0].name,
                                  file=_slug(config.publish_triggers[0].name), images=_flow(repos),
                                  candidate=config.tags.candidate)
    t["e2e"] = CommentedMap(workflow=config.e2e_trigger.name, file=config.e2e.workflow_file)
    t["registry"] = CommentedMap((r, [_flow({"tags": _flow([_candidate(config, PREV), target]), "revision": "prev"})])
                                 for r in repos)
    events = [
        ({"push": {"commit": "c1", "sha": DAY["c1"]}}, None),
        ({"e2e": {"commit": "c1", "status": "in_progress"}}, None),
        ({"publish": {"commit": "c1"}}, "the build wins the race; the gate waits for E2E"),
        ({"e2e": {"commit": "c1", "conclusion": "success"}}, "E2E's completion promotes c1"),
        ({"push": {"commit": "c2", "sha": DAY["c2"]}}, "touches no E2E paths, so E2E does not run"),
        ({"publish": {"commit": "c2"}}, None),
        ({"push": {"commit": "c3", "sha": DAY["c3"]}}, None),
        ({"e2e": {"commit": "c3", "status": "in_progress"}}, None),
        ({"publish": {"commit": "c3"}}, None),
        ({"e2e": {"commit": "c3", "conclusion": "failure"}}, f"c3 is red: :{target} must not move to it"),
    ]
    t["events"] = CommentedSeq(_event(e, note) for e, note in events)
    end = "c2" if no_run_promotes else "c1"
    t["expect"] = CommentedMap(invariants=_flow({name: "hold" for name in INVARIANTS}),
                               latest=_flow({r: end for r in repos}))
    return t


def _event(event: dict, note: str | None) -> CommentedMap:
    kind, body = next(iter(event.items()))
    out = CommentedMap({kind: _flow(body)})
    if note:
        out["note"] = note
    return out


def _flow(data: dict | list):
    node = CommentedMap(data) if isinstance(data, dict) else CommentedSeq(data)
    node.fa.set_flow_style()
    return node


def _dump(doc) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()
