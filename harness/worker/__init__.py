"""The job worker: one process per job inside the runner container, as GitHub's Runner.Worker runs
a job inside its VM. It takes the job's plan (`plan.py`) over a socket (`link.py`), evaluates each
step's `if:` and `${{ }}` (`steps.py`), runs its shell as a child with fresh file-command files
(`script.py`), and sends each step's result back as it finishes.

It runs on the container's bare python3, so it imports only the standard library, itself, and the
modules listed in SOURCES, which the runner image copies in (their bytes are in the image's key).
"""

# Paths under the repository root, copied into the runner image at /opt/promote-gen/lib.
SOURCES = (
    "harness/__init__.py",
    "harness/expressions",
    "harness/workflow/__init__.py",
    "harness/workflow/commands.py",
    "harness/workflow/filecommands.py",
    "harness/worker",
)
