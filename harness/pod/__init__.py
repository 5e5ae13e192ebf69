"""The pod, and the only modules that import `docker` and `cryptography`: the engine client
(`engine.py`), the pod's containers (`pod.py`), its images (`images.py`), its CA (`tls.py`) and
leftover cleanup (`cleanup.py`). `layout.py` holds the names and paths others need, without Docker."""
