"""Valid configs of many shapes, for proving the derived library over more than the configs we ship:
1–4 images, names and refs, branches, trigger names, tag patterns, short lengths 7–40, target tags,
gate tables with and without `*`, `on_api_error`, concurrency, `protect_split`, `no_label`,
`on_dispatch`, permissions. One generator, two drivers: the property test draws its choices through
Hypothesis (which shrinks a failing config), `gen bench --configs N` through a seeded `random.Random`."""
from __future__ import annotations

import random
from typing import Callable, Sequence

from generator import rules
from generator.config import Config

Choose = Callable[[Sequence], object]  # picks one of the options
Between = Callable[[int, int], int]  # picks an integer in [low, high]

IMAGE_NAMES = ("api", "web", "worker", "cron", "edge.proxy", "db_migrate", "ui")
ORGS = ("acme", "fleet-co", "x9", "molecule-ai")
BRANCHES = ("main", "trunk", "release", "release/1.4", "develop")
E2E_NAMES = ("E2E", "Integration", "Acceptance tests", "e2e-staging (full)")
PUBLISH_NAMES = ("build", "Build and push", "publish-images", "release build")
CANDIDATES = ("staging-{short}", "sha-{short}", "build-{short}", "{short}", "git-{sha}", "c{short}-amd64")
TARGETS = ("latest", "stable", "prod", "release-current")
LABELS = ("org.opencontainers.image.revision", "org.example.commit", "com.acme/rev")
ACTIONS = ("proceed", "defer", "abort")


def _gate(choose: Choose) -> dict:
    """A gate table of one of four shapes: the safe default, `*` only, a table ending in `*`, or one
    that covers every state without `*`."""
    shape = choose(("default", "star-only", "with-star", "without-star"))
    if shape == "default":
        return {}
    if shape == "star-only":
        return {"arms": [{"match": ["*"], "action": choose(ACTIONS)}]}
    running = {"match": ["in_progress/*", "queued/*", "requested/*", "waiting/*", "pending/*"],
               "action": choose(("defer", "abort"))}
    if shape == "with-star":
        return {"arms": [{"match": ["completed/success"], "action": "proceed"},
                         {"match": ["completed/failure", "completed/timed_out"], "action": "abort",
                          "summary": ["## stopped: E2E `{result}` for `{short}`"]},
                         running,
                         {"match": ["none/none"], "action": choose(ACTIONS)},
                         {"match": ["*"], "action": choose(("abort", "defer"))}]}
    return {"arms": [{"match": ["completed/success", "none/none"], "action": "proceed"},
                     {"match": ["completed/*"], "action": choose(("abort", "defer"))},
                     {"match": ["*/*"], "action": "defer"}]}


def draw(choose: Choose, between: Between) -> dict:
    """A config as the mapping a config file holds."""
    count = between(1, 4)
    names: list[str] = []
    while len(names) < count:
        name = choose(IMAGE_NAMES)
        if name not in names:
            names.append(name)
    org = choose(ORGS)
    images = [{"name": n, "ref": f"ghcr.io/{org}/{n.replace('_', '-')}",
               "env": n.upper().replace(".", "_") + "_IMAGE"} for n in names]
    e2e = choose(E2E_NAMES)
    publish = [p for p in PUBLISH_NAMES[:between(0, 2)]]
    short = between(7, 40)
    candidate = choose(CANDIDATES)
    data = {
        "branch": choose(BRANCHES),
        "triggers": [{"name": e2e, "role": "e2e"}] + [{"name": p, "role": "publish"} for p in publish],
        "e2e": {"workflow_file": "".join(c if c.isalnum() else "-" for c in e2e.lower()).strip("-")
                + choose((".yml", ".yaml")), "display": e2e.split(" (")[0]},
        "images": images,
        "tags": {"candidate": candidate, "short_sha_length": short, "target": choose(TARGETS),
                 "revision_label": choose(LABELS)},
        "gate": {**_gate(choose), "on_api_error": choose(ACTIONS)},
        "concurrency": {"policy": choose(("per-sha", "global"))},
        "retag": {"protect_split": choose((True, False))},
        "ancestry": {"no_label": choose(("skip", "fail")), "on_dispatch": choose(("skip", "check"))},
    }
    if choose((True, False)):
        data["permissions"] = {"contents": "read", "packages": "write"}  # the seed's: no actions: read
        data["permission_notes"] = {"contents": "the ancestry check reads compare", "packages": "crane tag pushes"}
    return data


def validated(data: dict) -> Config:
    """The config, with the cross-field rules a config file is held to; a problem is a bug here."""
    config = Config.model_validate(data)
    problems = rules.check(config)
    if problems:
        raise ValueError(f"generated an invalid config: {problems[0]}")
    return config


def sample(count: int, seed: int = 9) -> list[Config]:
    rng = random.Random(seed)
    return [validated(draw(lambda options: options[rng.randrange(len(options))], rng.randint))
            for _ in range(count)]
