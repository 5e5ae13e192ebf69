"""Bad inputs for `gen simulate`: workflow files, scenario and timeline files, and its usage.

Each is refused before any pod starts, so the cases run in well under a second without Docker.
The cases, the project they run in and how they are judged are tests/bad_inputs.py's.
"""
from __future__ import annotations

from tests.bad_inputs import OUT, WORKFLOW_TEXT, Bad, loader_cases

SIMULATE = ("simulate", "happy-path")


def _wf_edit(old: str, new: str) -> str:
    assert old in WORKFLOW_TEXT, old
    return WORKFLOW_TEXT.replace(old, new, 1)


def _line(text: str, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if needle in line)


def workflow_fields() -> list[Bad]:
    """Workflow files GitHub would refuse, or the harness cannot run: refused at the value, before a pod."""
    c = "workflow-fields"
    crane = "uses: imjasonh/setup-crane@6da1ae018866400525525ce74ff892880c099987"
    gate_if = "      - name: GHCR login\n        if: steps.gate.outputs.proceed == 'true'"
    first_step = "      - name: Compute short sha\n        id: sha\n"
    runs_on = "    runs-on: ubuntu-latest"
    cases = [  # (name, old, new, the line holding the problem, its column, what the line says)
        ("jobs-empty", "jobs:\n  promote:", "jobs: {}\nxjobs:\n  promote:", "jobs: {}", 7,
         r"jobs: a mapping of job ids to jobs, at least one \(got an empty mapping\)"),
        ("jobs-list", "jobs:\n  promote:", "jobs: [promote]\nxjobs:\n  promote:", "jobs: [", 7, r"jobs: a mapping"),
        ("job-if-syntax", "    if: |\n      github.event_name", "    if: |\n      github.event_name ==== 'x' ||\n"
         "      github.event_name", "github.event_name ==== 'x'", 7, r"jobs\.promote\.if: a valid expression \("
         r"Unexpected symbol: '=='"),
        ("job-if-secrets", "    if: |\n      github.event_name", "    if: |\n      secrets.X ||\n      github.event_name",
         "secrets.X ||", 7, r"jobs\.promote\.if: a valid expression \(Unrecognized named-value: 'secrets'"),
        ("concurrency-group-syntax", "head_sha || github.event.inputs.sha || github.sha }}",
         "head_sha ||| github.event.inputs.sha || github.sha }}", "  group: auto-promote", 30,
         r"concurrency\.group: a valid expression \(Unexpected symbol: '\|'"),
        ("concurrency-group-unclosed", "head_sha || github.event.inputs.sha || github.sha }}",
         "head_sha || github.sha", "  group: auto-promote", 30, r"concurrency\.group: a `\$\{\{` closed by `\}\}`"),
        ("concurrency-list", "concurrency:\n", "concurrency: [a]\nxconcurrency:\n", "concurrency: [a]", 14,
         r"concurrency: a group name, or a mapping"),
        ("cancel-in-progress-text", "  cancel-in-progress: false", "  cancel-in-progress: maybe",
         "cancel-in-progress: maybe", 23, r"true, false, or a `\$\{\{ \}\}` expression \(got 'maybe'\)"),
        ("run-expression-syntax", "          set -euo pipefail\n          # A dispatch",
         "          set -euo pipefail\n          echo ${{ github.sha ) }}\n          # A dispatch",
         "echo ${{ github.sha ) }}", 16, r"jobs\.promote\.steps\[0\]\.run: a valid expression \(Unexpected symbol: '\)'"),
        ("run-expression-unclosed", "          set -euo pipefail\n          # A dispatch",
         "          set -euo pipefail\n          echo ${{ github.sha\n          # A dispatch",
         "echo ${{ github.sha", 16, r"steps\[0\]\.run: a `\$\{\{` closed by `\}\}`"),
        ("run-unknown-function", "          set -euo pipefail\n          # A dispatch",
         "          set -euo pipefail\n          echo ${{ shaOf(github.sha) }}\n          # A dispatch",
         "echo ${{ shaOf", 16, r"Unrecognized function: 'shaOf'"),
        ("run-not-text", "        run: |\n          set -euo pipefail\n          # A dispatch",
         "        run: [a]\n        xrun: |\n          set -euo pipefail\n          # A dispatch", "run: [a]", 14,
         r"steps\[0\]\.run: a script \(text\)"),
        ("env-expression-syntax", "DISPATCH_SHA: ${{ github.event.inputs.sha }}",
         "DISPATCH_SHA: ${{ github.event.inputs.sha ] }}", "DISPATCH_SHA:", 25,
         r"steps\[0\]\.env\.DISPATCH_SHA: a valid expression"),
        ("env-list", "env:\n  IMAGE_NAME", "env: [a]\nxenv:\n  IMAGE_NAME", "env: [a]", 6,
         r"env: a mapping of variable names to values \(got a list\)"),
        ("env-value-mapping", "DISPATCH_SHA: ${{ github.event.inputs.sha }}", "DISPATCH_SHA: {a: b}",
         "DISPATCH_SHA:", 25, r"env\.DISPATCH_SHA: a text, number or boolean value \(got a mapping\)"),
        ("needs-number", runs_on, runs_on + "\n    needs: 5", "needs: 5", 12,
         r"jobs\.promote\.needs: a job id or a list of job ids \(got a number 5\)"),
        ("needs-mapping", runs_on, runs_on + "\n    needs: {a: b}", "needs: {", 12, r"a job id or a list of job ids"),
        ("with-list", crane + "  # v0.5", crane + "  # v0.5\n        with: [a]", "with: [a]", 15,
         r"steps\[2\]\.with: a mapping of the action's input names to values \(got a list\)"),
        ("with-value-list", crane + "  # v0.5", crane + "  # v0.5\n        with:\n          version: [a]",
         "version: [a]", 20, r"steps\[2\]\.with\.version: a text, number or boolean value"),
        ("with-unknown-input", crane + "  # v0.5", crane + "  # v0.5\n        with:\n          versoin: v1",
         "      - if: steps.gate.outputs.proceed == 'true'", 9, r"job promote, step 3 .*has no input versoin"),
        ("with-on-run-step", first_step, first_step + "        with: {a: b}\n", "with: {a: b}", 9,
         r"steps\[0\]\.with: `with:` only on a step that `uses:` an action"),
        ("permissions-number", "permissions: {}", "permissions: 5", "permissions: 5", 14,
         r"^[^ ]+ permissions: read-all, write-all, or a mapping of scopes to read, write or none \(got a number 5\)"),
        ("permissions-unknown-scope", "      contents: read  # read", "      contnets: read  # read", "contnets:", 7,
         r"jobs\.promote\.permissions\.contnets: a permission scope; did you mean 'contents'\?"),
        ("permissions-bad-level", "      contents: read  # read", "      contents: rw  # read", "contents: rw", 17,
         r"permissions\.contents: a level the contents scope takes: read, write or none \(got 'rw'\)"),
        ("permissions-id-token-read", "      contents: read  # read", "      id-token: read\n      contents: read  # r",
         "id-token: read", 17, r"a level the id-token scope takes: write or none"),
        ("timeout-text", runs_on, runs_on + "\n    timeout-minutes: abc", "timeout-minutes: abc", 22,
         r"jobs\.promote\.timeout-minutes: a number of minutes above 0.*\(got 'abc'\)"),
        ("timeout-zero", first_step, first_step + "        timeout-minutes: 0\n", "timeout-minutes: 0", 26,
         r"steps\[0\]\.timeout-minutes: a number of minutes above 0"),
        ("continue-on-error-text", first_step, first_step + "        continue-on-error: maybe\n",
         "continue-on-error: maybe", 28, r"steps\[0\]\.continue-on-error: true, false"),
        ("dispatch-inputs-list", "    inputs:\n      sha:\n", "    inputs: [sha]\n    xinputs:\n      sha:\n",
         "inputs: [sha]", 13, r"on\.workflow_dispatch\.inputs: a mapping of input names to their settings"),
        ("dispatch-input-type", "        type: string", "        type: text", "type: text", 15,
         r"inputs\.sha\.type: one of string, boolean, choice, number, environment"),
        ("dispatch-input-required-text", "        required: false", "        required: no way", "required: no way",
         19, r"inputs\.sha\.required: true or false"),
        ("unknown-event", "  workflow_dispatch:\n", "  workflow_dispatchh:\n", "workflow_dispatchh:", 3,
         r"on\.workflow_dispatchh: a GitHub event; did you mean 'workflow_dispatch'\?"),
        ("uses-without-ref", crane, "uses: imjasonh/setup-crane", "uses: imjasonh/setup-crane", 15,
         r"steps\[2\]\.uses: an action as owner/repo@ref .*\(got 'imjasonh/setup-crane'\)"),
        ("uses-empty-ref", crane, "uses: imjasonh/setup-crane@", "uses: imjasonh/setup-crane@", 15,
         r"steps\[2\]\.uses: an action as owner/repo@ref"),
        ("uses-unknown-action", crane, "uses: actions/checkout@v4", "      - if: steps.gate.outputs.proceed == 'true'",
         9, r"job promote, step 3 \(Run actions/checkout\): unknown action `actions/checkout@v4`"),
        ("step-plain-string", "      - name: Compute short sha\n", "      - just a string\n      - name: Compute short sha\n",
         "- just a string", 9, r"steps\[0\]: a step mapping with `run:` or `uses:` \(got 'just a string'\)"),
        ("step-run-and-uses", first_step, first_step + "        uses: imjasonh/setup-crane@v1\n", "- name: Compute short sha",
         9, r"steps\[0\]: exactly one of `run:` and `uses:`"),
        ("step-id-space", "        id: sha\n", "        id: 'a b'\n", "id: 'a b'", 13, r"steps\[0\]\.id: a step id"),
        ("step-id-twice", "        id: gate\n", "        id: sha\n", "id: sha", 13, r"a step id not used before",
         1),
        ("step-unknown-key", "        id: sha\n", "        idd: sha\n", "idd: sha", 9,
         r"steps\[0\]\.idd: one of the keys .*; did you mean 'id'\?"),
        ("step-if-syntax", gate_if, gate_if.replace("== 'true'", "== = 'true'"), "== = 'true'", 13,
         r"steps\[3\]\.if: a valid expression \(Unexpected symbol: '='"),
        ("step-if-unknown-function", gate_if, gate_if.replace("steps.gate.outputs.proceed == 'true'",
                                                              "nosuch(steps.gate.outputs.proceed)"),
         "nosuch(", 13, r"steps\[3\]\.if: a valid expression \(Unrecognized function: 'nosuch'"),
        ("step-if-wrapped-syntax", gate_if, gate_if.replace("if: steps.gate.outputs.proceed == 'true'",
                                                            "if: ${{ steps.gate.outputs.proceed == = 'true' }}"),
         "== = 'true'", 13, r"steps\[3\]\.if: a valid expression"),
        ("step-shell-unknown", first_step, first_step + "        shell: fish\n", "shell: fish", 16,
         r"steps\[0\]\.shell: a shell \(bash, sh, pwsh, powershell, cmd, python\) or a command with \{0\}"),
        ("step-name-list", "      - name: Compute short sha\n", "      - name: [Compute]\n", "name: [Compute]", 15,
         r"steps\[0\]\.name: text \(got a list\)"),
        ("job-id-space", "jobs:\n  promote:", "jobs:\n  'pro mote':", "'pro mote':", 3, r"jobs\['pro mote'\]: a job id"),
        ("job-unknown-key", runs_on, runs_on + "\n    runs_on: x", "runs_on: x", 5,
         r"jobs\.promote\.runs_on: one of the keys .*did you mean 'runs-on'\?"),
        ("job-without-runs-on", runs_on + "\n", "", "  promote:", 3, r"jobs\.promote: a `runs-on:` key"),
        ("job-steps-empty", "    steps:\n", "    steps: []\n    xsteps:\n", "steps: []", 12,
         r"jobs\.promote\.steps: a list of steps, at least one \(got an empty list\)"),
        ("job-name-list", "    name: promote\n", "    name: [promote]\n", "name: [promote]", 11, r"jobs\.promote\.name: text"),
        ("top-unknown-key", "permissions: {}", "permissions: {}\npermisions: {}", "permisions: {}", 1,
         r"permisions: one of the keys .*did you mean 'permissions'\?"),
        ("top-without-jobs", "jobs:\n  promote:", "xjobs:\n  promote:", None, None, r"jobs: a `jobs:` key"),
        ("defaults-shell-empty", "permissions: {}", "permissions: {}\ndefaults:\n  run:\n    shell: ''", "shell: ''", 12,
         r"defaults\.run\.shell: a shell"),
    ]
    out = []
    for name, old, new, needle, col, match, *nth in cases:
        text = _wf_edit(old, new)
        line = _line(text, needle) if needle else 1
        if nth:
            line = [i + 1 for i, row in enumerate(text.splitlines()) if needle in row][nth[0]]
        out.append(Bad(c, name, args=SIMULATE, files={OUT: text}, where=f"{OUT}:{line}:{col or 1}", match=match))
    return out


