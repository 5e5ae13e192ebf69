"""Playing the library against a workflow: one scenario (`plan.py`, `seeding.py`, `scenario_run.py`),
many over warm pods (`pods.py`), timelines and their variants (`timelines.py`, `variants.py`,
`timeline_play.py`, `timeline_events.py`, `interleave.py`), and `gen bench` (`bench.py`). The only
layer that drives the pod and the runner; it uses checks and report, which read traces."""
