"""Traces in words: text for a scenario (`scenario_text.py`) and a timeline (`timeline_text.py`),
JSON and the pass/fail table (`results.py`), events in words (`wording.py`), and the policy section
`gen explain` prints (`policy.py`, with the `if` truth table in `truthtable.py`). No Docker."""
