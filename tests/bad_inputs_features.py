"""Bad inputs to the features added after the first corpus: registry logins (`registries:`),
`environment:`, the concurrency queue's timelines (`together:`, `interleave:`), the scenarios'
registry hosts, timelines' `assumes:` and `history:`, and the derived library's selection.

The cases, the project they run in and how they are judged are tests/bad_inputs.py's; the classes
are the corpus's own, so the counts by class include them.
"""
from __future__ import annotations

from tests.bad_inputs import CFG, CONFIG_TEXT, OUT, Bad
from tests.bad_inputs_harness import SCENARIO, SCENARIO_TEXT, TIMELINE, TIMELINE_TEXT, _at, _edit

# molecule-core's config with a third image on a self-hosted registry, logged in by docker/login-action.
LOGIN = ("  registry.example.com:\n    login: docker/login-action\n    username_secret: REGISTRY_USER\n"
         "    password_secret: REGISTRY_PASSWORD\n")
REGISTRY_CONFIG = (_edit(CONFIG_TEXT, "images:\n", "images:\n  - name: mirror\n    ref: registry.example.com/acme/api\n"
                         "    env: MIRROR_IMAGE\n") + "\nenvironment: release\nregistries:\n" + LOGIN)


def config_cases() -> list[Bad]:
    """`registries:`, `environment:`, `concurrency:` and `simulate.folder` in the config, each at its value."""
    text = REGISTRY_CONFIG
    cases = [  # (class, name, old, new, line needle, column (or the text it starts at), what the line says, args)
        ("config-fields", "registries-host-upper", "  registry.example.com:\n    login", "  Registry.Example.com:\n    login",
         "Registry.Example.com:", 3, r"registries\.Registry\.Example\.com: .*pattern"),
        ("config-fields", "registries-login-typo", "    login: docker/login-action", "    login: docker/login-actoin",
         "login: docker/login-actoin", 12, r"login: one of 'github-token', 'secret' or 'docker/login-action'; "
         r"did you mean 'docker/login-action'\?"),
        ("config-fields", "registries-secret-space", "password_secret: REGISTRY_PASSWORD", "password_secret: 'REG PASS'",
         "password_secret:", 22, r"registries\.registry\.example\.com\.password_secret: .*pattern"),
        ("config-fields", "registries-secret-reserved", "password_secret: REGISTRY_PASSWORD",
         "password_secret: GITHUB_PASS", "password_secret:", 22, r"a secret name not starting with GITHUB_"),
        ("config-fields", "registries-user-twice", "    username_secret: REGISTRY_USER\n",
         "    username_secret: REGISTRY_USER\n    username: bot\n", "login: docker/login-action", 12,
         r"exactly one of `username` and `username_secret` .*\(got both\)"),
        ("config-fields", "registries-no-password", "    password_secret: REGISTRY_PASSWORD\n", "",
         "login: docker/login-action", 12, r"a `password_secret` beside `login: docker/login-action`"),
        ("config-fields", "registries-host-unused", LOGIN, LOGIN + "  other.example.com:\n    login: secret\n"
         "    username: bot\n    password_secret: OTHER\n", "other.example.com:", 3,
         r"registries\.other\.example\.com: a host some image's ref names .*did you mean 'registry\.example\.com'\?"),
        ("config-fields", "registries-image-without-login", "registries:\n" + LOGIN, "", "ref: registry.example.com",
         10, r"images\[0\]\.ref: a registry host with a login"),
        ("config-fields", "registries-job-token-elsewhere", LOGIN, "  registry.example.com:\n    login: github-token\n",
         "login: github-token", 12, r"`secret` or `docker/login-action`: the job's token logs in to ghcr\.io only"),
        ("config-fields", "registries-action-sha", LOGIN, LOGIN + "    action: {sha: main}\n", "action: {sha",
         "main", r"action\.sha: .*pattern"),
        ("config-fields", "registries-action-uses", LOGIN, LOGIN + "    action: {uses: docker/login-actoin}\n",
         "action: {uses", "docker/", r"action\.uses: one of 'docker/login-action'"),
        ("config-fields", "registries-localhost", "registry.example.com", "localhost:5000", "ref: localhost", 10,
         r"images\[0\]\.ref: a registry crane reaches over HTTPS"),
        ("config-fields", "registries-port-range", "registry.example.com", "registry.example.com:99999",
         "ref: registry.example.com:99999", 10, r"a registry port between 1 and 65535"),
        ("config-fields", "registries-private-address", "registry.example.com", "10.1.2.3", "ref: 10.1.2.3", 10,
         r"crane speaks plain HTTP to the private address"),
        ("config-fields", "registries-not-a-mapping", "registries:\n" + LOGIN, "registries: [registry.example.com]\n",
         "registries: [", 13, r"registries: a valid dictionary"),
        ("config-fields", "environment-missing", "environment: release\n", "", "login: docker/login-action", 12,
         r"registries\.registry\.example\.com\.login: a top-level `environment:`"),
        ("config-fields", "environment-list", "environment: release", "environment: [release]", "environment:", 14,
         r"environment: a valid string"),
        ("config-code", "environment-expression", "environment: release", "environment: '${{ github.actor }}'",
         "environment:", 14, r"environment: a name without `\$\{\{`"),
        ("config-code", "environment-newline", "environment: release", 'environment: "release\\nextra: injected"',
         "environment:", 14, r"environment: a single line"),
        ("config-code", "registries-username-subst", "    username_secret: REGISTRY_USER\n", "    username: 'bot$(id)'\n",
         "username:", 15, r"registries\.registry\.example\.com\.username: .*pattern"),
        ("config-code", "registries-username-expression", "    username_secret: REGISTRY_USER\n",
         "    username: '${{ secrets.X }}'\n", "username:", 15, r"username: .*pattern"),
        ("config-code", "concurrency-group-expression", "  group: auto-promote-latest", "  group: '${{ github.sha }}'",
         "  group:", 10, r"concurrency\.group: .*pattern"),
        ("config-fields", "concurrency-policy-typo", "  policy: per-sha", "  policy: per-sah", "  policy:", 11,
         r"concurrency\.policy: one of 'per-sha' or 'global'; did you mean 'per-sha'\?"),
    ]
    out = []
    for cls, name, old, new, needle, col, match in cases:
        changed = _edit(text, old, new)
        out.append(Bad(cls, name, files={CFG: changed}, where=_at(CFG, changed, needle, col), match=match))
    for name, folder, what in (("simulate-folder-is-file", "README.md", "a file"),
                               ("simulate-folder-missing", "nope", "not there")):
        changed = text + f"simulate: {{folder: {folder}}}\n"
        out.append(Bad("config-fields", name, args=("simulate", "--list"), files={CFG: changed},
                       where=_at(CFG, changed, "simulate: {folder", folder),
                       match=rf"simulate\.folder: a folder of scenario and timeline files \(it is {what}\)"))
    return out


