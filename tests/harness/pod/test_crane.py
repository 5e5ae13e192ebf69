"""The crane behaviour the harness relies on, checked on the real binary the runner image carries.

The binary is copied out of the cached `promote-gen/crane:<key>` image (it is static, so it runs on
the host) and driven as a subprocess against a real distribution registry (/usr/bin/docker-registry,
TLS + htpasswd). Failure modes the real registry cannot produce (5xx, dropped connections, bearer
tokens, Warning headers) use a small fault-injecting TLS server; CONNECT proxying uses a tiny
tunnelling proxy.
"""

import base64
import datetime
import hashlib
import http.client
import http.server
import ipaddress
import json
import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import threading
import time
import types
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import docker_engine

pytestmark = pytest.mark.docker  # the binary comes out of its image

REGISTRY_BIN = "/usr/bin/docker-registry"
USER, PASSWORD = "ci-bot", "s3cret-pw"

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG_MT = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
ACCEPT_ALL = ",".join([
    "application/vnd.docker.distribution.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    DOCKER_MANIFEST, OCI_MANIFEST,
    "application/vnd.docker.distribution.manifest.list.v2+json", OCI_INDEX,
])
TS = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} ", re.M)


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def norm(stderr):
    return TS.sub("TS ", stderr)


# --------------------------------------------------------------------------------------
# PKI
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    d = tmp_path_factory.mktemp("pki")
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crane test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(hours=1))
          .not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                         critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.DNSName("localhost"), x509.DNSName("ghcr.io")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (d / "srv.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "srv.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()))
    return types.SimpleNamespace(dir=d, ca=str(d / "ca.pem"), cert=str(d / "srv.pem"),
                                 key=str(d / "srv.key"))


def server_ssl_context(pki):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pki.cert, pki.key)
    return ctx


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------
# The real registry
# --------------------------------------------------------------------------------------

class RealRegistry:
    def __init__(self, host, ca):
        self.host = host
        self.ctx = ssl.create_default_context(cafile=ca)
        self.auth = "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()

    def request(self, method, path, body=None, headers=None):
        h, p = self.host.split(":")
        conn = http.client.HTTPSConnection(h, int(p), context=self.ctx, timeout=10)
        hdrs = {"Authorization": self.auth}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, resp.headers, data

    def put_blob(self, repo, data):
        st, hdrs, body = self.request("POST", "/v2/%s/blobs/uploads/" % repo)
        assert st == 202, (st, body)
        loc = urlsplit(hdrs["Location"])
        path = loc.path + "?" + (loc.query + "&" if loc.query else "") + "digest=" + sha(data)
        st, _, body = self.request("PUT", path, body=data,
                                   headers={"Content-Type": "application/octet-stream"})
        assert st == 201, (st, body)
        return {"digest": sha(data), "size": len(data)}

    def put_manifest(self, repo, ref, data, media_type):
        st, hdrs, body = self.request("PUT", "/v2/%s/manifests/%s" % (repo, ref), body=data,
                                      headers={"Content-Type": media_type})
        assert st == 201, (st, body)
        assert hdrs["Docker-Content-Digest"] == sha(data)
        return sha(data)

    def get_manifest(self, repo, ref, accept=ACCEPT_ALL):
        return self.request("GET", "/v2/%s/manifests/%s" % (repo, ref), headers={"Accept": accept})


@pytest.fixture(scope="session")
def registry(pki, tmp_path_factory):
    if not os.path.exists(REGISTRY_BIN):
        pytest.skip("this machine lacks Debian's docker-registry (%s); the project's setup "
                    "script installs it" % REGISTRY_BIN)
    import bcrypt

    d = tmp_path_factory.mktemp("registry")
    htpasswd = d / "htpasswd"
    htpasswd.write_text("%s:%s\n" % (USER, bcrypt.hashpw(PASSWORD.encode(),
                                                        bcrypt.gensalt(rounds=4)).decode()))
    port = free_port()
    cfg = d / "config.yml"
    cfg.write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n"
        "storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n"
        "http:\n  addr: 127.0.0.1:%d\n  secret: crane-tests\n"
        "  tls:\n    certificate: %s\n    key: %s\n"
        "auth:\n  htpasswd:\n    realm: basic-realm\n    path: %s\n"
        % (d / "data", port, pki.cert, pki.key, htpasswd))
    log = open(d / "registry.log", "wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    proc = subprocess.Popen([REGISTRY_BIN, "serve", str(cfg)], stdout=log, stderr=subprocess.STDOUT,
                            env=env)
    reg = RealRegistry("127.0.0.1:%d" % port, pki.ca)
    deadline = time.time() + 20
    while True:
        try:
            st, _, _ = reg.request("GET", "/v2/")
            if st == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            log.close()
            pytest.fail("docker-registry did not start:\n" + (d / "registry.log").read_text())
        time.sleep(0.05)
    try:
        yield reg
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _manifest(media_type, config, layers, indent=3, **extra):
    doc = {"schemaVersion": 2, "mediaType": media_type, "config": config, "layers": layers}
    doc.update(extra)
    return json.dumps(doc, indent=indent).encode()


