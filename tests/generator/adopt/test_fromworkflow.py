"""`gen init --from`: a hand-written workflow of the seed's family → the config that renders it.

The seed's config renders the same bash as the shipped molecule-core config (so the seed-parity
suite that runs the shipped one covers it); rendered workflows read back to themselves byte for
byte; what the reader cannot carry it names by line."""
from __future__ import annotations

import re
import shutil

import pytest

from generator.config import Config
from generator.configfile import load_config
from generator.render import render
from tests.conftest import CONFIG, ROOT, SEED, run_gen


def _init_from(project, workflow, *extra):
    proc = run_gen("init", "--from", str(workflow), *extra, cwd=project)
    assert proc.returncode == 0, proc.stderr
    return proc, load_config(project / ".github/auto-promote.yaml")


def _code(text: str) -> list[str]:
    """The workflow without comments: what runs."""
    out = []
    for line in text.splitlines():
        stripped = re.sub(r"\s+#.*$", "", line) if not line.lstrip().startswith("#") else ""
        if stripped.strip():
            out.append(stripped.rstrip())
    return out


def test_the_seed_reads_as_the_shipped_config(tmp_path):
    _, config = _init_from(tmp_path, SEED)
    shipped = load_config(CONFIG)
    decided = ("branch", "permissions", "concurrency", "triggers", "e2e", "dispatch", "images", "tags",
               "setup_crane", "retag", "summary")
    for field in decided:
        assert getattr(config, field) == getattr(shipped, field), field
    assert config.gate.on_api_error == shipped.gate.on_api_error == "proceed"
    assert [(a.match, a.action, a.notice, a.summary) for a in config.gate.arms] == \
        [(a.match, a.action, a.notice, a.summary) for a in shipped.gate.arms]
    assert config.ancestry == shipped.ancestry
    assert config.workflow.name == shipped.workflow.name
    assert config.workflow.notes.startswith("Retags `ghcr.io/molecule-ai/{platform,platform-tenant}:staging-<sha>`")
    # So it renders what the shipped config renders: the parity suites that run that one cover this one.
    ours = render(config, "x").text
    assert _code(ours) == _code(render(shipped, "x").text)


def test_what_the_seed_loses_is_named_by_line(tmp_path):
    proc, _ = _init_from(tmp_path, SEED)
    notes = [l for l in proc.stderr.splitlines() if l.startswith(str(SEED))]
    seed_lines = SEED.read_text(encoding="utf-8").splitlines()
    assert any(":318: ancestry: `|| echo \"error\"` appends to whatever gh printed" in n for n in notes)
    assert seed_lines[318 - 1].strip() == "STATUS=$(gh api \\"  # the command the note means starts there
    assert '|| echo "error")' in seed_lines[320 - 1]
    gate_comments = next(n for n in notes if "bash comment line(s) outside the case arms" in n)
    line = int(gate_comments.split(":")[1])
    assert seed_lines[line - 1].strip().startswith("# Upstream is publish-workspace-server-image")
    for note in notes:
        if "YAML comment" in note:
            line = int(note.split(":")[1])
            assert seed_lines[line - 1].strip().startswith("#"), note


CONFIGS = {
    "molecule-core": lambda c: c,
    "hardened, one image": lambda c: c.model_copy(update={
        "gate": c.gate.model_copy(update={"on_api_error": "abort"}),
        "concurrency": c.concurrency.model_copy(update={"policy": "global"}),
        "retag": c.retag.model_copy(update={"protect_split": True}),
        "images": c.images[:1], "permissions": {**c.permissions, "actions": "read"},
        "permission_notes": {**c.permission_notes, "actions": "the gate reads E2E workflow runs"}}),
    "three images, defer, ancestry checked": lambda c: Config.model_validate({
        **c.model_dump(), "branch": "trunk",
        "images": [*c.model_dump()["images"], {"name": "worker", "ref": "ghcr.io/molecule-ai/worker", "env": "WORKER"}],
        "tags": {"candidate": "sha-{sha}", "short_sha_length": 12, "target": "stable",
                 "revision_label": "org.example.revision"},
        "gate": {**c.model_dump()["gate"], "on_api_error": "defer"},
        "ancestry": {**c.model_dump()["ancestry"], "no_label": "fail", "on_dispatch": "check"}}),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_a_rendered_workflow_reads_back_to_itself(tmp_path, name):
    config = CONFIGS[name](load_config(CONFIG))
    text = render(config, ".github/auto-promote.yaml").text
    workflows = tmp_path / ".github/workflows"
    workflows.mkdir(parents=True)
    (workflows / "promote.yml").write_text(text, encoding="utf-8")
    proc, read = _init_from(tmp_path, ".github/workflows/promote.yml")
    assert read.workflow.output == ".github/workflows/promote.yml"  # gen render replaces the file it read
    assert render(read, ".github/auto-promote.yaml").text == text
    assert not [l for l in proc.stderr.splitlines() if l.startswith(".github/workflows/promote.yml")]


def test_parts_it_cannot_carry_are_notes_and_defaults(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("imjasonh/setup-crane@6da1ae018866400525525ce74ff892880c099987 # v0.5", "imjasonh/setup-crane@v0.5")
    text = text.replace("      - name: Summary\n", "      - name: Notify\n        run: curl -X POST https://example.invalid\n"
                        "      - name: Summary\n")
    text = text.replace("  cancel-in-progress: false", "  cancel-in-progress: true")
    path = tmp_path / "promote.yml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    proc, config = _init_from(tmp_path, path)
    notes = {l.split(": ", 1)[1]: int(l.split(":")[1]) for l in proc.stderr.splitlines() if l.startswith(str(path))}
    unpinned = next(n for n in notes if n.startswith("setup-crane: `imjasonh/setup-crane@v0.5` is not pinned"))
    assert "setup-crane@v0.5" in lines[notes[unpinned] - 1]
    assert config.setup_crane.sha == "6da1ae018866400525525ce74ff892880c099987"  # the known pin instead
    notify = next(n for n in notes if n.startswith("step 9 (Notify) has no counterpart"))
    assert lines[notes[notify] - 1].strip() == "- name: Notify"
    cancel = next(n for n in notes if n.startswith("concurrency: cancel-in-progress: true"))
    assert "cancel-in-progress: true" in lines[notes[cancel] - 1]


@pytest.mark.parametrize("name, text, expected", [
    ("not a promotion workflow", None, r"^ci\.yml:1:1: a promotion workflow expected"),
    ("not yaml", "on: [push\n", r"^bad\.yml:\d+:\d+: valid YAML expected"),
    ("no gate", "on: {workflow_run: {workflows: [x]}}\njobs:\n  a:\n    steps:\n      - run: crane tag a b c\n",
     r"^bad\.yml:3:1: jobs\.a: no gate step found"),
    ("unreadable bash", None, r"^bad\.yml:\d+:1: bash this reader cannot follow: `case` without `esac`"),
])
def test_unreadable_input_is_one_line_exit_2(tmp_path, name, text, expected):
    if name == "not a promotion workflow":
        shutil.copy(ROOT / ".github/workflows/ci.yml", tmp_path / "ci.yml")
        target = "ci.yml"
    else:
        target = "bad.yml"
        if text is None:
            text = SEED.read_text(encoding="utf-8").replace("          esac\n", "", 1)
        (tmp_path / target).write_text(text, encoding="utf-8")
    proc = run_gen("init", "--from", target, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and re.search(expected, proc.stderr), proc.stderr
    assert not (tmp_path / ".github").exists()
