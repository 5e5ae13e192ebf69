"""Entry point: `python3 -m podagent --config /pod/agent.json`; prints `ready` once all listen."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from . import config as config_mod
from .admin import AdminHandler
from .github_api import ApiHandler
from .httpbase import TLSServer, UnixServer, tls_context
from .registry_front import RegistryFrontHandler, TokenServiceHandler
from .world import State


def build_servers(cfg: config_mod.AgentConfig, state: State) -> list:
    api = TLSServer((cfg.api.host, cfg.api.port), ApiHandler, tls_context(cfg.api.cert, cfg.api.key), state, cfg)
    fronts = [TLSServer((f.endpoint.host, f.endpoint.port), RegistryFrontHandler,
                        tls_context(f.endpoint.cert, f.endpoint.key), state, f) for f in cfg.fronts]
    hub = cfg.docker_hub_auth
    auth = [TLSServer((hub.host, hub.port), TokenServiceHandler, tls_context(hub.cert, hub.key), state, cfg)] if hub else []
    admin = UnixServer(cfg.admin_socket, AdminHandler, state, cfg)
    return [api, *fronts, *auth, admin]


def serve(servers: list, stop: threading.Event) -> None:
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True) for s in servers]
    for t in threads:
        t.start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    for s in servers:
        s.shutdown()
        s.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="podagent")
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)
    cfg = config_mod.load(args.config)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    servers = build_servers(cfg, State())
    try:
        serve(servers, stop)
    finally:
        if os.path.exists(cfg.admin_socket):
            os.unlink(cfg.admin_socket)
    return 0


if __name__ == "__main__":
    sys.exit(main())
