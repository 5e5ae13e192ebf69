"""Traces in words: text for a scenario (`scenario_text.py`) and a timeline (`timeline_text.py`),
JSON and the pass/fail table (`results.py`), events in words (`wording.py`), the policy section
`gen explain` prints (`policy.py`, with the `if` truth table in `truthtable.py`), and the reports
people read: JUnit XML (`junit.py`), one HTML page (`html_page.py`) with a chart per timeline
(`timeline_chart.py`), the Actions step summary (`step_summary.py`), terminal progress
(`progress.py`). No Docker."""
