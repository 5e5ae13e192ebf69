"""Results, as plain data: a job's steps (`job.py`), a scenario's trace (`scenario.py`), a
timeline's (`timeline.py`), and the checks both hold (`check.py`). No Docker."""
