"""Injected faults: which request they hit, how many times, and what goes back on the wire."""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from http import HTTPStatus

KINDS = ("status", "non_json", "delay", "rate_limit", "drop")
SERVICES = ("api", "registry")
RATE_LIMIT_RESET = "1777777777"
HTML_BODY = "<html><body>Bad gateway</body></html>"
RATE_LIMIT_BODY = {"message": "API rate limit exceeded for installation ID 1234567.",
                   "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}
_API_MESSAGES = {401: "Bad credentials", 404: "Not Found", 422: "Validation Failed"}


@dataclass(frozen=True)
class Fault:
    name: str
    service: str
    kind: str
    route: str | None = None
    method: str | None = None
    path: re.Pattern | None = None
    status: int | None = None
    body: str | None = None
    content_type: str | None = None
    delay: float = 0.0
    times: int | None = None
    host: str | None = None  # a registry fault: the host it hits (None: every host)

    def matches(self, service: str, route: str | None, method: str, path: str, host: str | None = None) -> bool:
        return (service == self.service
                and (self.host is None or self.host == host)
                and (self.route is None or self.route == route)
                and (self.method is None or self.method == method.upper())
                and (self.path is None or self.path.search(path) is not None))


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]


def _number(raw: dict, key: str, kind: type, low: float, high: float | None = None):
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise ValueError(f"fault {key} must be a number")
    if value < low or (high is not None and value > high):
        raise ValueError(f"fault {key} {value} is out of range")
    return kind(value)


def parse_fault(raw: dict, index: int) -> Fault:
    if not isinstance(raw, dict):
        raise ValueError(f"fault #{index + 1} must be an object")
    service, kind = raw.get("service", "api"), raw.get("kind", "status")
    if service not in SERVICES or kind not in KINDS:
        raise ValueError(f"fault #{index + 1}: unknown service {service!r} or kind {kind!r}")
    try:
        path = re.compile(raw["path"]) if raw.get("path") is not None else None
    except re.error as e:
        raise ValueError(f"fault #{index + 1}: bad path regex: {e}") from None
    return Fault(
        name=str(raw.get("name") or f"fault-{index + 1}"), service=service, kind=kind,
        route=raw.get("route"), method=raw["method"].upper() if raw.get("method") else None, path=path,
        status=_number(raw, "status", int, 100, 599), body=raw.get("body"),
        content_type=raw.get("content_type"), delay=_number(raw, "delay", float, 0) or 0.0,
        times=_number(raw, "times", int, 1), host=raw.get("host"),
    )


class FaultSet:
    """Faults in order; the first match with `times` left wins and uses one up."""

    def __init__(self, faults: list[Fault], used: list[int] | None = None):
        self.faults = list(faults)
        self._used = list(used) if used is not None else [0] * len(self.faults)
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, raw: list) -> "FaultSet":
        """Each fault may say how many of its `times` earlier runs used up (`used`): a timeline's
        one-time fault stays used across the runs of the day."""
        if not isinstance(raw, list):
            raise ValueError("faults must be a list")
        return cls([parse_fault(item, i) for i, item in enumerate(raw)],
                    [_number(item, "used", int, 0) or 0 for item in raw])

    def used(self) -> list[int]:
        with self._lock:
            return list(self._used)

    def take(self, service: str, route: str | None, method: str, path: str, host: str | None = None) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self.faults):
                if fault.matches(service, route, method, path, host) and (fault.times is None or self._used[i] < fault.times):
                    self._used[i] += 1
                    return fault
        return None


def _json(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def default_error(service: str, status: int) -> bytes:
    if service == "registry":
        return _json({"errors": [{"code": "UNKNOWN", "message": _phrase(status).lower(), "detail": None}]})
    return _json({"message": _API_MESSAGES.get(status, _phrase(status)),
                  "documentation_url": "https://docs.github.com/rest", "status": str(status)})


def _looks_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def _custom(fault: Fault, status: int, default_type: str) -> Reply:
    body = fault.body or ""
    kind = fault.content_type or ("application/json; charset=utf-8" if _looks_json(body) else default_type)
    return Reply(status, body.encode(), {"Content-Type": kind})


def _rate_limited(fault: Fault) -> Reply:
    if fault.service == "registry":
        body = _json({"errors": [{"code": "TOOMANYREQUESTS", "message": "too many requests", "detail": None}]})
        return Reply(fault.status or 429, body, {"Content-Type": "application/json", "Retry-After": "60"})
    return Reply(fault.status or 403, fault.body.encode() if fault.body else _json(RATE_LIMIT_BODY),
                 {"Content-Type": fault.content_type or "application/json; charset=utf-8",
                  "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": RATE_LIMIT_RESET, "X-RateLimit-Used": "5000"})


def reply_for(fault: Fault) -> Reply | None:
    """What to send after the fault's delay; None means close the connection without a word."""
    if fault.kind in ("drop", "delay"):
        return None
    if fault.kind == "rate_limit":
        return _rate_limited(fault)
    if fault.kind == "non_json":
        return Reply(fault.status or 200, (fault.body or HTML_BODY).encode(),
                     {"Content-Type": fault.content_type or "text/html"})
    status = fault.status or 500
    if fault.body is not None:
        return _custom(fault, status, "text/plain; charset=utf-8")
    json_type = "application/json" if fault.service == "registry" else "application/json; charset=utf-8"
    return Reply(status, default_error(fault.service, status), {"Content-Type": fault.content_type or json_type})
