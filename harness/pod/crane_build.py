"""Build the real crane from Debian trixie's sources, on the host, into `promote-gen/crane:<key>`.

Trixie ships go-containerregistry 0.20.1's source (`golang-github-google-go-containerregistry-dev`)
and Go 1.24, whose toolchain is statically linked. With cgo off, building crane needs only files:
the toolchain, the standard library's source and the Go source packages crane imports. So there is
no chroot and nothing to mount: apt downloads exactly those .debs into a private apt directory
(signatures and hashes checked against trixie's index), `dpkg-deb -x` unpacks them into a temp tree
(no maintainer scripts), and the tree's `go` builds crane with GOROOT and GOPATH inside the tree.
Only the binary is kept, imported as an image holding that one file; the tree is removed on success,
failure and Ctrl-C. The build runs in a worker thread, so the base image can build meanwhile and a
second Ctrl-C in the main thread cannot cut the removal short.

Nothing is cached between builds but the image: the downloads cost about 2 s here, and a rebuild
happens only when the recipe below changes.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from docker.errors import ImageNotFound

from .layout import EngineError

CRANE_VERSION = "v0.20.1"
SUITE = "trixie"
MIRROR = "http://deb.debian.org/debian"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
SOURCE = "golang-github-google-go-containerregistry-dev"
SOURCE_VERSION = "0.20.1+"  # Debian's version of SOURCE must start with this (0.20.1+ds1-1 in trixie)
TOOLCHAIN = ("golang-1.24-go", "golang-1.24-src")
GOROOT = "usr/lib/go-1.24"
GOPATH = "usr/share/gocode"
# The Debian packages that hold what cmd/crane imports on linux/amd64 (`go list -deps` against the
# whole Depends closure of SOURCE, 459 packages and 212 MB: these and the toolchain are 20 and 87 MB).
# If a trixie update adds an import, the build notices and falls back to that whole closure.
IMPORTS = (
    SOURCE,
    "golang-github-cespare-xxhash-dev",
    "golang-github-containerd-stargz-snapshotter-dev",
    "golang-github-docker-distribution-dev",
    "golang-github-docker-docker-credential-helpers-dev",
    "golang-github-docker-docker-dev",  # carries github.com/docker/cli/cli/config too
    "golang-github-google-go-cmp-dev",
    "golang-github-klauspost-compress-dev",
    "golang-github-mitchellh-go-homedir-dev",
    "golang-github-opencontainers-go-digest-dev",
    "golang-github-opencontainers-image-spec-dev",
    "golang-github-pkg-errors-dev",
    "golang-github-sirupsen-logrus-dev",
    "golang-github-spf13-cobra-dev",
    "golang-github-spf13-pflag-dev",
    "golang-github-vbatts-tar-split-dev",
    "golang-golang-x-sync-dev",
    "golang-golang-x-sys-dev",
)
MAIN = "github.com/google/go-containerregistry/cmd/crane"
# As upstream's releases: stripped, and the version in both the CLI and the User-Agent.
LDFLAGS = " ".join([
    "-s", "-w",
    f"-X github.com/google/go-containerregistry/cmd/crane/cmd.Version={CRANE_VERSION}",
    f"-X github.com/google/go-containerregistry/pkg/v1/remote/transport.Version={CRANE_VERSION}",
])
GO_ENV = {"CGO_ENABLED": "0", "GOOS": "linux", "GOARCH": "amd64", "GO111MODULE": "off", "GOTOOLCHAIN": "local",
          "GOFLAGS": "-buildvcs=false -trimpath", "GOPROXY": "off", "GOENV": "off"}
PATH_IN_IMAGE = "/crane"
# Not unpacked: go build reads none of it, and it is half the tree's files (tests, test data, docs).
UNPACK_EXCLUDE = ("*_test.go", "testdata", "./usr/share/doc", "./usr/share/man", "./usr/share/go-1.24/test",
                  "./usr/share/go-1.24/api")
# The tree goes to RAM when there is room: unpacking takes 3 s there against 5-11 s on a busy disk,
# and removing it 0.1 s against 2-5 s, which is what a Ctrl-C waits for.
RAM_DIR, RAM_NEEDED = "/dev/shm", 3 << 30
LABEL = "promote-gen.image"
VERSION_LABEL = "promote-gen.version.crane"
HEARTBEAT = 10.0  # seconds between progress lines while compiling

Progress = Callable[[str], None]


class BuildError(EngineError):
    pass


class Cancelled(BuildError):
    pass


def recipe() -> dict:
    """Everything the binary depends on; its hash names the image."""
    return {"format": 1, "suite": SUITE, "source": [SOURCE, SOURCE_VERSION], "toolchain": TOOLCHAIN,
            "packages": IMPORTS, "main": MAIN, "ldflags": LDFLAGS, "env": GO_ENV, "path": PATH_IN_IMAGE}


def image_tag() -> str:
    key = hashlib.sha256(json.dumps(recipe(), sort_keys=True).encode()).hexdigest()[:16]
    return f"promote-gen/crane:{key}"


class Job:
    """`ensure` in a worker thread: start it, do other work, then `result()` for the image tag.

    A Ctrl-C (or any error) in the caller must reach `result()` or `cancel()`: both stop the build's
    processes and wait until its temp tree is gone.
    """

    def __init__(self, client, progress: Progress):
        self.client, self.progress, self.tag = client, progress, image_tag()
        self.error: BaseException | None = None
        self.built: Builder | None = None
        self.thread: threading.Thread | None = None
        # Waited on instead of Thread.join: a Ctrl-C inside join() makes CPython (3.11, 3.12) think the
        # thread has ended while it still runs.
        self.done = threading.Event()

    def start(self) -> "Job":
        if _exists(self.client, self.tag):
            self.progress(f"crane    {self.tag}: cached")
            return self
        self.built = Builder(self.client, self.tag, self.progress)
        self.thread = threading.Thread(target=self._work, name="crane-build", daemon=True)
        self.thread.start()
        return self

    def _work(self) -> None:
        try:
            self.built.run()
        except BaseException as exc:  # handed to the caller's thread by result()
            self.error = exc
        finally:
            self.done.set()

    def result(self) -> str:
        try:
            while self.thread and not self.done.wait(0.2):
                pass
        except BaseException:
            self.cancel()
            raise
        if self.error:
            raise self.error
        return self.tag

    def cancel(self) -> None:
        """Stop the build and wait until its tree is removed; further Ctrl-Cs do not cut this short."""
        if not self.thread:
            return
        deadline = time.monotonic() + 1.0
        while not self.done.is_set():
            try:
                self.built.cancel(kill=time.monotonic() > deadline)
                self.done.wait(0.1)
            except KeyboardInterrupt:
                continue


class Builder:
    def __init__(self, client, tag: str, progress: Progress):
        self.client, self.tag, self.progress = client, tag, progress
        self.cancelled = threading.Event()
        self.procs: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.facts: dict[str, str] = {}

    def say(self, text: str, since: float | None = None) -> None:
        tail = f" ({time.monotonic() - since:.1f} s)" if since is not None else ""
        self.progress(f"crane    {text}{tail}")

    def cancel(self, kill: bool = False) -> None:
        """Signal our processes (TERM, or KILL); never blocks, so any thread may call it."""
        self.cancelled.set()
        with self.lock:
            procs = list(self.procs)
        for proc in procs:
            _signal_group(proc, signal.SIGKILL if kill else signal.SIGTERM)

    # the build -------------------------------------------------------------------------------

    def run(self) -> None:
        started = time.monotonic()
        self.say(f"{self.tag}: building crane {CRANE_VERSION} from Debian {SUITE}'s source …")
        tmp = Path(tempfile.mkdtemp(prefix="promote-gen-crane-build-", dir=_build_dir()))
        try:
            tree, env, packages = self.sources(tmp)
            binary = tmp / "crane"
            self.compile(tree, env, binary, packages)
            t = time.monotonic()
            self.verify(binary)
            self.import_image(binary)
            self.say(f"image: {self.tag} holds {PATH_IN_IMAGE} (`crane version`: {CRANE_VERSION})", t)
        finally:
            with self.lock:
                self.cancelled.set()
                procs = list(self.procs)
            for proc in procs:  # no process of ours may still write into the tree
                _kill_group(proc)
            shutil.rmtree(tmp, ignore_errors=True)
        self.say(f"{self.tag}: built in {time.monotonic() - started:.1f} s; build tree removed")

    def sources(self, tmp: Path) -> tuple[Path, dict, int]:
        """Download and unpack the toolchain and crane's sources: (tree, go's environment, packages)."""
        apt, tree = Apt(tmp / "apt", self), tmp / "tree"
        tree.mkdir()
        t = time.monotonic()
        apt.update()
        self.say(f"index: {SUITE} main", t)
        t = time.monotonic()
        wanted = (*TOOLCHAIN, *IMPORTS)
        versions, size = apt.versions(wanted)
        if not versions[SOURCE].startswith(SOURCE_VERSION):
            raise BuildError(f"Debian {SUITE} now has {SOURCE} {versions[SOURCE]}, not crane {CRANE_VERSION}: "
                             f"update CRANE_VERSION and SOURCE_VERSION in {Path(__file__).name}")
        debs = apt.download(wanted, tmp / "debs")
        self.say(f"download: {len(debs)} packages, {size / 1e6:.1f} MB", t)
        t = time.monotonic()
        self.unpack(debs, tree)
        self.say(f"unpack: {_tree_size(tree) / 1e6:.0f} MB tree", t)
        self.facts = {"source": f"{SOURCE} {versions[SOURCE]}", "go": (tree / GOROOT / "VERSION").read_text().split()[0]}
        env = self.go_env(tree, tmp)
        t = time.monotonic()
        packages, missing = self.imports(tree, env)
        if missing:
            self.say(f"check: {len(missing)} imports not in the listed packages ({', '.join(missing[:3])} …); "
                     f"adding {SOURCE}'s whole Depends closure")
            extra = [p for p in apt.closure(SOURCE) if p not in wanted]
            self.unpack(apt.download(extra, tmp / "debs-more"), tree)
            packages, missing = self.imports(tree, env)
            if missing:
                raise BuildError(f"crane's imports not found in Debian {SUITE}: {', '.join(missing)}")
            self.say(f"check: found them in {len(extra)} more packages; update IMPORTS in {Path(__file__).name}", t)
        else:
            self.say(f"check: all {packages} packages {MAIN} needs are there", t)
        return tree, env, packages

    def unpack(self, debs: list[Path], tree: Path) -> None:
        """`dpkg-deb -x` without the files go build never reads; no maintainer script runs."""
        # Largest first, two at a time: dpkg-deb spends its time in xz, one core each.
        order = sorted(debs, key=lambda p: p.stat().st_size, reverse=True)
        excludes = " ".join(f"--exclude='{pattern}'" for pattern in UNPACK_EXCLUDE)
        script = f'set -o pipefail; dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" {excludes}'
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda deb: self.call(["bash", "-c", script, "unpack", str(deb), str(tree)]), order))

    def go_env(self, tree: Path, tmp: Path) -> dict[str, str]:
        (tmp / "gotmp").mkdir()
        return {**GO_ENV, "GOROOT": str(tree / GOROOT), "GOPATH": str(tree / GOPATH), "GOCACHE": str(tmp / "gocache"),
                "GOTMPDIR": str(tmp / "gotmp"), "HOME": str(tmp), "TMPDIR": str(tmp / "gotmp"),
                "PATH": f"{tree / GOROOT / 'bin'}:/usr/bin:/bin", "LC_ALL": "C"}

    def imports(self, tree: Path, env: dict) -> tuple[int, list[str]]:
        """(packages to compile, imports no unpacked package provides)."""
        out = self.call([str(tree / GOROOT / "bin" / "go"), "list", "-e", "-deps",
                         "-f", "{{.ImportPath}} {{if .Error}}missing{{end}}", MAIN], env=env)
        rows = [line.split() for line in out.splitlines() if line.strip()]
        return len(rows), sorted(r[0] for r in rows if len(r) > 1)

    def compile(self, tree: Path, env: dict, binary: Path, packages: int) -> None:
        started = time.monotonic()
        self.say(f"compile: {self.facts['go']}, cgo off …")
        argv = [str(tree / GOROOT / "bin" / "go"), "build", "-v", "-ldflags", LDFLAGS, "-o", str(binary), MAIN]
        built, last = 0, started
        proc = self.spawn(argv, env=env, stderr=subprocess.STDOUT)
        lines = []
        for line in proc.stdout:
            lines.append(line)
            built += 1
            if time.monotonic() - last >= HEARTBEAT:
                last = time.monotonic()
                self.say(f"compile: {built}/{packages} packages", started)
        self.finish(proc, argv, "".join(lines[-15:]))
        self.say(f"compile: {binary.stat().st_size / 1e6:.1f} MB static binary", started)

    def verify(self, binary: Path) -> None:
        got = self.call([str(binary), "version"], env={"PATH": "/usr/bin:/bin", "HOME": str(binary.parent)}).strip()
        if got != CRANE_VERSION:
            raise BuildError(f"the built crane says its version is {got!r}, not {CRANE_VERSION}")

    def import_image(self, binary: Path) -> None:
        import tarfile  # only when an image or a layer is made

        if self.cancelled.is_set():
            raise Cancelled("crane build cancelled")
        archive = binary.with_suffix(".tar")
        with tarfile.open(archive, "w") as tar:
            info = tar.gettarinfo(str(binary), arcname=PATH_IN_IMAGE.lstrip("/"))
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mode, info.mtime = 0o755, 0
            with binary.open("rb") as f:
                tar.addfile(info, f)
        repository, _, version = self.tag.partition(":")
        changes = [f"LABEL {LABEL}=crane", f"LABEL {VERSION_LABEL}={CRANE_VERSION}",
                   f'LABEL promote-gen.crane.source="{self.facts["source"]}"',
                   f"LABEL promote-gen.crane.go={self.facts['go']}"]
        self.client.api.import_image(src=str(archive), repository=repository, tag=version, changes=changes)

    # processes -------------------------------------------------------------------------------

    def spawn(self, argv: list[str], env: dict | None = None, cwd: Path | None = None,
              stderr=subprocess.PIPE) -> subprocess.Popen:
        with self.lock:
            if self.cancelled.is_set():
                raise Cancelled("crane build cancelled")
            # Its own process group, so cancel() stops go's compiler children too.
            proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=stderr, text=True, start_new_session=True)
            self.procs.add(proc)
        return proc

    def finish(self, proc: subprocess.Popen, argv: list[str], output: str) -> None:
        code = proc.wait()
        with self.lock:
            self.procs.discard(proc)
        if self.cancelled.is_set():
            raise Cancelled("crane build cancelled")
        if code != 0:
            tail = "\n".join(output.splitlines()[-15:])
            raise BuildError(f"{Path(argv[0]).name} {argv[1] if len(argv) > 1 else ''} failed (exit {code}):\n{tail}")

    def call(self, argv: list[str], env: dict | None = None, cwd: Path | None = None) -> str:
        proc = self.spawn(argv, env=env, cwd=cwd)
        out, err = proc.communicate()
        self.finish(proc, argv, out + err)
        return out


class Apt:
    """apt on the host, pointed at a private directory that knows only trixie's main index."""

    def __init__(self, root: Path, builder: Builder):
        self.root, self.builder = root, builder
        for sub in ("etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
                    "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        (root / "var/lib/dpkg/status").touch()
        (root / "etc/apt/sources.list").write_text(f"deb [signed-by={KEYRING}] {MIRROR} {SUITE} main\n")
        _let_apt_write(root)
        self.options = ["-o", f"Dir={root}", "-o", f"Dir::State::status={root}/var/lib/dpkg/status",
                        "-o", "APT::Architecture=amd64", "-o", "Acquire::Languages=none", "-q"]

    def update(self) -> None:
        if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
            raise BuildError("building crane needs apt-get and dpkg-deb (a Debian host)")
        self.builder.call(["apt-get", *self.options, "update"])

    def versions(self, packages) -> tuple[dict[str, str], int]:
        out = self.builder.call(["apt-cache", *self.options, "show", "--no-all-versions", *packages])
        versions, size, name = {}, 0, None
        for line in out.splitlines():
            key, _, value = line.partition(": ")
            if key == "Package":
                name = value
            elif key == "Version":
                versions[name] = value
            elif key == "Size":
                size += int(value)
        absent = [p for p in packages if p not in versions]
        if absent:
            raise BuildError(f"Debian {SUITE} has no {', '.join(absent)}")
        return versions, size

    def download(self, packages, into: Path) -> list[Path]:
        into.mkdir()
        _let_apt_write(into)
        if packages:
            self.builder.call(["apt-get", *self.options, "download", *packages], cwd=into)
        return sorted(into.glob("*.deb"))

    def closure(self, package: str) -> list[str]:
        out = self.builder.call(["apt-get", *self.options, "install", "-s", "--no-install-recommends", package])
        return [line.split()[1] for line in out.splitlines() if line.startswith("Inst ")]


def _let_apt_write(path: Path) -> None:
    """apt downloads as the unprivileged `_apt` user when run as root; let it write here."""
    if os.geteuid() != 0:
        return
    try:
        for p in [path, *path.rglob("*")]:
            shutil.chown(p, user="_apt")
    except (LookupError, OSError):
        pass  # no _apt user: apt then downloads as root and says so


def _kill_group(proc: subprocess.Popen) -> None:
    """Stop the process and whatever it started (its own process group)."""
    if proc.poll() is None:
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(1.0)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
    _signal_group(proc, signal.SIGKILL)  # children the leader left behind


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _build_dir() -> str | None:
    """RAM_DIR when it has room for the tree (and the fallback's bigger one), else the temp dir."""
    try:
        st = os.statvfs(RAM_DIR)
        if st.f_bavail * st.f_frsize >= RAM_NEEDED and os.access(RAM_DIR, os.W_OK):
            return RAM_DIR
    except OSError:
        pass
    return None


def _tree_size(tree: Path) -> int:
    return sum(f.stat().st_size for f in tree.rglob("*") if f.is_file() and not f.is_symlink())


def _exists(client, tag: str) -> bool:
    try:
        client.images.get(tag)
        return True
    except ImageNotFound:
        return False


def extract(client, tag: str, into: Path) -> Path:
    """Copy the binary out of the image (for tests that run it on the host); returns its path."""
    import tarfile  # only here and when an image is made

    container = client.containers.create(tag, command=["/crane"], network_mode="none")
    try:
        bits, _ = container.get_archive(PATH_IN_IMAGE)
        with tarfile.open(fileobj=io.BytesIO(b"".join(bits))) as tar:
            tar.extract(Path(PATH_IN_IMAGE).name, path=into, filter="data")
    finally:
        container.remove(force=True)
    target = into / Path(PATH_IN_IMAGE).name
    target.chmod(0o755)
    return target
