"""Valid configs of many shapes, for proving the derived library over more than the configs we ship:
1–4 images, names and refs on ghcr.io, Docker Hub or a self-hosted registry (each with its login),
branches, trigger names, tag patterns, short lengths 7–40, target tags, gate tables with and without
`*`, `on_api_error`, concurrency, `protect_split`, `no_label`, `on_dispatch`, permissions. One generator, two drivers: the property test draws its choices through
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
# Where the images live: ghcr.io alone (the job token) as often as anywhere else, Docker Hub, a
# self-hosted registry (with a port) or an ECR-style host, or ghcr.io first and a mirror after it.
REGISTRY_SHAPES = ("ghcr", "ghcr", "ghcr", "docker-hub", "self-hosted", "ghcr+docker-hub", "ghcr+self-hosted")
SELF_HOSTED = ("registry.example.com:5000", "123456789012.dkr.ecr.eu-west-1.amazonaws.com")


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
        "retag": {"protect_split": choose((True, False))},  # per-sha with 2+ images refuses it: see below
        "ancestry": {"no_label": choose(("skip", "fail")), "on_dispatch": choose(("skip", "check"))},
    }
    if data["concurrency"]["policy"] == "per-sha" and len(images) > 1:
        data["retag"]["protect_split"] = False  # the pair generator/rules.py refuses
    seed_permissions = choose((True, False))
    _registries(data, choose)
    if seed_permissions:  # the seed's: no actions: read
        ghcr = any(image["ref"].startswith("ghcr.io/") for image in images)
        data["permissions"] = {"contents": "read", **({"packages": "write"} if ghcr else {})}
        data["permission_notes"] = {"contents": "the ancestry check reads compare",
                                    **({"packages": "crane tag pushes"} if ghcr else {})}
    return data


def _registries(data: dict, choose: Choose) -> None:
    """Move the images (all, or all but the first) to another registry, with a login for its host."""
    shape = choose(REGISTRY_SHAPES)
    if shape == "ghcr":
        return
    host = "docker.io" if shape.endswith("docker-hub") else choose(SELF_HOSTED)
    moved = data["images"][1:] if shape.startswith("ghcr+") else data["images"]
    for image in moved:
        image["ref"] = image["ref"].replace("ghcr.io/", f"{host}/", 1)
    if not moved:
        return
    kind = choose(("secret", "docker/login-action"))
    user = {"username": "promote-bot"} if choose((True, False)) else {"username_secret": "REGISTRY_USERNAME"}
    data["registries"] = {host: {"login": kind, **user, "password_secret": "REGISTRY_PASSWORD"}}
    data["environment"] = "release"


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
