"""The five invariants a timeline may expect to hold or break: names and wording, written once.

`harness/checks/invariants.py` checks them; the policy section and the timeline report print this
wording (with the config's target tag for `{tag}`, see `describe`); timeline files name them under
`expect.invariants`.
"""

NO_BACKWARDS = "no-backwards"
NEVER_RED = "never-red"
ONE_REVISION = "one-revision"
NOT_STUCK = "not-stuck"
NO_FALSE_ALARM = "no-false-alarm"

DESCRIPTIONS = {
    NO_BACKWARDS: "{tag} never moves to an ancestor of the commit it held, unless an operator dispatch moved it",
    NEVER_RED: "{tag} never points at a commit whose newest E2E run failed or timed out",
    ONE_REVISION: "every image's {tag} points at the same revision (no split fleet)",
    NOT_STUCK: "once events settle, the newest promotable commit (publish green; E2E green or never run) "
               "is on {tag} or behind a newer one that is, unless a red run said why",
    NO_FALSE_ALARM: "a run fails only for a reason an operator must act on (red or odd E2E, an outage or "
                    "registry fault, a missing candidate, {tag} ahead or diverged)",
}
INVARIANTS = tuple(DESCRIPTIONS)


def describe(tag: str = "latest") -> dict[str, str]:
    """Each invariant in words, naming the target tag `tag`."""
    return {name: text.replace("{tag}", f":{tag}") for name, text in DESCRIPTIONS.items()}
