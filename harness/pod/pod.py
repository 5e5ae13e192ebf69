"""The pod: the registry, the agent (GitHub API stub + registry front) and the first runner in one
container, further runners in containers joining its loopback-only network namespace. Everything it
creates is labelled and removed on exit.
"""
from __future__ import annotations

import concurrent.futures
import functools
import http.client
import json
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

from docker.errors import APIError, NotFound

from harness.podagent.client import AdminCallError, AdminClient

from . import engine, owner, tls
from .images import AGENT_LIB, REGISTRY_BINARY, Images
from harness.world import registries

from .layout import (CA_IN_RUNNER, PID_LABEL, REGISTRY_UPSTREAM, RUN_LABEL, RUNNER_HOME, EngineError, ExecResult,
                     host_addresses)
from .worker import Worker

CAPTURE_SOURCE = Path(__file__).resolve().parent / "capture.py"
CAPTURE_DIR = "/opt/promote-gen/exec"  # in each runner: capture.py and the output files it writes

POD_DIR = "/pod"  # the pod's temp dir in the first runner, for the registry and the agent
REGISTRY_CONFIG = """\
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {root}/registry-data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: {addr}
  host: https://ghcr.io
  secret: promote-gen-pod
"""


# The first runner's main process: the registry in the background, the agent in the foreground. The
# agent's package is in the runner image, compiled; it needs nothing outside the standard library,
# so Python starts without site (-S). Set inline: the container's env would reach every step.
SERVE = ["sh", "-c", f"{REGISTRY_BINARY} serve {POD_DIR}/registry.yml & "
                     f"cd {AGENT_LIB} && exec python3 -S -B -m podagent --config {POD_DIR}/agent.json"]
SLEEP = ["sleep", "infinity"]  # a further runner's main process: jobs run in it through docker exec

SOCKET_PATH_MAX = 107  # sun_path holds 108 bytes, the last one the terminating NUL


