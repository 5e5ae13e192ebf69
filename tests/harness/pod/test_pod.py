"""The pod: one loopback-only network namespace, fakes reachable by their real names, nothing else
reachable, and every container removed on success, failure and Ctrl-C."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from harness.pod import cleanup, layout
from harness.pod.pod import Pod
from tests.conftest import ROOT, docker_engine

pytestmark = pytest.mark.docker

ENV = {"SSL_CERT_FILE": "/etc/promote-gen/ca.pem", "HOME": "/home/runner",
       "PATH": "/opt/setup-crane/bin:/usr/local/bin:/usr/bin:/bin"}


def sh(pod, script: str):
    result = pod.exec(["bash", "-c", script], ENV, "/")
    return result.exit_code, "".join(text for _, text in result.output)


def test_only_loopback_exists(pod):
    code, out = sh(pod, "ls /sys/class/net")
    assert (code, out.split()) == (0, ["lo"])


def test_fakes_resolve_to_their_own_loopback_addresses(pod):
    code, out = sh(pod, "getent hosts ghcr.io api.github.com")
    assert code == 0
    assert out.split() == ["127.0.0.2", "ghcr.io", "127.0.0.3", "api.github.com"]


def test_steps_see_only_the_environment_they_are_given(pod):
    """The agent and the registry run in the first runner's container; nothing of theirs (their
    PYTHONPATH, say) reaches a step's environment."""
    code, out = sh(pod, "env")
    assert code == 0 and set(ENV.items()) <= {tuple(line.split("=", 1)) for line in out.splitlines()}
    assert "PYTHONPATH=" not in out and "podagent" not in out and "/pod/" not in out


def test_outside_names_do_not_resolve(pod):
    code, out = sh(pod, "getent hosts github.com example.com registry-1.docker.io")
    assert code == 2 and out == ""


def test_no_outside_connection_opens(pod):
    # 192.0.2.1 is TEST-NET-1: never routed anywhere. With only `lo`, connect fails at once.
    code, out = sh(pod, "timeout 5 bash -c 'echo > /dev/tcp/192.0.2.1/443' 2>&1; echo rc=$?")
    assert "Network is unreachable" in out and out.strip().endswith("rc=1")
    code, out = sh(pod, "GH_TOKEN=x GH_HOST=github.example gh api /meta 2>&1; echo rc=$?")
    assert "rc=1" in out and "127.0.0" not in out


def test_fakes_answer_over_tls_with_the_pod_ca(pod):
    pod.set_world({"token": "t0k", "repository": "o/r", "workflows": [], "runs": [], "commits": {}, "faults": []})
    code, out = sh(pod, "GH_TOKEN=t0k gh api repos/o/r/actions/workflows --jq .total_count")
    assert (code, out) == (0, "0\n")
    code, out = sh(pod, "env -u SSL_CERT_FILE GH_TOKEN=t0k gh api repos/o/r/actions/workflows 2>&1")
    assert code == 1 and "certificate signed by unknown authority" in out
    code, out = sh(pod, "crane digest ghcr.io/o/app:latest 2>&1")
    assert code == 1 and "DENIED: requested access to the resource is denied" in out  # the front wants a login


def _labelled(client, run_id=None):
    label = layout.RUN_LABEL + (f"={run_id}" if run_id else "")
    return client.containers.list(all=True, filters={"label": label}, ignore_removed=True)


def test_containers_are_removed_on_success_and_failure(pod_images):
    client = docker_engine()
    with Pod(pod_images, runners=2) as p:  # the first runner serves too; the second joins its namespace
        run_id, workdir = p.run_id, p.dir
        assert sorted(c.labels["promote-gen.role"] for c in _labelled(client, run_id)) == ["runner0", "runner1"]
        for slot in (0, 1):
            result = p.exec(["bash", "-c", "ls /sys/class/net; getent hosts ghcr.io"], ENV, "/", slot=slot)
            assert (result.exit_code, "".join(t for _, t in result.output).split()) == (0, ["lo", "127.0.0.2", "ghcr.io"])
    assert _labelled(client, run_id) == [] and not workdir.exists()
    with pytest.raises(RuntimeError):
        with Pod(pod_images) as p:
            run_id = p.run_id
            raise RuntimeError("a failing scenario")
    assert _labelled(client, run_id) == []


def test_ctrl_c_removes_everything(pod_images):
    client = docker_engine()
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "simulate", "smoke"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Only this process's pod counts: other runs may share the engine.
    mine = {"label": f"{layout.PID_LABEL}={proc.pid}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not client.containers.list(all=True, filters=mine, ignore_removed=True):
        time.sleep(0.1)
    assert len(client.containers.list(all=True, filters=mine, ignore_removed=True)) == 1, "the pod never started"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(60) == 130
    assert client.containers.list(all=True, filters=mine, ignore_removed=True) == []


def test_cleanup_removes_leftovers_of_dead_runs(pod_images):
    client = docker_engine()
    dead_pid = "999999"
    leftover = client.containers.create(pod_images.runner, ["sleep", "1"], network_mode="none",
                                        labels={layout.RUN_LABEL: "pg-leftover", layout.PID_LABEL: dead_pid})
    try:
        proc = subprocess.run([sys.executable, "-m", "generator.cli", "simulate", "--cleanup"], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 0
        assert f"container {leftover.name}" in proc.stdout
        assert _labelled(client, "pg-leftover") == []
    finally:
        try:
            leftover.remove(force=True)
        except Exception:
            pass


def test_cleanup_spares_a_live_run(pod, pod_images):
    assert os.getpid() == int(pod.containers["runner0"].labels[layout.PID_LABEL])
    cleanup.cleanup(everything=False)
    assert len(_labelled(docker_engine(), pod.run_id)) == 1


def test_tags_read_from_storage_are_what_the_registry_answers(pod):
    """Pod.tags reads the registry's tag files; the agent asks distribution over HTTP. After a
    scenario's pushes and its retags (index and manifest tags) they must agree, and an unknown
    repository has no tags either way."""
    from generator.configfile import load_config
    from harness.library import selection
    from harness.play import scenario_run, workflows
    from harness.world import registries
    from tests.conftest import CONFIG

    path = ROOT / ".github/workflows/auto-promote-on-e2e.yml"
    for scenario in selection.select(["happy-path", "ancestry-latest-index"]).scenarios:
        trace = scenario_run.run(pod, workflows.load(path), scenario, str(path), load_config(CONFIG))
        assert trace.passed
        repositories = sorted(trace.registry_after) + ["molecule-ai/never-pushed"]
        over_http = pod.agent.tags([registries.storage(r) for r in repositories])
        assert pod.tags(repositories) == {r: over_http.get(registries.storage(r), {}) for r in repositories}
        assert any(pod.tags(repositories).values())