SCENARIO = "s.yaml"
SCENARIO_TEXT = """\
name: mine
tags: [mine]
repository:
  name: molecule-ai/molecule-core
  commits:
    - {name: prev, sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61}
    - {name: target, sha: 3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5}
registry:
  molecule-ai/platform:
    - {tags: [staging-9c1d4e0, latest], revision: prev}
    - {tags: [staging-3a7f12c], revision: target}
event:
  workflow_run: {workflow: publish-workspace-server-image, conclusion: success, commit: target}
faults:
  - {route: runs, status: 500}
expect:
  registry:
    molecule-ai/platform: {latest: staging-3a7f12c}
"""
TIMELINE = "t.yaml"
TIMELINE_TEXT = """\
name: my-day
repository:
  name: molecule-ai/molecule-core
  commits:
    - {name: prev, sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61}
registry:
  molecule-ai/platform: [{tags: [staging-9c1d4e0, latest], revision: prev}]
events:
  - push: {commit: a, sha: 1a3c5e7b9d0f2a4c6e8b0d2f4a6c8e0b2d4f6a81}
  - push: {commit: b, sha: 2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b92, parents: [a]}
  - registry_fault: {path: '/v2/.*'}
  - together:
      - publish: {commit: a}
      - e2e: {commit: a, conclusion: success}
expect:
  latest: {molecule-ai/platform: a}
variants:
  - name: abort
    config: {gate.on_api_error: abort}
  - name: edited
    edits:
      - {find: 'set -euo pipefail', replace: 'set -eu'}
"""


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _at(path: str, text: str, needle: str, col: int | str) -> str:
    """`path:line:col` of the line holding `needle`; a text `col` is where that text starts on the line."""
    line = _line(text, needle)
    if isinstance(col, str):
        col = text.splitlines()[line - 1].index(col) + 1
    return f"{path}:{line}:{col}"


