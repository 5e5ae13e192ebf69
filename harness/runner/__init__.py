"""The job runner, harness side: whether a job runs, its plan, and the worker that runs its steps in
the pod's runner container (`job.py`; the worker itself is harness/worker)."""
