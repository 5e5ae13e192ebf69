"""The N-step workflow the benchmarks run: one job, `workflow_dispatch`, each step an echo that
writes a log line to each stream, an output, a summary line and a notice, all marked with the
step's number so a check can tell exactly what arrived."""
from __future__ import annotations

import textwrap

SHA = "3a7f12c9e4b8d0f6a2c5e1b7d9f3a8c4e6b2d0f5"

STEP = """\
      - id: s{i}
        run: |
          echo "out {i}"
          echo "err {i}" >&2
          echo "value={i}" >> "$GITHUB_OUTPUT"
          echo "- step {i}" >> "$GITHUB_STEP_SUMMARY"
          echo "::notice::step {i} done"
"""


def workflow(steps: int) -> str:
    head = "name: nstep\non: workflow_dispatch\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n"
    return head + "".join(STEP.format(i=i) for i in range(1, steps + 1))


def scenario(steps: int) -> str:
    """A dispatch of `workflow(steps)` whose expectations name every step's output and notice."""
    expected = "".join(f"        s{i}: {{outcome: success, outputs: {{value: \"{i}\"}}}}\n" for i in range(1, steps + 1))
    notices = "".join(f"        - \"notice: step {i} done\"\n" for i in range(1, steps + 1))
    return textwrap.dedent(f"""\
        scenarios:
          - name: nstep-{steps}
            description: {steps} echo steps, dispatched.
            intent: promote
            repository:
              name: o/r
              commits: [{{name: head, sha: {SHA}}}]
            event: {{workflow_dispatch: {{}}}}
            expect:
              triggered: true
              job: ran
              conclusion: success
              steps:
        """) + expected + "      annotations:\n" + notices


def lost(step_number: int, log: list[tuple[str, str]], outputs: dict, summary: str, notices: list[str]) -> list[str]:
    """What step `step_number` should have left and did not (empty when nothing was lost)."""
    i = step_number
    wanted = {"stdout line": ("stdout", f"out {i}") in log, "stderr line": ("stderr", f"err {i}") in log,
              "output": outputs == {"value": str(i)}, "summary": summary == f"- step {i}\n",
              "notice": notices == [f"step {i} done"]}
    return [what for what, ok in wanted.items() if not ok]