def library_fields() -> list[Bad]:
    """Scenario and timeline values checked when the file is read, before any pod starts."""
    out = []
    scenario = [  # (name, old, new, line needle, column, what the line says)
        ("fault-path-regex", "  - {route: runs, status: 500}", "  - {route: runs, path: '([', status: 500}",
         "path: '(['", "'([", r"faults\[0\]\.path: a regular expression \(unterminated character set at position 1\)"),
        ("tag-with-space", "[staging-3a7f12c]", "['bad tag!']", "bad tag!", "'bad", r"registry\['molecule-ai/platform'\]\[1\]"
         r"\.tags\[0\]: a tag a registry accepts: .* \(got 'bad tag!'\)"),
        ("tag-too-long", "[staging-3a7f12c]", "[" + "t" * 129 + "]", "ttttt", "ttt", r"tags\[0\]: a tag a registry accepts"),
        ("repository-upper-case", "registry:\n  molecule-ai/platform:", "registry:\n  UPPER/Case:", "UPPER/Case", 3,
         r"registry\[.UPPER/Case.\]: a repository name a registry accepts"),
        ("expect-repository-upper-case", "    molecule-ai/platform: {latest", "    Molecule/Platform: {latest",
         "Molecule/Platform", 5, r"expect\.registry\[.Molecule/Platform.\]: a repository name a registry accepts"),
        ("duplicate-sha", "    - {name: target, sha: 3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5}",
         "    - {name: target, sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61}", "name: target", "9c1d",
         r"repository\.commits\[1\]\.sha: a SHA no other commit has \(prev has it\)"),
        ("unknown-commit", "conclusion: success, commit: target}", "conclusion: success, commit: tagret}", "commit: tagret",
         "tagret", r"event\.workflow_run\.commit: a commit name \(prev, target\) or a 40-hex SHA \(got 'tagret'\)"),
    ]
    for name, old, new, needle, col, match in scenario:
        text = _edit(SCENARIO_TEXT, old, new)
        out.append(Bad("scenario-fields", name, args=("simulate", SCENARIO), files={SCENARIO: text},
                       where=_at(SCENARIO, text, needle, col), match=match))
    timeline = [
        ("together-empty", "  - together:\n      - publish: {commit: a}\n      - e2e: {commit: a, conclusion: success}",
         "  - together: []", "together: []", 15, r"events\[3\]\.together: list should have at least 2 items"),
        ("together-one", "      - e2e: {commit: a, conclusion: success}\n", "", "publish: {commit: a}", 7,
         r"events\[3\]\.together: list should have at least 2 items"),
        ("push-parent-itself", "parents: [a]}", "parents: [b]}", "parents: [b]", "b]}",
         r"events\[1\]\.push\.parents\[0\]: a commit pushed earlier \(prev, a\); this names the commit itself"),
        ("push-parent-unknown-sha", "parents: [a]}", "parents: [abcdef0000000000000000000000000000000000]}",
         "parents: [abcdef", "abcdef", r"push\.parents\[0\]: a commit pushed earlier .*this names no commit"),
        ("push-duplicate-sha", "sha: 2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b92", "sha: 1a3c5e7b9d0f2a4c6e8b0d2f4a6c8e0b2d4f6a81",
         "{commit: b", "1a3c", r"events\[1\]\.push\.sha: a SHA no other commit has \(a has it\)"),
        ("push-sha-of-seed-commit", "sha: 2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b92",
         "sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61", "{commit: b", "9c1d", r"\(prev has it\)"),
        ("registry-fault-regex", "{path: '/v2/.*'}", "{path: '/v2/[a-'}", "registry_fault", "'/v2",
         r"events\[2\]\.registry_fault\.path: a regular expression"),
        ("latest-repository-upper", "latest: {molecule-ai/platform: a}", "latest: {Molecule-AI/platform: a}",
         "latest:", "Molecule", r"expect\.latest\[.Molecule-AI/platform.\]: a repository name a registry accepts"),
        ("publisher-image-upper", "registry:\n", "publisher: {images: [Molecule/Platform]}\nregistry:\n", "publisher:",
         "Molecule", r"publisher\.images\[0\]: a repository name a registry accepts"),
        ("variant-override-through-scalar", "{gate.on_api_error: abort}", "{gate.on_api_error.mode: abort}",
         "gate.on_api_error.mode", "gate", r"variants\[0\]\.config\.gate\.on_api_error\.mode: a dotted key through "
         r"config sections, but gate\.on_api_error is not one"),
        ("variant-override-bad-value", "{gate.on_api_error: abort}", "{tags.short_sha_length: 0}",
         "tags.short_sha_length", "0}", r"variants\[0\]\.config\.tags\.short_sha_length: a valid config once "
         r"overridden \(tags\.short_sha_length: input should be greater than or equal to 4|should be greater"),
        ("variant-override-unknown-key", "{gate.on_api_error: abort}", "{gate.on_api_eror: abort}",
         "gate.on_api_eror", "gate", r"variants\[0\]\.config\.gate\.on_api_eror: a valid config once overridden"),
        ("variant-edit-not-found", "{find: 'set -euo pipefail'", "{find: 'no such text'", "no such text", "'no",
         r"variants\[1\]\.edits\[0\]\.find: text found once in the workflow .* \(found 0 times\)"),
        ("variant-edit-twice", "{find: 'set -euo pipefail'", "{find: 'proceed'", "find: 'proceed'", "'proceed",
         r"variants\[1\]\.edits\[0\]\.find: text found once .*\(found \d+ times\)"),
        ("variant-edit-breaks-workflow", "replace: 'set -eu'}", "replace: 'echo ${{ github.sha ) }}'}", "find:", 1,
         r"rendered|edit|\$\{\{"),
    ]
    for name, old, new, needle, col, match in timeline:
        text = _edit(TIMELINE_TEXT, old, new)
        where = _at(TIMELINE, text, needle, col)
        if name == "variant-edit-breaks-workflow":
            where = None  # the edited workflow exists only in memory: no file position applies
        out.append(Bad("timeline-fields", name, args=("simulate", TIMELINE), files={TIMELINE: text},
                       where=where, match=match))
    return out


