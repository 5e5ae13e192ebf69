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


def cases() -> list[Bad]:
    return workflow_fields() + loader_cases("workflow", OUT, SIMULATE, WORKFLOW_TEXT)
