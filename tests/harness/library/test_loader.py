"""One loader for scenario and timeline files: one parse per valid file, suites told apart by their
key, and the same cross-field errors for both kinds."""
from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from generator.loader import InputError
from harness.library import loader, selection

TIMELINE = """\
name: {name}
repository:
  commits: [{{name: prev, sha: 9c1d4e0a7b3f5e2d8c6a1b9f0e7d3c5a2b8f4e61}}]
events:
  - publish: {{commit: prev}}
"""


@pytest.fixture
def parses(monkeypatch):
    """Counts YAML parses."""
    calls = []
    original = YAML.load

    def counting(self, stream):
        calls.append(self.typ)
        return original(self, stream)

    monkeypatch.setattr(YAML, "load", counting)
    return calls


@pytest.mark.parametrize("path", selection.builtin_files(), ids=lambda p: p.name)
def test_each_builtin_file_is_parsed_once(path, parses):
    kind, items = loader.load(path)
    assert items and parses == [["safe"]]
    assert kind is (loader.TIMELINES if path.parent.name == "timelines" else loader.SCENARIOS)


def test_a_suite_of_timelines_needs_unique_names(tmp_path):
    body = "\n".join("  - " + line if i == 0 else "    " + line
                     for i, line in enumerate(TIMELINE.format(name="same").splitlines()))
    path = tmp_path / "suite.yaml"
    path.write_text(f"timelines:\n{body}\n{body}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"suite.yaml:\d+:\d+: timelines\[1\]\.name: a unique timeline name"):
        loader.load(path)


def test_a_single_file_takes_its_name_from_the_file(tmp_path):
    path = tmp_path / "my-day.yaml"
    path.write_text(TIMELINE.format(name="null"), encoding="utf-8")
    kind, (timeline,) = loader.load(path)
    assert kind is loader.TIMELINES and timeline.name == "my-day"
