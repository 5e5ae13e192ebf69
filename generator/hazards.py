"""Settings that can promote a red or unknown commit, or strand a green one.

Each hazard names the timeline (and variant) of the harness's library that plays it and breaks an
invariant, so a warning is never an opinion: `gen simulate <timeline>` shows it happen.
`gen check` and `gen explain` report them; `gen check --strict` fails on those not accepted.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import gate, loader
from .config import Config

GLOB = set("*?[]!+")
RED = ("completed/failure", "completed/timed_out")
UNFINISHED = tuple(f"{s}/" for s in gate.STATUSES if s != "completed")


@dataclass(frozen=True)
class Hazard:
    code: str
    path: tuple  # the config field it concerns
    text: str
    timeline: str  # `name` or `name[variant]`

    def line(self) -> str:
        return f"{self.text} (timeline {self.timeline})"


def find(config: Config) -> list[Hazard]:
    out: list[Hazard] = []
    for check in CHECKS:
        out += check(config)
    return out


def accepted(config: Config, hazards: list[Hazard]) -> tuple[list[Hazard], list[Hazard]]:
    """(open, accepted): the config's `accept_warnings` names codes `--strict` does not fail on."""
    accept = set(config.accept_warnings)
    return [h for h in hazards if h.code not in accept], [h for h in hazards if h.code in accept]


def _api_error(config: Config) -> list[Hazard]:
    target = config.tags.target
    if config.gate.on_api_error == "proceed":
        return [Hazard("fail-open", ("gate", "on_api_error"),
                       "`proceed` fails open: when `gh run list` fails (an outage, a rate limit, a token without "
                       f"actions: read) the gate reads 'no E2E run' and moves :{target} to a commit whose E2E may be "
                       "red; `abort` stops red instead", "outage-fails-open")]
    if config.gate.on_api_error == "defer":
        return [Hazard("defer-strands", ("gate", "on_api_error"),
                       "`defer` stops green when `gh run list` fails and nothing fires the run again, so a green "
                       f"commit can stay off :{target} without a word; `abort` goes red so someone re-runs it",
                       "outage-defer-strands[on-api-error-defer]")]
    return []


def _branch(config: Config) -> list[Hazard]:
    if not GLOB & set(config.branch):
        return []
    return [Hazard("branch-glob", ("branch",),
                   f"{config.branch!r} holds glob characters: the trigger's branch filter expands them, but the "
                   "gate's `gh run list --branch` takes the name literally, finds no run and reads 'no E2E run', so "
                   "every publish-triggered run promotes without E2E; name one branch",
                   "branch-glob-fails-open[release-glob]")]


def _publish(config: Config) -> list[Hazard]:
    if config.publish_triggers:
        return []
    return [Hazard("no-publish-trigger", ("triggers",),
                   "no trigger has role `publish`: only E2E's completion promotes, so commits whose paths skip E2E "
                   f"rebuild the images but never reach :{config.tags.target}, silently; add the build workflow",
                   "history-e2e-only-trigger[without-fix]")]


def _arms(config: Config) -> list[Hazard]:
    out: list[Hazard] = []
    coverage: dict[int, list[str]] = {}
    for value in gate.universe():
        coverage.setdefault(gate.arm_for(config.gate.arms, value), []).append(value)
    target = config.tags.target
    for index, arm in enumerate(config.gate.arms):
        states = coverage.get(index, [])
        where = ("gate", "arms", index, "action")
        shown = "|".join(arm.match)
        if arm.action == "proceed":
            risky = [s for s in states if s in RED or s.startswith(UNFINISHED) or
                     (s.startswith("completed/") and s != "completed/success")]
            if risky and "*" in arm.match:
                out.append(Hazard("catch-all-proceeds", where,
                                  f"the catch-all `*` arm proceeds, so every state no earlier arm names promotes: "
                                  f"{_states(risky)}; make it abort", "gate-promotes-unproven[catch-all-proceeds]"))
            elif risky:
                out.append(Hazard("proceeds-unproven", where,
                                  f"the `{shown}` arm proceeds on red or unfinished E2E states ({_states(risky)}): "
                                  f":{target} moves before E2E says green, and a later red run cannot undo it; "
                                  "abort on red, defer while running", "gate-promotes-unproven[running-proceeds]"))
        if arm.action == "abort" and "completed/cancelled" in states:
            out.append(Hazard("cancelled-aborts", where,
                              f"the `{shown}` arm aborts on completed/cancelled: an E2E run superseded by a newer push "
                              "goes red and pages someone for nothing; defer, the newer commit promotes itself",
                              "history-cancelled-is-not-failure[without-fix]"))
        if arm.action != "proceed" and gate.NO_RUN in states:
            how = "red each time" if arm.action == "abort" else "silently"
            out.append(Hazard("no-run-stuck", where,
                              f"the `{shown}` arm does not proceed on none/none: commits whose paths skip E2E never "
                              f"reach :{target} ({how}); proceed, unless E2E runs on every commit",
                              "history-empty-run-list[without-fix]"))
    return out


