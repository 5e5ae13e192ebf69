"""The invariants' names and wording, kept light: `gen explain` prints them without the harness."""

DESCRIPTIONS = {
    "no-backwards": ":latest never moves to an ancestor of the commit it held, unless an operator dispatch moved it",
    "never-red": ":latest never points at a commit whose newest E2E run failed or timed out",
    "one-revision": "every image's :latest points at the same revision (no split fleet)",
    "not-stuck": "once events settle, the newest promotable commit (publish green; E2E green or never run) "
                 "is on :latest or behind a newer one that is, unless a red run said why",
    "no-false-alarm": "a run fails only for a reason an operator must act on (red or odd E2E, an outage or "
                      "registry fault, a missing candidate, :latest ahead or diverged)",
}
