"""The world a run meets: commits, upstream runs, registry contents and faults (`world.py`), built
from a library file (`build.py`), and the deterministic image bytes pushed for it (`oci.py`)."""