def selection() -> list[Bad]:
    """What `gen simulate` is asked to run: nothing, or two different things with one name."""
    c = "simulate-selection"
    twin = _edit(SCENARIO_TEXT, "tags: [mine]", "tags: [twin]")
    return [
        Bad(c, "tag-selects-nothing", args=("simulate", "--tag", "no-such-tag"),
            match=r"^gen simulate: nothing selected: the built-in library has no scenario or timeline tagged "
                  r"no-such-tag"),
        Bad(c, "empty-folder", args=("simulate", "empty"), setup=lambda p: (p / "empty").mkdir(),
            match=r"^gen simulate: nothing selected: empty holds no scenario or timeline"),
        Bad(c, "file-tag-selects-nothing", args=("simulate", SCENARIO, "--tag", "other"), files={SCENARIO: SCENARIO_TEXT},
            match=r"nothing selected: s\.yaml has no scenario or timeline tagged other"),
        Bad(c, "two-files-one-name", args=("simulate", SCENARIO, "twin.yaml"),
            files={SCENARIO: SCENARIO_TEXT, "twin.yaml": twin}, where="twin.yaml:1:7",
            match=r"name: a scenario name not used in s\.yaml \(got 'mine'\)"),
        Bad(c, "file-and-builtin-one-name", args=("simulate", "smoke", SCENARIO),
            files={SCENARIO: _edit(SCENARIO_TEXT, "name: mine", "name: happy-path")}, where=f"{SCENARIO}:1:7",
            match=r"a scenario name not used in .*smoke\.yaml \(got 'happy-path'\)"),
        Bad(c, "unknown-name", args=("simulate", "no-such-scenario"),
            match=r"^no-such-scenario: no such file, and no built-in scenario, timeline or suite by that name"),
    ]


def cases() -> list[Bad]:
    return (workflow_fields() + loader_cases("workflow", OUT, SIMULATE, WORKFLOW_TEXT) + library_fields()
            + loader_cases("scenario", SCENARIO, ("simulate", SCENARIO), SCENARIO_TEXT)
            + loader_cases("timeline", TIMELINE, ("simulate", TIMELINE), TIMELINE_TEXT) + selection())
