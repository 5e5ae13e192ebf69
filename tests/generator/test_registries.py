"""Any registry: references as crane reads them, a login per host, permissions that follow, and the
three example configs (Docker Hub, a self-hosted registry with a port, ghcr.io plus Docker Hub)
rendering lint-clean."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator import references
from tests.conftest import FIXTURES, run_gen

CONFIGS = FIXTURES / "registries"
OUTPUT = ".github/workflows/auto-promote-on-e2e.yml"


@pytest.mark.parametrize("ref, host, repository", [
    ("ghcr.io/acme/api", "ghcr.io", "acme/api"),
    ("docker.io/acme/api", "index.docker.io", "acme/api"),
    ("index.docker.io/acme/api", "index.docker.io", "acme/api"),
    ("docker.io/ubuntu", "index.docker.io", "library/ubuntu"),
    ("acme/api", "index.docker.io", "acme/api"),  # no `.` or `:` in `acme`: a Docker Hub namespace
    ("ubuntu", "index.docker.io", "library/ubuntu"),
    ("registry.example.com:5000/acme/api", "registry.example.com:5000", "acme/api"),
    ("localhost:5000/a/b", "localhost:5000", "a/b"),
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com/api", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "api"),
])
def test_references_read_as_crane_reads_them(ref, host, repository):
    parsed = references.parse(ref)
    assert (parsed.host, parsed.repository) == (host, repository)


@pytest.mark.parametrize("ref, why", [
    ("acme/api", "crane reads `acme/api` as `index.docker.io/acme/api`"),
    ("ubuntu", "crane reads `ubuntu` as `index.docker.io/library/ubuntu`"),
    ("localhost:5000/acme/api", "plain HTTP"),
    ("192.168.1.4/acme/api", "plain HTTP"),
    ("127.0.0.1:5000/acme/api", "plain HTTP"),
])
def test_references_that_differ_from_their_text_are_problems(ref, why):
    assert why in (references.problem(ref) or "")


@pytest.mark.parametrize("ref", ["ghcr.io/acme/api", "docker.io/acme/api", "registry.example.com:5000/a/b",
                                 "quay.io/acme/api"])
def test_references_that_say_what_crane_reads_are_fine(ref):
    assert references.problem(ref) is None


def _project(tmp_path: Path, name: str, text: str | None = None) -> Path:
    (tmp_path / ".github").mkdir()
    config = tmp_path / ".github/auto-promote.yaml"
    if text is None:
        shutil.copy(CONFIGS / f"{name}.yaml", config)
    else:
        config.write_text(text, encoding="utf-8")
    return tmp_path


def _workflow(project: Path) -> dict:
    return YAML(typ="safe").load((project / OUTPUT).read_text(encoding="utf-8"))


def _steps(doc: dict) -> dict[str, dict]:
    return {step.get("name") or step["uses"]: step for step in doc["jobs"]["promote"]["steps"]}


@pytest.mark.parametrize("name", ["dockerhub", "selfhosted", "ghcr-dockerhub"])
def test_example_configs_render_and_check_clean(tmp_path, name):
    project = _project(tmp_path, name)
    assert run_gen("render", cwd=project).returncode == 0
    proc = run_gen("check", "--strict", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "up to date and lint-clean" in proc.stdout
    assert "finding" not in proc.stdout + proc.stderr


def test_dockerhub_logs_in_with_crane_from_secrets_and_asks_no_packages_scope(tmp_path):
    project = _project(tmp_path, "dockerhub")
    run_gen("render", cwd=project)
    doc = _workflow(project)
    job = doc["jobs"]["promote"]
    assert "packages" not in job["permissions"]
    assert job["environment"] == "release"
    login = _steps(doc)["Registry login (index.docker.io)"]
    assert login["env"] == {"REGISTRY_USER": "acme-bot", "REGISTRY_PASSWORD": "${{ secrets.DOCKERHUB_TOKEN }}"}
    assert "crane auth login index.docker.io -u \"${REGISTRY_USER}\" --password-stdin" in login["run"]
    assert "${{" not in login["run"]
    assert doc["env"] == {"API_IMAGE": "docker.io/acme/api", "WORKER_IMAGE": "index.docker.io/acme/worker"}


def test_selfhosted_uses_the_pinned_login_action_with_the_port_kept(tmp_path):
    project = _project(tmp_path, "selfhosted")
    run_gen("render", cwd=project)
    text = (project / OUTPUT).read_text(encoding="utf-8")
    assert "uses: docker/login-action@9780b0c442fbb1117ed29e0efdff1e18412f7567  # v3.3.0" in text
    login = _steps(_workflow(project))["Registry login (registry.example.com:5000)"]
    assert login["with"] == {"registry": "registry.example.com:5000",
                             "username": "${{ secrets.REGISTRY_USERNAME }}",
                             "password": "${{ secrets.REGISTRY_PASSWORD }}"}


def test_ghcr_and_dockerhub_each_log_in_and_each_image_is_verified_and_retagged(tmp_path):
    project = _project(tmp_path, "ghcr-dockerhub")
    run_gen("render", cwd=project)
    doc = _workflow(project)
    steps = _steps(doc)
    assert doc["jobs"]["promote"]["permissions"]["packages"] == "write"
    assert "crane auth login ghcr.io" in steps["GHCR login"]["run"]
    assert "crane auth login index.docker.io" in steps["Registry login (index.docker.io)"]["run"]
    names = list(steps)
    assert names.index("GHCR login") < names.index("Registry login (index.docker.io)") < names.index(
        "Verify :staging-<sha> exists for both images")
    assert {"Retag api :staging-<sha> → :latest", "Retag api-mirror :staging-<sha> → :latest"} <= set(names)


def test_explain_lists_each_registry_and_its_login(tmp_path):
    project = _project(tmp_path, "ghcr-dockerhub")
    out = run_gen("explain", cwd=project).stdout
    assert "| `ghcr.io` | `api` | the job's token" in out
    assert "| `index.docker.io` | `api-mirror` | `crane auth login --password-stdin`" in out
    assert "user `secrets.DOCKERHUB_USERNAME`, password `secrets.DOCKERHUB_TOKEN`" in out


BASE = (CONFIGS / "dockerhub.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, expected", [
    ("ref: docker.io/acme/api", "ref: acme/api",
     r":15:10: images\[0\]\.ref: a reference that names its registry host: crane reads `acme/api` as "
     r"`index.docker.io/acme/api`"),
    ("ref: docker.io/acme/api", "ref: quay.io/acme/api",
     r":15:10: images\[0\]\.ref: a registry host with a login: add `registries: \{quay\.io: "),
    ("ref: index.docker.io/acme/worker", "ref: docker.io/acme/api",
     r":18:10: images\[1\]\.ref: a unique image ref, but it repeats an earlier one"),
    ("    username: acme-bot\n", "",
     r":23:12: registries\.docker\.io\.login: exactly one of `username` and `username_secret`"),
    ("    login: secret", "    login: github-token",
     r":23:12: registries\.docker\.io\.login: `secret` or `docker/login-action`: the job's token logs in to "
     r"ghcr\.io only"),
    ("environment: release\n", "",
     r"registries\.docker\.io\.login: a top-level `environment:`"),
    ("environment: release\n", "environment: release\npermissions:\n  contents: read\n  packages: write\n",
     r"permissions\.packages: no `packages: write`: no registry logs in with the job token"),
    ("registries:\n", "registries:\n  index.docker.io:\n    login: secret\n    username: x\n    password_secret: Y\n",
     r"registries\.docker\.io: a host listed once \(`index\.docker\.io` is the same host to crane\)"),
])
def test_registry_mistakes_are_one_positioned_line_and_exit_2(tmp_path, old, new, expected):
    assert BASE.count(old) == 1, old
    project = _project(tmp_path, "", BASE.replace(old, new))
    proc = run_gen("render", cwd=project)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(".github/auto-promote.yaml:"), proc.stderr
    assert re.search(expected, lines[0]), lines[0]
    assert not (project / OUTPUT).exists()


def test_ghcr_needs_no_registries_entry_and_keeps_packages_write(tmp_path):
    text = BASE.replace("docker.io/acme/api", "ghcr.io/acme/api").replace("index.docker.io/acme/worker",
                                                                          "ghcr.io/acme/worker")
    text = text[:text.index("environment:")]
    project = _project(tmp_path, "", text)
    assert run_gen("render", cwd=project).returncode == 0
    doc = _workflow(project)
    assert doc["jobs"]["promote"]["permissions"]["packages"] == "write"
    assert "environment" not in doc["jobs"]["promote"]


def test_init_writes_a_secret_login_for_docker_hub_that_renders_clean(tmp_path):
    proc = run_gen("init", "--yes", "--image", "docker.io/acme/api", "--e2e-workflow", "Integration",
                   "--e2e-file", "integration.yml", "--publish-workflow", "build-and-push", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = YAML(typ="safe").load((tmp_path / ".github/auto-promote.yaml").read_text(encoding="utf-8"))
    assert data["registries"] == {"index.docker.io": {"login": "secret", "username_secret": "DOCKERHUB_USERNAME",
                                                      "password_secret": "DOCKERHUB_TOKEN"}}
    assert data["environment"] == "release" and "packages" not in data["permissions"]
    assert run_gen("render", cwd=tmp_path).returncode == 0
    assert run_gen("check", cwd=tmp_path).returncode == 0
    starters = YAML(typ="safe").load((tmp_path / ".github/auto-promote/scenarios.yaml").read_text(encoding="utf-8"))
    assert {tuple(s["registry"]) for s in starters["scenarios"]} == {("index.docker.io/acme/api",)}
    day = YAML(typ="safe").load((tmp_path / ".github/auto-promote/day.yaml").read_text(encoding="utf-8"))
    assert day["publisher"]["images"] == ["index.docker.io/acme/api"]


@pytest.mark.docker
def test_init_starters_play_on_every_registry_they_name(tmp_path):
    """Docker Hub, ghcr.io and a self-hosted registry with a port in one config: the starters and the
    day's timeline name each image on its host (a port quoted in the flow list) and pass."""
    from tests.conftest import docker_engine

    docker_engine()
    images = ("docker.io/acme/api", "ghcr.io/acme/web", "registry.example.com:5000/acme/worker")
    proc = run_gen("init", "--yes", *[a for i in images for a in ("--image", i)], "--e2e-workflow", "Integration",
                   "--e2e-file", "integration.yml", "--publish-workflow", "build-and-push", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert run_gen("render", cwd=tmp_path).returncode == 0
    proc = run_gen("simulate", "--pods", "2", "-q", ".github/auto-promote/", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "11/11 passed" in proc.stdout and "a-day[as-is]" in proc.stdout
