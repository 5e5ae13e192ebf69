"""The house rules, read from the source: the generator imports the harness only in its CLI, only
harness/pod touches Docker, and data flows one way through the harness's folders."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Lower folders never import higher ones; podagent is a program of its own and imports none.
LAYERS = ["expressions", "workflow", "worker", "library", "world", "trace", "checks", "report", "pod", "runner", "play",
          "commands"]
EXTRA_ONLY = {"docker", "cryptography"}


def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def imports(path: Path) -> set[str]:
    """Absolute names of the modules `path` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(part for part in (base, node.module) if part)
            found |= {name} | {f"{name}.{alias.name}" for alias in node.names}
    return found


def folder(path: Path) -> str:
    return path.relative_to(ROOT / "harness").parts[0]


@pytest.mark.parametrize("path", modules("generator"), ids=lambda p: str(p.relative_to(ROOT)))
def test_generator_imports_the_harness_only_in_its_cli(path):
    uses = {name for name in imports(path) if name.split(".")[0] == "harness"}
    assert path.name == "cli.py" or not uses, uses


@pytest.mark.parametrize("path", modules("harness"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_pod_imports_docker_and_cryptography(path):
    uses = {name.split(".")[0] for name in imports(path)} & EXTRA_ONLY
    assert folder(path) == "pod" or not uses, uses


@pytest.mark.parametrize("path", [p for p in modules("harness") if folder(p) in LAYERS],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_data_flows_one_way(path):
    mine = LAYERS.index(folder(path))
    above = {name for name in imports(path) if name.startswith("harness.")
             and name.split(".")[1] in LAYERS and LAYERS.index(name.split(".")[1]) > mine}
    assert not above, f"{folder(path)} must not import {sorted(above)}"


def test_podagent_stands_alone():
    """It runs in the pod with a bare python3, mounted on its own: standard library and itself only."""
    for path in modules("harness/podagent"):
        outside = {name for name in imports(path) if name.split(".")[0] in ("harness", "generator")
                   and not name.startswith("harness.podagent")}
        assert not outside, path


def test_the_worker_needs_only_what_the_runner_image_carries():
    """It runs on the container's bare python3 with only harness.worker.SOURCES copied in."""
    import sys

    from harness.worker import SOURCES

    carried = {Path(s).with_suffix("").as_posix().replace("/", ".") for s in SOURCES}
    carried |= {name.removesuffix(".__init__") for name in carried}
    for path in modules("harness/worker") + modules("harness/expressions"):
        for name in imports(path):
            top = name.split(".")[0]
            if top in ("harness", "generator"):
                # `from harness.x import y` names both harness.x and harness.x.y; one must be carried
                parent = name.rsplit(".", 1)[0]
                assert any(n == c or n.startswith(c + ".") for c in carried for n in (name, parent)), (path, name)
            else:
                assert top in sys.stdlib_module_names or top == "__future__", (path, name)


def test_the_rules_can_fail(tmp_path):
    assert "docker" in {n.split(".")[0] for n in imports(ROOT / "harness/pod/engine.py")}
    assert "harness.report.policy" in imports(ROOT / "generator/cli.py")