def _states(values: list[str]) -> str:
    shown = [v + "(null)" if v.endswith("/") else v for v in values]
    return ", ".join(shown[:6]) + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")


def _no_label(config: Config) -> list[Hazard]:
    if config.ancestry.no_label != "fail":
        return []
    target = config.tags.target
    if config.ancestry.on_dispatch == "check":
        text = (f"`fail` with `on_dispatch: check`: nothing can make the first promotion or replace a :{target} "
                "without the revision label; every run refuses, dispatches included")
    else:
        text = (f"`fail`: every promotion over a :{target} without the revision label (the first one included) "
                "goes red until an operator dispatches it")
    return [Hazard("no-label-refuses", ("ancestry", "no_label"), text, "first-promotion[no-label-fail]")]


def _concurrency(config: Config) -> list[Hazard]:
    if config.concurrency.policy != "per-sha":
        return []
    return [Hazard("per-sha-race", ("concurrency", "policy"),
                   "`per-sha` lets the promotions of two commits run at once: one run's ancestry check can pass "
                   f"before the other's retag, and :{config.tags.target} moves backwards or splits; `global` queues "
                   "them", "race-backwards")]


def _split(config: Config) -> list[Hazard]:
    if len(config.images) < 2 or config.retag.protect_split:
        return []
    return [Hazard("split-unprotected", ("retag", "protect_split"),
                   f"{len(config.images)} images and no split protection: a retag refused after an earlier one "
                   f"succeeded leaves the images' :{config.tags.target} on different commits, and nothing repairs it"
                   + ("; split protection needs concurrency.policy: global (timeline split-rollback-per-sha)"
                      if config.concurrency.policy == "per-sha" else ""),
                   "split-latest")]


def _token(config: Config) -> list[Hazard]:
    if config.permissions.get("actions") in ("read", "write"):
        return []
    then = {"proceed": "fails open on every publish-triggered run",
            "defer": "defers every publish-triggered run, silently",
            "abort": "stops every publish-triggered run red"}[config.gate.on_api_error]
    return [Hazard("token-cannot-read-runs", ("permissions",),
                   "no `actions: read`: in a private repository the gate's `gh run list` gets 403 and the gate "
                   f"{then}; add actions: read", "private-repo-token")]


CHECKS: list[Callable[[Config], list[Hazard]]] = [
    _api_error, _branch, _publish, _arms, _no_label, _concurrency, _split, _token,
]
CODES = ("fail-open", "defer-strands", "branch-glob", "no-publish-trigger", "catch-all-proceeds",
         "proceeds-unproven", "cancelled-aborts", "no-run-stuck", "no-label-refuses", "per-sha-race",
         "split-unprotected", "token-cannot-read-runs")


def markdown(config: Config) -> str:
    """The warnings as a Markdown section for `gen explain` and the README ('' when there are none)."""
    open_, accepted_ = accepted(config, find(config))
    if not open_ and not accepted_:
        return ""
    lines = ["### Warnings: settings that can promote a red commit or strand a green one", "",
             "Each names the timeline that shows it happen (`gen simulate <timeline>`).", ""]
    for hazard in open_ + accepted_:
        mark = " (accepted)" if hazard in accepted_ else ""
        lines.append(f"- **{hazard.code}**{mark} (`{loader.dotted(hazard.path)}`): {hazard.text}. Timeline: `{hazard.timeline}`.")
    return "\n".join(lines) + "\n"


def report(config: Config, path, positioned) -> tuple[list[str], int]:
    """`file:line:col: warning: field: …` lines, and how many are not accepted."""
    open_, accepted_ = accepted(config, find(config))
    if not open_ and not accepted_:
        return [], 0
    doc = positioned()
    placed = sorted(((loader.position(doc, h.path), h) for h in open_ + accepted_), key=lambda p: p[0])
    out = []
    for (line, col), hazard in placed:
        kind = "warning (accepted)" if hazard in accepted_ else "warning"
        out.append(f"{path}:{line}:{col}: {kind}: {loader.dotted(hazard.path)}: {hazard.line()} [{hazard.code}]")
    return out, len(open_)