class Pod:
    """Use as a context manager; `close()` runs on success, failure and Ctrl-C."""

    def __init__(self, images: Images, runners: int = 1, registry_hosts: list[str] | None = None):
        self.images = images
        self.registry_hosts = played_hosts(registry_hosts)
        self.run_id = f"pg-{uuid.uuid4().hex[:10]}"
        self.dir = Path(tempfile.gettempdir()) / f"promote-gen-{self.run_id}"  # made by start(), under its guard
        longest = len(str(self.dir / "exec" / "99" / "worker-999999.sock").encode())
        if longest > SOCKET_PATH_MAX:  # refused before anything starts, not a traceback from bind()
            raise EngineError(f"{tempfile.gettempdir()}: a temp folder with a shorter path (the pod's unix sockets "
                              f"would need {longest} bytes, at most {SOCKET_PATH_MAX} fit); set TMPDIR to one")
        self.runner_count = runners
        self._saved: dict[str, dict] = {}  # registry snapshots: key → the repositories tree (_read_tree)
        self._faults_sent: list[str] = []  # the faults of the world last set, as `fault_counts` keys them
        self.client = engine.client()
        self.containers: dict[str, object] = {}
        self.agent = AdminClient(str(self.dir / "run" / "agent.sock"))
        self._spare_workers: dict[int, concurrent.futures.Future] = {}
        self._spawner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="worker-spawn")
        self._workers_started = 0
        self._previous_term = None
        self._recorded = False  # start() ended: every container made is in self.containers

    def fits(self, images: Images, runners: int, registry_hosts: list[str] | None) -> bool:
        """The pod `Pod(images, runners, registry_hosts)` would be."""
        return (self.images, self.runner_count, self.registry_hosts) == (images, runners, played_hosts(registry_hosts))

    # lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> "Pod":
        self._previous_term = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.close()
        finally:
            signal.signal(signal.SIGTERM, self._previous_term or signal.SIG_DFL)

    def start(self, starting: threading.Event | None = None) -> None:
        """`starting` (optional) is set once the engine has been asked to start the first container."""
        pid, started = owner.me()
        self.dir.mkdir(mode=0o700)
        (self.dir / owner.OWNER_FILE).write_text(f"{pid} {started}\n")
        self._write_files()
        labels = {RUN_LABEL: self.run_id, PID_LABEL: pid, owner.PID_START_LABEL: started}
        # The first runner also runs the registry and the agent: one container start on the pod's
        # way up (a start cost 155-185 ms, measured), where containers joining another's network
        # namespace could only start once it runs. The further runners join the first's.
        self._create_runner(0, labels, "none")
        shared = f"container:{self.containers['runner0'].id}"
        first_up: concurrent.futures.Future = concurrent.futures.Future()

        def start_first() -> None:
            try:
                if starting is not None:
                    starting.set()
                self._start("runner0")
            except BaseException as exc:
                first_up.set_exception(exc)
                raise
            first_up.set_result(None)

        def further(slot: int) -> Callable[[], None]:
            def go() -> None:
                role = self._create_runner(slot, labels, shared)
                first_up.result()  # raises when the first did not start
                self._start(role)
            return go

        _all_at_once([start_first] + [further(slot) for slot in range(1, self.runner_count)])
        for slot in range(self.runner_count):  # each slot's first worker starts while the agent comes up
            self._spare_workers[slot] = self._spawner.submit(self._spawn_worker, slot)
        self._wait_for_agent()
        self._recorded = True

    def _create_runner(self, slot: int, labels: dict, network: str) -> str:
        """Runner 0 also serves (SERVE, the pod's temp dir mounted); the others only run jobs."""
        serves = slot == 0
        home = self.dir / "runners" / str(slot)
        home.mkdir(parents=True)
        (self.dir / "exec" / str(slot)).mkdir(parents=True)
        # No seccomp filter in the runner: runc installs it on every exec, which cost 69 ms
        # against 48 ms per step (measured). GitHub's runners are VMs without one either.
        return self._create(f"runner{slot}", self.images.runner, SERVE if serves else SLEEP, labels, network=network,
                            volumes={str(home): {"bind": RUNNER_HOME, "mode": "rw"},
                                     str(self.dir / "tls" / "ca.pem"): {"bind": CA_IN_RUNNER, "mode": "ro"},
                                     str(self.dir / "exec" / str(slot)): {"bind": CAPTURE_DIR, "mode": "rw"},
                                     str(CAPTURE_SOURCE): {"bind": "/opt/promote-gen/capture.py", "mode": "ro"},
                                     **({str(self.dir): {"bind": POD_DIR, "mode": "rw"}} if serves else {})},
                            security_opt=["seccomp=unconfined"])

    def close(self) -> None:
        """Remove every container and the temp dir; a Ctrl-C or SIGTERM meanwhile waits for the end."""
        with owner.SignalsDeferred():
            self._remove_all()

    def _remove_all(self) -> None:
        # By label too, unless start() ended (keeping every container it made): a Ctrl-C can land
        # after the engine created a container but before we kept it.
        found = {} if self._recorded else {c.id: c for c in self.client.containers.list(
            all=True, filters={"label": f"{RUN_LABEL}={self.run_id}"}, ignore_removed=True)}
        # A worker still being started ahead fails once its container is gone: no need to wait for
        # it before the removals, only for its end before the temp dir goes.
        _all_at_once([functools.partial(self._spawner.shutdown, wait=True, cancel_futures=True)]
                     + [functools.partial(_remove, c) for c in {**found, **{c.id: c for c in self.containers.values()}}.values()])
        for ahead in self._spare_workers.values():
            if not ahead.cancelled() and ahead.exception() is None:
                ahead.result().close()
        self._spare_workers.clear()
        self.containers.clear()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _create(self, role: str, image: str, command: list[str], labels: dict, network: str,
                volumes: dict, security_opt=None) -> str:
        """Create (not start) the container for `role`; returns the role. One engine call: the model
        is made from what we sent, not read back."""
        volumes = {**volumes,
                   str(self.dir / "hosts"): {"bind": "/etc/hosts", "mode": "ro"},
                   str(self.dir / "resolv.conf"): {"bind": "/etc/resolv.conf", "mode": "ro"}}
        api = self.client.api
        labels = {**labels, "promote-gen.role": role}
        created = api.create_container(
            image, command, name=f"{self.run_id}-{role}", labels=labels,
            hostname=None if network.startswith("container:") else "pod",
            host_config=api.create_host_config(network_mode=network, binds=volumes, security_opt=security_opt))
        self.containers[role] = self.client.containers.prepare_model({"Id": created["Id"], "Config": {"Labels": labels}})
        return role

    def _start(self, role: str) -> None:
        self.client.api.start(self.containers[role].id)

    def _write_files(self) -> None:
        (self.dir / "run").mkdir()
        (self.dir / "registry-data").mkdir()
        addresses = host_addresses(self.registry_hosts)
        certs = tls.make(self.dir / "tls", list(addresses))
        hosts = "127.0.0.1 localhost pod\n::1 localhost\n" + "".join(f"{ip} {h}\n" for h, ip in addresses.items())
        (self.dir / "hosts").write_text(hosts)
        (self.dir / "resolv.conf").write_text("# the pod has no DNS: names outside /etc/hosts do not resolve\n")
        (self.dir / "registry.yml").write_text(REGISTRY_CONFIG.format(addr=REGISTRY_UPSTREAM, root=POD_DIR))
        inside = lambda p: f"{POD_DIR}/{p.relative_to(self.dir)}"  # noqa: E731

        def endpoint(host: str, port: int) -> dict:
            return {"host": addresses[host], "port": port, "cert": inside(certs[host][0]), "key": inside(certs[host][1])}

        fronts = []
        for public in self.registry_hosts:
            name, _, port = public.partition(":")
            fronts.append({**endpoint(name, int(port or 443)), "upstream": REGISTRY_UPSTREAM, "public_host": public,
                           "prefix": registries.storage_prefix(public)})
        agent = {
            "api": endpoint("api.github.com", 443),
            "registry": fronts[self.registry_hosts.index(registries.GHCR)],
            "registries": fronts,
            **({"docker_hub_auth": endpoint(registries.DOCKER_HUB_AUTH, 443)}
               if registries.DOCKER_HUB_AUTH in addresses else {}),
            "admin_socket": f"{POD_DIR}/run/agent.sock",
        }
        (self.dir / "agent.json").write_text(json.dumps(agent, indent=2))

    def _wait_for_agent(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        inspected = time.monotonic()
        while time.monotonic() < deadline:
            try:
                health = self.agent.health()
                if health.get("ok") and health.get("upstream"):
                    return
            except (OSError, AdminCallError, http.client.HTTPException):
                pass
            # A short poll: the agent answers 100-150 ms after its container starts. The engine is
            # asked whether a container died only now and then (an inspect is an engine call).
            if time.monotonic() - inspected > 0.2:
                inspected = time.monotonic()
                for role, container in self.containers.items():
                    container.reload()
                    if container.status == "exited":
                        raise EngineError(f"pod {role} exited: {container.logs(tail=20).decode(errors='replace')}")
            time.sleep(0.005)
        raise EngineError(f"pod agent did not answer within {seconds:.0f} s: "
                                 f"{self.containers['runner0'].logs(tail=20).decode(errors='replace')}")

    # agent admin API -----------------------------------------------------------------------

    def set_world(self, state: dict, reset_log: bool = True, fault_counts: dict[str, int] | None = None) -> None:
        """`fault_counts` (from `fault_counts()`): how often each fault already hit, so a fault's `times`
        counts across the runs of a timeline or the jobs of a run rather than starting again."""
        faults = state.get("faults") or []
        self._faults_sent = [_fault_key(f) for f in faults]
        if fault_counts:
            state = {**state, "faults": [{**f, "used": fault_counts.get(_fault_key(f), 0)} for f in faults]}
        self.agent.put_world(state, reset_log=reset_log)

    def fault_counts(self) -> dict[str, int]:
        """How often each fault of the world last set has hit, keyed by the fault."""
        return dict(zip(self._faults_sent, self.agent.faults_used())) if self._faults_sent else {}

    def push(self, request: dict) -> dict:
        return self.agent.push(registries.storage(request["repository"]), request["blobs"], request["manifests"])

    def tags(self, repositories: list[str]) -> dict[str, dict[str, str]]:
        """repository key (`acme/api` on ghcr.io, `index.docker.io/acme/api`) → tag → digest.

        Read from the registry's storage, not over HTTP: distribution keeps a tag as the file
        `_manifests/tags/<tag>/current/link` holding its manifest's digest and, without a cache,
        reads it on every request, so the file is what any client would be told. Runs read this
        between steps, when no request is in flight (about 1 ms against 40-120 ms through the agent,
        after every step of an interleaved run)."""
        out = {}
        for repository in repositories:
            folder = self._repositories() / registries.storage(repository) / "_manifests" / "tags"
            found = {}
            for tag in sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []:
                link = folder / tag / "current" / "link"
                if link.is_file():
                    found[tag] = link.read_text(encoding="ascii").strip()
            out[repository] = found
        return out

    def log(self) -> list[dict]:
        return self.agent.log()

    def _repositories(self) -> Path:
        return self.dir / "registry-data" / "docker" / "registry" / "v2" / "repositories"

    def wipe_registry(self) -> None:
        """Forget every repository (tags, manifest links); blobs stay, unreferenced."""
        shutil.rmtree(self._repositories(), ignore_errors=True)

    def restore_registry(self, key: str) -> bool:
        """Put back the repositories saved under `key` (see save_registry); False if none were.

        The registry runs without a cache and reads its storage on every request, so restoring the
        files a real push produced gives the very state that push gave, at file-copy cost. Only what
        differs is written: a run changes a few links of the tree's ~100 entries, and a full
        rmtree and copy cost 30 ms a scenario against 2.5 ms (measured). The saved files are held here,
        not hard-linked: distribution 2.8 rewrites a file in place (a tag's `current/link` when the
        tag moves), which would change a linked copy too.
        """
        saved = self._saved.get(key)
        if saved is None:
            return False
        _restore_tree(self._repositories(), saved)
        return True

    def save_registry(self, key: str) -> None:
        if self._repositories().exists() and key not in self._saved:
            self._saved[key] = _read_tree(self._repositories())

    # runner ----------------------------------------------------------------------------------

    def runner_home(self, slot: int = 0) -> Path:
        return self.dir / "runners" / str(slot)

    def reset_runner(self, slot: int = 0) -> None:
        """A fresh machine for the next job: empty home, workspace and temp."""
        home = self.runner_home(slot)
        for child in home.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()

    def take_worker(self, slot: int = 0) -> Worker:
        """A fresh job worker in runner `slot`: the one started ahead, else a new one; it connects
        while the caller prepares the job. The slot's next worker starts now, in the background,
        so it has booted by the time the next job wants it."""
        ahead = self._spare_workers.pop(slot, None)
        worker = ahead.result() if ahead else self._spawn_worker(slot)
        self._spare_workers[slot] = self._spawner.submit(self._spawn_worker, slot)
        return worker

    def _spawn_worker(self, slot: int) -> Worker:
        self._workers_started += 1
        return Worker(self.client.api, self.containers[f"runner{slot}"].id, self.dir / "exec" / str(slot),
                      CAPTURE_DIR, f"worker-{self._workers_started}")

    def exec(self, argv: list[str], env: dict[str, str], workdir: str, slot: int = 0,
             timeout: float = 300) -> ExecResult:
        api = self.client.api
        started = time.monotonic()
        captured = self.dir / "exec" / str(slot) / "output"
        wrapped = ["python3", "-S", "/opt/promote-gen/capture.py", f"{CAPTURE_DIR}/output",
                   "timeout", "-k", "5", f"{timeout:g}", *argv]
        exec_id = api.exec_create(self.containers[f"runner{slot}"].id, wrapped, environment=env, workdir=workdir,
                                  stdout=True, stderr=True)["Id"]
        stray = api.exec_start(exec_id)  # the wrapper itself prints nothing unless it fails
        code = api.exec_inspect(exec_id)["ExitCode"]
        output = _records(captured.read_bytes()) if captured.exists() else []
        captured.unlink(missing_ok=True)
        if stray:
            output.append(("stderr", stray.decode("utf-8", errors="replace")))
        return ExecResult(code, output, time.monotonic() - started)


def _read_tree(folder: Path) -> dict:
    """name → the file's bytes, or the subfolder's tree (a symlink: its target, as a str)."""
    tree = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                tree[entry.name] = os.readlink(entry.path)
            elif entry.is_dir():
                tree[entry.name] = _read_tree(Path(entry.path))
            else:
                with open(entry.path, "rb") as file:
                    tree[entry.name] = file.read()
    return tree


def _restore_tree(folder: Path, tree: dict) -> None:
    """Make `folder` hold exactly `tree`, touching only the entries that differ."""
    folder.mkdir(exist_ok=True)
    with os.scandir(folder) as entries:
        live = {entry.name: entry for entry in entries}
    for name, entry in live.items():
        wanted = tree.get(name)
        kind = str if entry.is_symlink() else dict if entry.is_dir() else bytes
        if wanted is None or not isinstance(wanted, kind):
            shutil.rmtree(entry.path) if kind is dict else os.unlink(entry.path)
            live[name] = None
    for name, wanted in tree.items():
        path = folder / name
        if isinstance(wanted, dict):
            _restore_tree(path, wanted)
        elif isinstance(wanted, str):
            if live.get(name) is None or os.readlink(path) != wanted:
                path.unlink(missing_ok=True)
                os.symlink(wanted, path)
        elif live.get(name) is None or path.read_bytes() != wanted:
            path.write_bytes(wanted)


def played_hosts(registry_hosts: list[str] | None) -> list[str]:
    return sorted(set(registry_hosts or []) | {registries.GHCR})


def _records(data: bytes) -> list[tuple[str, str]]:
    """(stream, text) chunks from capture.py's file: a stream letter, a byte count, a newline, the bytes."""
    out, at = [], 0
    while at < len(data):
        newline = data.index(b"\n", at)
        stream, size = data[at:at + 1], int(data[at + 1:newline])
        chunk = data[newline + 1:newline + 1 + size]
        out.append(("stdout" if stream == b"O" else "stderr", chunk.decode("utf-8", errors="replace")))
        at = newline + 1 + size
    return out


def _remove(container) -> None:
    try:
        container.remove(force=True, v=True)
    except (NotFound, APIError):
        pass


def _all_at_once(calls: list) -> None:
    """Run the engine calls in threads and wait for every one (a Ctrl-C included: nothing may still
    be creating a container when the pod is torn down), then raise the first failure."""
    if len(calls) == 1:
        calls[0]()
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
        try:
            concurrent.futures.wait(futures)
        finally:
            concurrent.futures.wait(futures)
    for future in futures:
        future.result()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _fault_key(fault: dict) -> str:
    return json.dumps({k: v for k, v in fault.items() if k != "used"}, sort_keys=True)
