"""The request log the harness reads back: arrival order, no times, ports or addresses."""
from __future__ import annotations

import re
import threading
from urllib.parse import parse_qsl

# Upload session ids and their HMAC'd state are random per run; the log keeps traces stable.
_UPLOAD_ID = re.compile(r"(/blobs/uploads/)[^/?]+")
_VOLATILE_PARAMS = {"_state"}


def normalise_query(raw: str, drop: set[str] = frozenset()) -> dict:
    """Sorted parameters; a repeated key gives a list of its values in order."""
    grouped: dict[str, list[str]] = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        if key not in drop:
            grouped.setdefault(key, []).append(value)
    return {k: (v[0] if len(v) == 1 else v) for k, v in sorted(grouped.items())}


def registry_path(path: str) -> str:
    return _UPLOAD_ID.sub(r"\1<upload>", path)


def entry(service: str, method: str, path: str, query: str, status: int | None,
          route: str | None, fault: str | None, unmatched: bool = False) -> dict:
    if service == "registry":
        path, params = registry_path(path), normalise_query(query, _VOLATILE_PARAMS)
    else:
        params = normalise_query(query)
    return {"service": service, "method": method, "path": path, "query": params, "status": status,
            "route": route, "fault": fault, "unmatched": unmatched}


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict] = []

    def add(self, item: dict) -> dict:
        """Takes the entry's place in arrival order; `finish` fills in the status later."""
        with self._lock:
            self._entries.append(item)
        return item

    def finish(self, item: dict, status: int | None) -> None:
        with self._lock:
            item["status"] = status

    def entries(self) -> list[dict]:
        with self._lock:
            return [dict(e) for e in self._entries]

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