@pytest.fixture(scope="session")
def content(registry):
    """Pushes a buildx-like image set and returns its bytes and digests."""
    repo = "molecule-ai/platform"
    c = types.SimpleNamespace(repo=repo, host=registry.host)

    def image(arch, variant=None, revision="abc1234deadbeef", oci=True):
        layer = registry.put_blob(repo, ("layer for %s %s" % (arch, variant)).encode() * 7)
        cfg = {"architecture": arch, "os": "linux",
               "config": {"Env": ["PATH=/usr/bin"],
                          "Labels": {"org.opencontainers.image.revision": revision,
                                     "org.opencontainers.image.source": "https://example.invalid/x"}},
               "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}
        if variant:
            cfg["variant"] = variant
        cfg_bytes = json.dumps(cfg, separators=(",", ":")).encode()
        cfg_desc = registry.put_blob(repo, cfg_bytes)
        if oci:
            m = _manifest(OCI_MANIFEST, dict(mediaType=OCI_CONFIG, **cfg_desc),
                          [dict(mediaType=OCI_LAYER, **layer)])
        else:
            m = _manifest(DOCKER_MANIFEST, dict(mediaType=DOCKER_CONFIG_MT, **cfg_desc),
                          [dict(mediaType=DOCKER_LAYER, **layer)])
        return cfg_bytes, m

    c.amd64_config, c.amd64_manifest = image("amd64")
    c.arm64_config, c.arm64_manifest = image("arm64", "v8", revision="arm64rev")
    c.amd64_digest = registry.put_manifest(repo, sha(c.amd64_manifest), c.amd64_manifest, OCI_MANIFEST)
    c.arm64_digest = registry.put_manifest(repo, sha(c.arm64_manifest), c.arm64_manifest, OCI_MANIFEST)
    # buildx provenance attestation: an OCI manifest whose index entry says unknown/unknown.
    att_layer = registry.put_blob(repo, b'{"_type":"https://in-toto.io/Statement/v0.1"}')
    att_cfg = registry.put_blob(repo, b'{"architecture":"unknown","os":"unknown","config":{},'
                                      b'"rootfs":{"type":"layers","diff_ids":[]}}')
    c.att_manifest = _manifest(OCI_MANIFEST, dict(mediaType=OCI_CONFIG, **att_cfg), [dict(
        mediaType="application/vnd.in-toto+json", annotations={
            "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}, **att_layer)])
    c.att_digest = registry.put_manifest(repo, sha(c.att_manifest), c.att_manifest, OCI_MANIFEST)
    c.index = json.dumps({
        "schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
            {"mediaType": OCI_MANIFEST, "digest": c.att_digest, "size": len(c.att_manifest),
             "annotations": {"vnd.docker.reference.digest": c.amd64_digest,
                             "vnd.docker.reference.type": "attestation-manifest"},
             "platform": {"architecture": "unknown", "os": "unknown"}},
            {"mediaType": OCI_MANIFEST, "digest": c.amd64_digest, "size": len(c.amd64_manifest),
             "platform": {"architecture": "amd64", "os": "linux"}},
            {"mediaType": OCI_MANIFEST, "digest": c.arm64_digest, "size": len(c.arm64_manifest),
             "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
        ]}, indent=2).encode()
    c.index_digest = registry.put_manifest(repo, "staging-abc1234", c.index, OCI_INDEX)
    registry.put_manifest(repo, "plain-oci", c.amd64_manifest, OCI_MANIFEST)
    c.docker_config, c.docker_manifest = image("amd64", revision="dockerrev", oci=False)
    c.docker_digest = registry.put_manifest(repo, "docker-v2", c.docker_manifest, DOCKER_MANIFEST)
    # An index whose only image is arm64 (no linux/amd64 child).
    c.arm_only = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
        {"mediaType": OCI_MANIFEST, "digest": c.arm64_digest, "size": len(c.arm64_manifest),
         "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}]}).encode()
    registry.put_manifest(repo, "arm-only", c.arm_only, OCI_INDEX)
    return c


# --------------------------------------------------------------------------------------
# Running crane
# --------------------------------------------------------------------------------------

class Env:
    def __init__(self, tmp_path, pki, crane):
        self.crane = crane
        self.home = tmp_path / "home"
        self.home.mkdir()
        self.docker_config = tmp_path / "docker"
        self.vars = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "DOCKER_CONFIG": str(self.docker_config),
            "SSL_CERT_FILE": pki.ca,
            "TZ": "UTC",
            "LANG": "C.UTF-8",
        }

    @property
    def config_path(self):
        return self.docker_config / "config.json"

    def login(self, host, user=USER, password=PASSWORD):
        self.docker_config.mkdir(exist_ok=True)
        auths = {}
        if self.config_path.exists():
            auths = json.loads(self.config_path.read_text())["auths"]
        auths[host] = {"auth": base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}
        self.config_path.write_text(json.dumps({"auths": auths}))

    def run(self, *args, stdin=b"", extra=None):
        env = dict(self.vars)
        env.update(extra or {})
        env = {k: v for k, v in env.items() if v is not None}
        p = subprocess.run([str(self.crane), *args], input=stdin, env=env, capture_output=True, timeout=60)
        return types.SimpleNamespace(rc=p.returncode, out=p.stdout,
                                     err=p.stderr.decode("utf-8", "replace"))


@pytest.fixture(scope="session")
def crane(pod_images, tmp_path_factory):
    """The binary in the runner image, copied out of its cached build image."""
    from harness.pod import crane_build

    return crane_build.extract(docker_engine(), crane_build.image_tag(), tmp_path_factory.mktemp("crane"))


@pytest.fixture
def env(tmp_path, pki, crane):
    return Env(tmp_path, pki, crane)


@pytest.fixture
def authed(env, registry):
    env.login(registry.host)
    return env


# --------------------------------------------------------------------------------------
# Fault-injecting TLS registry and a CONNECT proxy
# --------------------------------------------------------------------------------------

class FakeRegistry:
    """A TLS HTTP/1.1 server whose answers come from `self.handler(req)`.

    handler returns (status, headers, body) or the string "drop" to close the connection
    without answering.  Every request is recorded in `self.requests`.
    """

    def __init__(self, pki, tls=True):
        self.requests = []
        self.handler = lambda req: (404, {}, b"")
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _serve(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                req = types.SimpleNamespace(method=self.command, path=self.path,
                                            headers=self.headers, body=body)
                fake.requests.append(req)
                res = fake.handler(req)
                if res == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status, headers, data = res
                self.send_response(status)
                for k, v in headers.items():
                    for one in (v if isinstance(v, list) else [v]):
                        self.send_header(k, one)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_HEAD = do_PUT = do_POST = _serve

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            self.httpd.socket = server_ssl_context(pki).wrap_socket(self.httpd.socket,
                                                                    server_side=True)
        self.host = "127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def paths(self, method=None):
        return [r.path for r in self.requests if method is None or r.method == method]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake(pki):
    f = FakeRegistry(pki)
    yield f
    f.close()


class ConnectProxy:
    """Answers CONNECT for any host by tunnelling to `target` (host:port)."""

    def __init__(self, target):
        self.target = target
        self.connects = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(c,), daemon=True).start()

    def _handle(self, c):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(4096)
            if not chunk:
                c.close()
                return
            data += chunk
        self.connects.append(data.split(b"\r\n")[0].decode())
        h, p = self.target.split(":")
        up = socket.create_connection((h, int(p)))
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        socks = [c, up]
        try:
            while True:
                r, _, _ = select.select(socks, [], [], 5)
                if not r:
                    break
                for s in r:
                    d = s.recv(65536)
                    if not d:
                        return
                    (up if s is c else c).sendall(d)
        except OSError:
            pass
        finally:
            c.close()
            up.close()

    def close(self):
        self.stop = True
        self.sock.close()


def ok_manifest(body=b'{"schemaVersion":2}', mt=OCI_MANIFEST):
    return (200, {"Content-Type": mt, "Docker-Content-Digest": sha(body)}, body)


# --------------------------------------------------------------------------------------
# auth login (no network)
# --------------------------------------------------------------------------------------

def test_auth_login_password_stdin_writes_config(env):
    r = env.run("auth", "login", "ghcr.io", "-u", "octo-bot", "--password-stdin",
                stdin=b"ghs_token123\n")
    assert r.rc == 0
    assert r.out == b""
    path = str(env.config_path)
    assert norm(r.err) == "TS logged in via %s\n" % path  # 0.20.1 has no "stored unencrypted" warning
    assert re.search(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} logged in via ", r.err, re.M)
    expected = base64.b64encode(b"octo-bot:ghs_token123").decode()
    assert env.config_path.read_bytes() == (
        '{\n\t"auths": {\n\t\t"ghcr.io": {\n\t\t\t"auth": "%s"\n\t\t}\n\t}\n}' % expected).encode()
    assert oct(env.config_path.stat().st_mode & 0o777) == "0o600"
    # Same credentials again: the same line.
    r = env.run("auth", "login", "ghcr.io", "-u", "octo-bot", "--password-stdin",
                stdin=b"ghs_token123\n")
    assert r.rc == 0 and norm(r.err) == "TS logged in via %s\n" % path


@pytest.mark.parametrize("stdin,password", [
    (b"pw\r\n", "pw"), (b"pw", "pw"), (b"pw\n\n", "pw\n"), (b"pw\r", "pw"), (b"p w \n", "p w "),
])
def test_auth_login_trims_one_line_ending(env, stdin, password):
    r = env.run("auth", "login", "ghcr.io", "-u", "u", "--password-stdin", stdin=stdin)
    assert r.rc == 0, r.err
    auth = json.loads(env.config_path.read_text())["auths"]["ghcr.io"]["auth"]
    assert base64.b64decode(auth).decode() == "u:" + password


def test_auth_login_merges_and_normalises_existing_config(env):
    env.docker_config.mkdir()
    env.config_path.write_text(json.dumps({
        "auths": {"quay.io": {"username": "q", "password": "p", "email": "x@y"},
                  "ghcr.io": {"auth": base64.b64encode(b"old:old").decode()}},
        "HttpHeaders": {"X-Meta": "1", "User-Agent": "dropped"},
        "psFormat": "table", "unknownKey": {"dropped": True}}))
    r = env.run("auth", "login", "ghcr.io", "-u", "new", "-p", "pass")
    assert r.rc == 0, r.err
    doc = json.loads(env.config_path.read_text())
    assert list(doc) == ["auths", "HttpHeaders", "psFormat"]
    assert doc["auths"] == {"ghcr.io": {"auth": base64.b64encode(b"new:pass").decode()},
                            "quay.io": {"auth": base64.b64encode(b"q:p").decode(), "email": "x@y"}}
    assert doc["HttpHeaders"] == {"X-Meta": "1"}


def test_auth_login_docker_hub_key_and_default_dir(env):
    extra = {"DOCKER_CONFIG": None}
    r = env.run("auth", "login", "docker.io", "-u", "me", "--password-stdin", stdin=b"x\n",
                extra=extra)
    assert r.rc == 0, r.err
    path = env.home / ".docker" / "config.json"
    assert norm(r.err).endswith("TS logged in via %s\n" % path)
    assert list(json.loads(path.read_text())["auths"]) == ["https://index.docker.io/v1/"]
    assert oct((env.home / ".docker").stat().st_mode & 0o777) == "0o700"


def test_auth_login_requires_username_and_password(env):
    r = env.run("auth", "login", "ghcr.io", "--password-stdin", stdin=b"\n")
    assert (r.rc, r.out, r.err) == (1, b"", "Error: username and password required\n")
    assert not env.config_path.exists()
    r = env.run("auth", "login", "ghcr.io", "-u", "", "-p", "")
    assert (r.rc, r.err) == (1, "Error: username and password required\n")


def test_auth_login_usage_errors(env):
    r = env.run("auth", "login", "-u", "x", "-p", "y")
    assert (r.rc, r.err) == (1, "Error: accepts 1 arg(s), received 0\n")
    r = env.run("auth", "login", "https://ghcr.io", "-u", "x", "-p", "y")
    assert (r.rc, r.err) == (
        1, "Error: registries must be valid RFC 3986 URI authorities: https://ghcr.io\n")
    r = env.run("auth", "login", "ghcr.io", "-u")
    assert (r.rc, r.err) == (1, "Error: flag needs an argument: 'u' in -u\n")
    r = env.run("auth", "login", "ghcr.io", "--user", "x")
    assert (r.rc, r.err) == (1, "Error: unknown flag: --user\n")


def test_auth_login_rejects_broken_config(env):
    env.docker_config.mkdir()
    env.config_path.write_text('{"auths": {"ghcr.io": {"auth": "bm9jb2xvbg=="}}}')  # "nocolon"
    r = env.run("auth", "login", "ghcr.io", "-u", "x", "-p", "y")
    assert (r.rc, r.err) == (1, "Error: %s: Invalid auth configuration file\n" % env.config_path)


def test_auth_login_with_credential_helper(env, tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "helper.log"
    helper = bindir / "docker-credential-fake"
    helper.write_text("#!/bin/sh\necho \"$1 $(cat)\" >> %s\n" % log)
    helper.chmod(0o755)
    env.docker_config.mkdir()
    env.config_path.write_text('{"credsStore": "fake"}')
    r = env.run("auth", "login", "ghcr.io", "-u", "u", "-p", "p",
                extra={"PATH": "%s:%s" % (bindir, env.vars["PATH"])})
    assert r.rc == 0, r.err
    assert "WARNING" not in r.err
    assert json.loads(log.read_text().split(" ", 1)[1]) == {
        "ServerURL": "ghcr.io", "Username": "u", "Secret": "p"}
    assert json.loads(env.config_path.read_text()) == {"auths": {"ghcr.io": {}}, "credsStore": "fake"}


# --------------------------------------------------------------------------------------
# CLI surface
# --------------------------------------------------------------------------------------

def test_cli_errors_and_help(env):
    r = env.run("manifst", "x")
    assert r.rc == 1
    assert r.err == ('Error: unknown command "manifst" for "crane"\n\nDid you mean this?\n'
                     "\tmanifest\n\nRun 'crane --help' for usage.\n")
    r = env.run("manifest")
    assert (r.rc, r.out, r.err) == (1, b"", "Error: accepts 1 arg(s), received 0\n")
    r = env.run("tag", "a")
    assert (r.rc, r.err) == (1, "Error: accepts 2 arg(s), received 1\n")
    r = env.run("digest", "a", "b")
    assert (r.rc, r.err) == (1, "Error: accepts at most 1 arg(s), received 2\n")
    r = env.run("manifest", "--nope", "x")
    assert (r.rc, r.err) == (1, "Error: unknown flag: --nope\n")
    r = env.run("config", "--platform", "a/b/c/d", "x")
    assert (r.rc, r.err) == (1, 'Error: invalid argument "a/b/c/d" for "--platform" flag: '
                                "too many slashes in platform spec: a/b/c/d\n")
    r = env.run("manifest", "--insecure=maybe", "x")
    assert r.rc == 1 and r.err == ('Error: invalid argument "maybe" for "--insecure" flag: '
                                   'strconv.ParseBool: parsing "maybe": invalid syntax\n')
    r = env.run("auth", "bogus")
    assert (r.rc, r.err) == (1, 'Error: unknown command "bogus" for "crane auth"\n')
    r = env.run("manifest", "Not/Valid:Ref")
    assert (r.rc, r.err) == (1, 'Error: fetching manifest Not/Valid:Ref: parsing reference '
                                '"Not/Valid:Ref": could not parse reference: Not/Valid:Ref\n')
    for args in (["--help"], ["manifest", "--help"], ["help", "tag"], ["tag", "-h"]):
        r = env.run(*args)
        assert r.rc == 0 and r.err == "" and b"Usage:\n  crane" in r.out, args
    r = env.run()
    assert r.rc == 0 and r.out == b"" and "Usage:" in r.err


# --------------------------------------------------------------------------------------
# manifest / config / digest / tag against the real registry
# --------------------------------------------------------------------------------------

def test_manifest_index_as_is_without_newline(authed, content):
    r = authed.run("manifest", "%s/%s:staging-abc1234" % (content.host, content.repo))
    assert (r.rc, r.err) == (0, "")
    assert r.out == content.index  # raw bytes, no trailing newline


def test_manifest_image_and_docker_v2(authed, content):
    r = authed.run("manifest", "%s/%s:plain-oci" % (content.host, content.repo))
    assert (r.rc, r.out, r.err) == (0, content.amd64_manifest, "")
    r = authed.run("manifest", "%s/%s:docker-v2" % (content.host, content.repo))
    assert (r.rc, r.out, r.err) == (0, content.docker_manifest, "")
    r = authed.run("manifest", "%s/%s@%s" % (content.host, content.repo, content.arm64_digest))
    assert (r.rc, r.out) == (0, content.arm64_manifest)


def test_manifest_platform_picks_child(authed, content):
    ref = "%s/%s:staging-abc1234" % (content.host, content.repo)
    r = authed.run("manifest", "--platform", "linux/arm64", ref)
    assert (r.rc, r.out, r.err) == (0, content.arm64_manifest, "")
    r = authed.run("manifest", ref, "--platform=linux/amd64")
    assert (r.rc, r.out, r.err) == (0, content.amd64_manifest, "")
    r = authed.run("manifest", "--platform", "linux/s390x", ref)
    assert (r.rc, r.out) == (1, b"")
    assert r.err == ("Error: fetching manifest %s: no child with platform linux/s390x in index %s\n"
                     % (ref, ref))


def test_config_via_index_skips_attestation(authed, content):
    ref = "%s/%s:staging-abc1234" % (content.host, content.repo)
    r = authed.run("config", ref)
    assert (r.rc, r.out, r.err) == (0, content.amd64_config, "")
    labels = json.loads(r.out)["config"]["Labels"]
    assert labels["org.opencontainers.image.revision"] == "abc1234deadbeef"
    if shutil.which("jq"):
        p = subprocess.run(["jq", "-r", '.config.Labels["org.opencontainers.image.revision"] // empty'],
                           input=r.out, capture_output=True, check=True)
        assert p.stdout == b"abc1234deadbeef\n"
    r = authed.run("config", "--platform", "linux/arm64/v8", ref)
    assert (r.rc, r.out) == (0, content.arm64_config)


def test_config_plain_and_docker(authed, content):
    r = authed.run("config", "%s/%s:plain-oci" % (content.host, content.repo))
    assert (r.rc, r.out, r.err) == (0, content.amd64_config, "")
    r = authed.run("config", "%s/%s:docker-v2" % (content.host, content.repo))
    assert (r.rc, r.out, r.err) == (0, content.docker_config, "")


def test_config_index_without_amd64(authed, content):
    ref = "%s/%s:arm-only" % (content.host, content.repo)
    r = authed.run("config", ref)
    assert (r.rc, r.out) == (1, b"")
    assert r.err == ('Error: fetching config: reading image "%s": no child with platform '
                     "linux/amd64 in index %s\n" % (ref, ref))


def test_digest(authed, content):
    r = authed.run("digest", "%s/%s:staging-abc1234" % (content.host, content.repo))
    assert (r.rc, r.out, r.err) == (0, (content.index_digest + "\n").encode(), "")
    r = authed.run("digest", "--platform", "linux/amd64",
                   "%s/%s:staging-abc1234" % (content.host, content.repo))
    assert (r.rc, r.out, r.err) == (0, (content.amd64_digest + "\n").encode(), "")
    r = authed.run("digest", "--full-ref", "%s/%s:docker-v2" % (content.host, content.repo))
    assert r.out == ("%s/%s@%s\n" % (content.host, content.repo, content.docker_digest)).encode()


def test_missing_tag_errors(authed, content):
    ref = "%s/%s:nope" % (content.host, content.repo)
    url = "https://%s/v2/%s/manifests/nope" % (content.host, content.repo)
    tail = "GET %s: MANIFEST_UNKNOWN: manifest unknown; map[Tag:nope]\n" % url
    r = authed.run("manifest", ref)
    assert (r.rc, r.out, r.err) == (1, b"", "Error: fetching manifest %s: %s" % (ref, tail))
    r = authed.run("config", ref)
    assert (r.rc, r.out, r.err) == (1, b"", 'Error: fetching config: reading image "%s": %s'
                                    % (ref, tail))
    r = authed.run("tag", ref, "latest")
    assert (r.rc, r.out, r.err) == (1, b"", 'Error: fetching "%s": %s' % (ref, tail))
    r = authed.run("digest", ref)
    assert (r.rc, r.out) == (1, b"")
    assert norm(r.err) == (
        "TS HEAD request failed, falling back on GET: HEAD %s: unexpected status code 404 Not Found"
        " (HEAD responses have no body, use GET for details)\nError: %s" % (url, tail))


def test_missing_repository_digest(authed, content):
    ref = "%s/molecule-ai/absent@%s" % (content.host, content.amd64_digest)
    r = authed.run("manifest", ref)
    assert r.rc == 1
    assert r.err.startswith("Error: fetching manifest %s: GET https://%s/v2/molecule-ai/absent/"
                            "manifests/%s: " % (ref, content.host, content.amd64_digest))


def test_tag_copies_bytes_and_content_type(authed, registry, content):
    src = "%s/%s:staging-abc1234" % (content.host, content.repo)
    r = authed.run("tag", src, "latest")
    assert (r.rc, r.out) == (0, b"")
    assert norm(r.err) == "TS %s/%s:latest: digest: %s size: %d\n" % (
        content.host, content.repo, content.index_digest, len(content.index))
    st, hdrs, body = registry.get_manifest(content.repo, "latest")
    assert (st, body, hdrs["Content-Type"]) == (200, content.index, OCI_INDEX)
    assert hdrs["Docker-Content-Digest"] == content.index_digest
    # Retagging is idempotent; then tag a plain image and a docker v2 manifest.
    assert authed.run("tag", src, "latest").rc == 0
    r = authed.run("tag", "%s/%s:docker-v2" % (content.host, content.repo), "docker-copy")
    assert r.rc == 0, r.err
    st, hdrs, body = registry.get_manifest(content.repo, "docker-copy")
    assert (body, hdrs["Content-Type"]) == (content.docker_manifest, DOCKER_MANIFEST)
    r = authed.run("digest", "%s/%s:latest" % (content.host, content.repo))
    assert r.out == (content.index_digest + "\n").encode()
    r = authed.run("config", "%s/%s:latest" % (content.host, content.repo))
    assert r.out == content.amd64_config


def test_tag_by_digest_source(authed, registry, content):
    r = authed.run("tag", "%s/%s@%s" % (content.host, content.repo, content.arm64_digest), "arm")
    assert r.rc == 0, r.err
    assert registry.get_manifest(content.repo, "arm")[2] == content.arm64_manifest


def test_wrong_credentials(env, registry, content):
    env.login(registry.host, password="wrong")
    ref = "%s/%s:plain-oci" % (content.host, content.repo)
    r = env.run("manifest", ref)
    assert (r.rc, r.out) == (1, b"")
    assert r.err == (
        "Error: fetching manifest %s: GET https://%s/v2/%s/manifests/plain-oci: UNAUTHORIZED: "
        "authentication required; [map[Action:pull Class: Name:%s Type:repository]]\n"
        % (ref, content.host, content.repo, content.repo))


def test_anonymous_on_auth_required_registry(env, content):
    ref = "%s/%s:plain-oci" % (content.host, content.repo)
    r = env.run("config", ref)
    assert (r.rc, r.out) == (1, b"")
    assert r.err == (
        'Error: fetching config: reading image "%s": GET https://%s/v2/%s/manifests/plain-oci: '
        "UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:%s Type:repository]]\n"
        % (ref, content.host, content.repo, content.repo))
    r = env.run("tag", ref, "anon")
    assert r.rc == 1 and r.err.startswith('Error: fetching "%s": GET ' % ref)


def test_unknown_ca_falls_back_to_http_then_fails(authed, content):
    ref = "%s/%s:plain-oci" % (content.host, content.repo)
    r = authed.run("manifest", ref, extra={"SSL_CERT_FILE": "/nonexistent/ca.pem"})
    assert r.rc == 1
    assert r.err == (
        'Error: fetching manifest %s: Get "https://%s/v2/": tls: failed to verify certificate: '
        "x509: certificate signed by unknown authority; GET http://%s/v2/: unexpected status "
        "code 400 Bad Request: Client sent an HTTP request to an HTTPS server.\n\n"
        % (ref, content.host, content.host))
    r = authed.run("--insecure", "manifest", ref, extra={"SSL_CERT_FILE": "/nonexistent/ca.pem"})
    assert (r.rc, r.out, r.err) == (0, content.amd64_manifest, "")


def test_ghcr_name_through_https_proxy(env, registry, content):
    """The harness points ghcr.io at the local registry with HTTPS_PROXY + SSL_CERT_FILE."""
    proxy = ConnectProxy(registry.host)
    try:
        env.login("ghcr.io")
        extra = {"HTTPS_PROXY": "http://127.0.0.1:%d" % proxy.port, "NO_PROXY": "example.com"}
        r = env.run("config", "ghcr.io/%s:staging-abc1234" % content.repo, extra=extra)
        assert (r.rc, r.out, r.err) == (0, content.amd64_config, "")
        assert proxy.connects and set(proxy.connects) == {"CONNECT ghcr.io:443 HTTP/1.1"}
        r = env.run("tag", "ghcr.io/%s:staging-abc1234" % content.repo, "via-proxy", extra=extra)
        assert norm(r.err) == "TS ghcr.io/%s:via-proxy: digest: %s size: %d\n" % (
            content.repo, content.index_digest, len(content.index))
        assert registry.get_manifest(content.repo, "via-proxy")[2] == content.index
        r = env.run("manifest", "ghcr.io/%s:nope" % content.repo, extra=extra)
        assert r.err == ("Error: fetching manifest ghcr.io/%s:nope: GET https://ghcr.io/v2/%s/"
                         "manifests/nope: MANIFEST_UNKNOWN: manifest unknown; map[Tag:nope]\n"
                         % (content.repo, content.repo))
    finally:
        proxy.close()


# --------------------------------------------------------------------------------------
# Fault injection: retries, bearer tokens, fallbacks
# --------------------------------------------------------------------------------------

def test_retries_5xx_then_succeeds(env, fake):
    body = b'{"schemaVersion":2,"mediaType":"%s"}' % OCI_MANIFEST.encode()
    calls = {"n": 0}

    def handler(req):
        if req.path == "/v2/":
            return (200, {}, b"")
        calls["n"] += 1
        if calls["n"] <= 2:
            return (503, {"Content-Type": "text/plain"}, b"busy")
        return ok_manifest(body)
    fake.handler = handler
    r = env.run("manifest", "%s/o/img:t" % fake.host)
    assert (r.rc, r.out) == (0, body)
    line = "TS retrying GET https://%s/v2/o/img/manifests/t: unexpected status code 503 " \
           "Service Unavailable: busy\n" % fake.host
    assert norm(r.err) == line * 2
    gets = [r for r in fake.requests if r.path.endswith("/manifests/t")]
    assert len(gets) == 3
    assert gets[0].headers["Accept"] == ACCEPT_ALL
    # Both -X flags of the build: the CLI's version and go-containerregistry's, as upstream's release.
    assert gets[0].headers["User-Agent"] == "crane/v0.20.1 go-containerregistry/v0.20.1"


def test_retries_give_up_after_three_attempts(env, fake):
    def handler(req):
        if req.path == "/v2/":
            return (200, {}, b"")
        return (502, {"Content-Type": "application/json"},
                b'{"errors":[{"code":"UNAVAILABLE","message":"try later","detail":{"n":1.5}}]}')
    fake.handler = handler
    r = env.run("manifest", "%s/o/img:t" % fake.host)
    assert (r.rc, r.out) == (1, b"")
    url = "https://%s/v2/o/img/manifests/t" % fake.host
    # The retry consumed the last body, so the final error has only the status.
    assert norm(r.err) == ("TS retrying GET %s: UNAVAILABLE: try later; map[n:1.5]\n" % url) * 3 + \
        "Error: fetching manifest %s/o/img:t: GET %s: unexpected status code 502 Bad Gateway\n" % (fake.host, url)
    assert len(fake.paths("GET")) == 4  # ping + 3 attempts
    fake.requests.clear()
    fake.handler = lambda req: (200, {}, b"") if req.path == "/v2/" else (404, {}, b"")
    r = env.run("manifest", "%s/o/img:t" % fake.host)
    assert r.err == ("Error: fetching manifest %s/o/img:t: GET https://%s/v2/o/img/manifests/t: "
                     "unexpected status code 404 Not Found\n" % (fake.host, fake.host))
    assert len(fake.paths("GET")) == 2  # 404 is not retried
    fake.requests.clear()
    fake.handler = lambda req: (200, {}, b"") if req.path == "/v2/" else (429, {}, b"")
    r = env.run("manifest", "%s/o/img:t" % fake.host)
    assert r.err.endswith("unexpected status code 429 Too Many Requests\n")
    assert len(fake.paths("GET")) == 2  # 0.20.1 does not retry 429 (later versions do)


def test_dropped_connection_is_retried(env, fake):
    """A drop on the kept-alive connection (after the ping) is redialled silently, as Go's
    transport does for idempotent requests; a drop on a fresh connection is an EOF that the
    retry transport logs and retries."""
    state = {"drops": 0}

    def handler(req):
        if req.path == "/v2/":
            return (200, {}, b"")
        if state["drops"] < 2:
            state["drops"] += 1
            return "drop"
        return ok_manifest()
    fake.handler = handler
    r = env.run("digest", "--platform", "linux/amd64", "%s/o/img:t" % fake.host)
    assert (r.rc, r.out) == (0, (sha(b'{"schemaVersion":2}') + "\n").encode())
    assert norm(r.err) == "TS retrying EOF\n"
    assert len([p for p in fake.paths() if p.endswith("/manifests/t")]) == 3


def test_bearer_token_flow(env, fake):
    tokens = {"pull": "tok-pull", "push": "tok-push"}
    body = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}).encode()
    puts = []

    def handler(req):
        if req.path == "/v2/":
            return (401, {"WWW-Authenticate": 'Bearer realm="https://%s/token",service="fake.io"'
                          % fake.host}, b'{"errors":[{"code":"UNAUTHORIZED","message":"x"}]}')
        if req.path.startswith("/token?"):
            if req.headers.get("Authorization") != "Basic " + base64.b64encode(b"bot:pw").decode():
                return (401, {}, b'{"errors":[{"code":"UNAUTHORIZED","message":"bad creds"}]}')
            scope = parse_qs(urlsplit(req.path).query)["scope"][0]
            return (200, {}, json.dumps({"token": tokens["push" if "push" in scope else "pull"]})
                    .encode())
        auth = req.headers.get("Authorization")
        if req.method == "PUT":
            if auth != "Bearer tok-push":
                return (401, {"WWW-Authenticate": 'Bearer realm="x"'}, b"")
            puts.append(req)
            return (201, {"Docker-Content-Digest": sha(req.body)}, b"")
        if auth != "Bearer tok-pull":
            return (401, {}, b"")
        return ok_manifest(body, OCI_INDEX)
    fake.handler = handler
    env.login(fake.host, "bot", "pw")
    r = env.run("tag", "%s/o/img:src" % fake.host, "dst")
    assert r.rc == 0, r.err
    assert norm(r.err) == "TS %s/o/img:dst: digest: %s size: %d\n" % (fake.host, sha(body), len(body))
    token_queries = [p.split("?", 1)[1] for p in fake.paths() if p.startswith("/token")]
    assert token_queries == ["scope=repository%3Ao%2Fimg%3Apull&service=fake.io",
                             "scope=repository%3Ao%2Fimg%3Apush%2Cpull&service=fake.io"]
    assert [(p.path, p.headers["Content-Type"], p.body) for p in puts] == [
        ("/v2/o/img/manifests/dst", OCI_INDEX, body)]
    # Anonymous: the token endpoint refuses, crane warns and fails.
    env.config_path.unlink()
    r = env.run("manifest", "%s/o/img:src" % fake.host)
    assert r.rc == 1
    assert norm(r.err) == (
        'TS No matching credentials were found for "%s"\n'
        "Error: fetching manifest %s/o/img:src: GET https://%s/token?scope=repository%%3Ao%%2Fimg"
        "%%3Apull&service=fake.io: UNAUTHORIZED: bad creds\n" % (fake.host, fake.host, fake.host))


def test_head_failure_falls_back_to_get(env, fake):
    def handler(req):
        if req.path == "/v2/":
            return (200, {}, b"")
        if req.method == "HEAD":
            return (405, {}, b"")
        return ok_manifest(b"{}")
    fake.handler = handler
    r = env.run("digest", "%s/o/img:t" % fake.host)
    assert (r.rc, r.out) == (0, (sha(b"{}") + "\n").encode())
    assert norm(r.err) == (
        "TS HEAD request failed, falling back on GET: HEAD https://%s/v2/o/img/manifests/t: "
        "unexpected status code 405 Method Not Allowed (HEAD responses have no body, use GET "
        "for details)\n" % fake.host)


def test_put_is_retried_and_warning_headers_reported(env, fake):
    """The PUT is retried by remote's writer, 1 s later (its backoff is 1 s, then 3 s)."""
    state = {"puts": 0}
    put_times = []

    def handler(req):
        if req.path == "/v2/":
            return (200, {}, b"")
        if req.method == "PUT":
            put_times.append(time.monotonic())
            state["puts"] += 1
            if state["puts"] == 1:
                return (500, {}, b"")
            return (201, {"Warning": '299 - "this registry is deprecated"'}, b"")
        return ok_manifest(b'{"mediaType":"x"}', "application/vnd.docker.distribution.manifest.v2+json")
    fake.handler = handler
    r = env.run("tag", "%s/o/img:a" % fake.host, "b", extra={"NO_COLOR": "1"})
    assert r.rc == 0, r.err
    assert norm(r.err) == (
        "TS retrying PUT https://%s/v2/o/img/manifests/b: unexpected status code 500 Internal "
        "Server Error\nTS %s/o/img:b: digest: %s size: 17\n[WARNING]: this registry is deprecated\n"
        % (fake.host, fake.host, sha(b'{"mediaType":"x"}')))
    assert state["puts"] == 2
    assert 1.0 <= put_times[1] - put_times[0] <= 1.8
    assert {r.headers["Content-Type"] for r in fake.requests if r.method == "PUT"} == {DOCKER_MANIFEST}


def test_config_blob_digest_is_verified(env, fake):
    cfg = b'{"config":{}}'
    manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": {
        "mediaType": OCI_CONFIG, "digest": sha(cfg), "size": len(cfg)}, "layers": []}).encode()

    def handler(req):
        if req.path == "/v2/":
            return (200, {}, b"")
        if "/blobs/" in req.path:
            return (200, {}, b'{"config":{X}')
        return ok_manifest(manifest)
    fake.handler = handler
    r = env.run("config", "%s/o/img:t" % fake.host)
    assert r.rc == 1
    assert r.err == ('Error: fetching config: error verifying sha256 checksum after reading 13 '
                     'bytes; got "%s", want "%s"\n' % (sha(b'{"config":{X}'), sha(cfg)))


def test_plain_http_registry_on_loopback(env, pki):
    """127.0.0.1:* tries https first, then falls back to http (transport.Ping)."""
    plain = FakeRegistry(pki, tls=False)
    try:
        body = b'{"schemaVersion":2}'
        plain.handler = lambda req: (200, {}, b"") if req.path == "/v2/" else ok_manifest(body)
        r = env.run("manifest", "%s/o/img:t" % plain.host)
        assert (r.rc, r.out, r.err) == (0, body, "")
        assert plain.paths() == ["/v2/", "/v2/o/img/manifests/t"]
        # A name that is not local never falls back to http.
        r = env.run("manifest", "ghcr.io/o/img:t",
                    extra={"HTTPS_PROXY": "http://%s" % plain.host})
        assert r.rc == 1 and r.err.startswith('Error: fetching manifest ghcr.io/o/img:t: '
                                              'Get "https://ghcr.io/v2/": ')
    finally:
        plain.close()


def test_blob_redirect_to_other_host_drops_credentials(env, fake):
    cfg = b'{"config":{"Labels":{"org.opencontainers.image.revision":"r1"}}}'
    manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": {
        "mediaType": OCI_CONFIG, "digest": sha(cfg), "size": len(cfg)}, "layers": []}).encode()
    port = fake.host.split(":")[1]

    def handler(req):
        if req.path == "/v2/":
            return (401, {"WWW-Authenticate": 'Basic realm="r"'}, b"")
        if req.path.startswith("/v2/") and req.headers.get("Authorization") is None:
            return (401, {}, b"")
        if "/blobs/" in req.path:
            return (307, {"Location": "https://localhost:%s/store/cfg?X-Sig=secret" % port}, b"")
        if req.path.startswith("/store/"):
            return (200, {}, cfg)
        return ok_manifest(manifest)
    fake.handler = handler
    env.login(fake.host, "u", "p")
    r = env.run("config", "%s/o/img:t" % fake.host)
    assert (r.rc, r.out, r.err) == (0, cfg, "")
    store = [q for q in fake.requests if q.path.startswith("/store/")]
    assert len(store) == 1 and store[0].headers.get("Authorization") is None
    assert store[0].headers["Host"] == "localhost:%s" % port


def test_get_backoff_is_a_tenth_then_three_tenths(env, fake):
    """Reads are retried by the transport (transport.defaultBackoff): three attempts, 0.1 s then 0.3 s
    apart (+ up to 10 % jitter). Only the manifest PUT uses remote's 1 s / 3 s backoff."""
    seen = []

    def handler(req):
        if req.path == "/v2/":
            return (200, {}, b"")
        seen.append(time.monotonic())
        return (504, {}, b"")
    fake.handler = handler
    r = env.run("manifest", "%s/o/img:t" % fake.host)
    assert r.rc == 1 and r.err.count("retrying GET") == 3 and "504 Gateway Timeout" in r.err
    gaps = [b - a for a, b in zip(seen, seen[1:])]
    assert len(gaps) == 2 and 0.1 <= gaps[0] <= 0.6 and 0.3 <= gaps[1] <= 0.9, gaps
