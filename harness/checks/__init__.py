"""Whether a run kept its word: a scenario's expectations (`expectations.py`), the ones the config
implies (`oracle.py`), a timeline's (`timeline_expectations.py`), and the invariants checked after
every timeline event (`invariants.py`, `alarms.py`, `ledger.py`). No Docker."""