def library_cases() -> list[Bad]:
    """Registry hosts in scenarios; the concurrency queue's events, assumptions and historical bugs in timelines."""
    out = []
    scenario = [
        ("registry-host-upper", "registry:\n  molecule-ai/platform:", "registry:\n  Registry.Example.com/acme/api:",
         "Registry.Example.com", 3, r"registry\['Registry\.Example\.com/acme/api'\]: a repository name a registry "
         r"accepts, after an optional `host\[:port\]/`"),
        ("registry-host-port-range", "registry:\n  molecule-ai/platform:", "registry:\n  registry.example.com:99999/acme/api:",
         "registry.example.com:99999", 3, r"a repository name a registry accepts"),
        ("registry-host-not-simulated", "registry:\n  molecule-ai/platform:",
         "registry:\n  quay.io/acme/api: []\n  molecule-ai/platform:", "quay.io", 3,
         r"registry\['quay\.io/acme/api'\]: a repository on a host the pod plays \(ghcr\.io\): registry quay\.io is "
         r"not simulated"),
        ("registry-hosts-key", "expect:\n", "registry_hosts:\n  'bad host!': {auth: basic}\nexpect:\n", "bad host!", 3,
         r"registry_hosts\['bad host!'\]: a registry host: lower-case DNS labels"),
        ("registry-hosts-port", "expect:\n", "registry_hosts:\n  registry.example.com:0: {auth: basic}\nexpect:\n",
         "registry.example.com:0", 3, r"registry_hosts.*: a registry host: .*\(1 to 65535\)"),
        ("registry-hosts-auth", "expect:\n", "registry_hosts:\n  registry.example.com: {auth: kerberos}\nexpect:\n",
         "auth: kerberos", "kerberos", r"auth: one of 'ghcr', 'docker-hub', 'basic' or 'token'"),
        ("registry-hosts-empty-password", "expect:\n", "registry_hosts:\n  registry.example.com:\n"
         "    accounts: [{username: u, password: ''}]\nexpect:\n", "accounts:", "''",
         r"accounts\[0\]\.password: string should have at least 1 character"),
        ("registry-hosts-accounts-scalar", "expect:\n", "registry_hosts:\n  registry.example.com:\n    accounts: u\n"
         "expect:\n", "accounts: u", 15, r"accounts: a valid list"),
        ("intent-typo", "tags: [mine]", "tags: [mine]\nintent: promot", "intent:", 9,
         r"intent: one of 'promote', .*; did you mean 'promote'\?"),
    ]
    for name, old, new, needle, col, match in scenario:
        text = _edit(SCENARIO_TEXT, old, new)
        out.append(Bad("scenario-fields", name, args=("simulate", SCENARIO), files={SCENARIO: text},
                       where=_at(SCENARIO, text, needle, col), match=match))
    together = "  - together:\n      - publish: {commit: a}\n      - e2e: {commit: a, conclusion: success}\n"
    e2e = "      - e2e: {commit: a, conclusion: success}\n"
    timeline = [
        ("together-too-many", together, "  - together:\n" + "      - publish: {commit: a}\n" * 27,
         "      - publish:", 7, r"events\[3\]\.together: list should have at most 26 items"),
        ("together-unknown-event", e2e, e2e + "      - bogus: 1\n", "bogus", 9,
         r"events\[3\]\.together\[2\]\.bogus: unknown key"),
        ("together-note-only", e2e, e2e + "      - note: only a note\n", "only a note", 9,
         r"events\[3\]\.together\[2\]: exactly one of push, publish"),
        ("together-unknown-commit", "      - publish: {commit: a}\n", "      - publish: {commit: zz}\n",
         "commit: zz", "zz", r"events\[3\]\.together\[0\]\.publish\.commit: a commit pushed earlier"),
        ("registry-host-not-simulated", "registry:\n  molecule-ai/platform:",
         "registry:\n  quay.io/acme/api: []\n  molecule-ai/platform:", "quay.io", 3,
         r"registry\['quay\.io/acme/api'\]: a repository on a host the pod plays \(ghcr\.io\): registry quay\.io is "
         r"not simulated; give it a `registries:` login in the config \(got"),
        ("interleave-limit", "  - together:\n", "  - interleave: {limit: 1}\n    together:\n", "interleave:", "1}",
         r"events\[3\]\.interleave\.limit: greater than or equal to 2"),
        ("interleave-orders", "  - together:\n", "  - interleave: {orders: every}\n    together:\n", "interleave:",
         "every", r"events\[3\]\.interleave\.orders: one of 'search', 'sample' or 'all'"),
        ("assumes-unknown-setting", "expect:\n", "assumes: {gate.on_api_eror: abort}\nexpect:\n", "assumes:", "gate",
         r"assumes\.gate\.on_api_eror: a valid config once overridden"),
        ("history-unknown-bug", "    config: {gate.on_api_error: abort}\n",
         "    config: {gate.on_api_error: abort}\n    history: [no-such-bug]\n", "history:", "no-such",
         r"variants\[0\]\.history\[0\]: one of 'cancelled-aborts'"),
    ]
    for name, old, new, needle, col, match in timeline:
        text = _edit(TIMELINE_TEXT, old, new)
        out.append(Bad("timeline-fields", name, args=("simulate", TIMELINE), files={TIMELINE: text},
                       where=_at(TIMELINE, text, needle, col), match=match))
    return out


def selection_cases() -> list[Bad]:
    """The derived library: asked for without a config, or narrowed to nothing."""
    c = "simulate-selection"
    return [
        Bad(c, "derived-without-config", args=("simulate", "derived", "--workflow", OUT), files={CFG: None},
            match=r"^derived: the library derived from a config, and there is none \(pass --config"),
        Bad(c, "derived-tag-selects-nothing", args=("simulate", "derived", "--tag", "no-such-tag"),
            match=r"^gen simulate: nothing selected: derived has no scenario or timeline tagged no-such-tag"),
        Bad(c, "derived-glob-selects-nothing", args=("simulate", "no-such-*"),
            match=r"^no-such-\*: no such file, and no built-in scenario, timeline or suite by that name"),
    ]


def cases() -> list[Bad]:
    return config_cases() + library_cases() + selection_cases()
