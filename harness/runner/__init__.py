"""The job runner: one job at a time, step by step, in the pod's runner container (`job.py`), each
script run the way GitHub's runner runs it (`script.py`, `shells.py`), and the `uses:` actions it
knows (`actions.py`)."""
