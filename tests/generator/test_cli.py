"""`gen` without the [harness] extra: rendering, checking and explaining work, the harness's pure
folders import, and the harness commands say which extra to install; a real import error is loud."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import types

import pytest

from harness import commands as harness_commands
from tests.conftest import CONFIG, ROOT

# Runs `gen` (or a snippet) as if docker and cryptography were not installed.
WITHOUT_EXTRA = textwrap.dedent("""\
    import importlib.abc, sys
    class Missing(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {blocked!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
    sys.meta_path.insert(0, Missing())
    sys.path.insert(0, {root!r})
""")


def run_without_extra(code: str, cwd) -> subprocess.CompletedProcess:
    prelude = WITHOUT_EXTRA.format(blocked=set(harness_commands.EXTRA_MODULES), root=str(ROOT))
    return subprocess.run([sys.executable, "-c", prelude + code], cwd=cwd, capture_output=True, text=True)


def gen_without_extra(*args: str, cwd) -> subprocess.CompletedProcess:
    return run_without_extra(f"from generator.cli import main\nsys.exit(main({list(args)!r}))", cwd)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".github/workflows").mkdir(parents=True)
    shutil.copy(CONFIG, tmp_path / ".github/auto-promote.yaml")
    shutil.copy(ROOT / ".github/workflows/auto-promote-on-e2e.yml", tmp_path / ".github/workflows/")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    return tmp_path


def test_render_check_and_explain_need_no_extra(project):
    rendered = gen_without_extra("render", "--stdout", cwd=project)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == (project / ".github/workflows/auto-promote-on-e2e.yml").read_text(encoding="utf-8")
    explained = gen_without_extra("explain", cwd=project)
    assert explained.returncode == 0 and "### Invariants" in explained.stdout, explained.stderr
    checked = gen_without_extra("check", "--no-lint", cwd=project)
    assert checked.returncode == 0 and "up to date" in checked.stdout, checked.stdout + checked.stderr


def test_the_pure_folders_import_without_docker(tmp_path):
    proc = run_without_extra(textwrap.dedent("""\
        import harness.trace.job, harness.trace.scenario, harness.trace.timeline
        import harness.checks.oracle, harness.checks.ledger, harness.checks.timeline_expectations
        import harness.library.selection, harness.report.policy, harness.report.results, harness.runner.job
        import harness.library.selection as s
        assert s.builtin() and s.builtin_timelines()
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("docker", "cryptography")))
        """), tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [("simulate", "smoke"), ("images",), ("bench",), ("simulate", "--cleanup")])
def test_harness_commands_name_the_missing_extra(project, args):
    proc = gen_without_extra(*args, cwd=project)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.splitlines() == [
        f"gen {args[0]}: needs the harness extra (Python package 'docker' is missing): "
        "pip install 'promote-gen[harness]'"]


def test_listing_needs_no_extra(project):
    proc = gen_without_extra("simulate", "--list", "smoke", cwd=project)
    assert proc.returncode == 0 and "happy-path" in proc.stdout, proc.stderr


def test_a_real_import_error_is_not_swallowed():
    def broken(args):
        import harness.no_such_module  # noqa: F401  (a bug, not a missing extra)

    command = types.SimpleNamespace(NAME="simulate", run=broken)
    with pytest.raises(ModuleNotFoundError, match="harness.no_such_module"):
        harness_commands.needing_extra(command)(None)


def test_the_extra_modules_are_the_extras_python_packages():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    harness_line = next(line for line in text.splitlines() if line.startswith("harness = ["))
    core = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    for module in harness_commands.EXTRA_MODULES:
        assert f'"{module}>=' in harness_line and f'"{module}' not in core
