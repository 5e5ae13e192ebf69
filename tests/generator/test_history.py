"""The seed's historical bugs render on purpose, for any config, and only when asked."""
from __future__ import annotations

import pytest

from generator import history
from generator.configfile import load_config
from generator.render import render
from tests.conftest import CONFIG, FIXTURES

CONFIGS = {"molecule-core": CONFIG, "acme": FIXTURES / "configs/acme.yaml", "fleet": FIXTURES / "configs/fleet.yaml"}


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("bug", sorted(history.BUGS))
def test_each_bug_changes_the_render_of_every_config(name, bug):
    config = load_config(CONFIGS[name])
    fixed, broken = render(config, "c").text, render(config, "c", frozenset({bug})).text
    assert broken != fixed
    assert render(config, "c").text == fixed  # asking for a bug leaves the config and later renders alone


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_what_each_bug_renders(name):
    config = load_config(CONFIGS[name])

    def text(bug):
        return render(config, "c", frozenset({bug})).text

    publish = config.publish_triggers[0].name
    assert f"- '{publish}'" in render(config, "c").text and f"- '{publish}'" not in text("e2e-only-trigger")
    assert "id: ancestry" not in text("no-ancestry-check")
    assert "--jq '(.[0] // {})" not in text("run-list-null") and "'.[0] | " in text("run-list-null")
    assert "// empty'" not in text("label-reads-null")
    assert '|| echo "error")' in text("ancestry-error-text")
    per_sha = text("rollback-per-sha")  # the pair generator/rules.py refuses: split protection, per-SHA groups
    assert "id: split_check" in per_sha and f"group: auto-promote-{config.tags.target}-${{" in per_sha
    cancelled = text("cancelled-aborts")
    arm = cancelled[cancelled.index("completed/cancelled)"):]
    assert arm[:arm.index(";;")].rstrip().endswith("exit 1")


def test_unknown_bugs_are_named():
    assert history.unknown({"run-list-null", "typo"}) == ["typo"]
