"""A fault: what a scenario injects and the world holds, one type from the file to the pod.

The agent parses the same fields on its side of the admin socket (`podagent/faults.py`); the
world sends them as `model_dump(exclude_none=True)`.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .common import Model, regex

SERVICES = ("api", "registry")
ROUTES = ("runs", "workflow", "workflows", "compare")
KINDS = ("status", "non_json", "delay", "rate_limit", "drop")


class Fault(Model):
    name: str | None = None
    service: Literal[SERVICES] = "api"
    route: Literal[ROUTES] | None = None
    method: str | None = None
    path: str | None = Field(None, description="Regex on the request path.")
    kind: Literal[KINDS] = "status"
    status: int | None = Field(None, ge=100, le=599)
    body: str | None = None
    delay: float | None = Field(None, ge=0, le=120)
    times: int | None = Field(None, ge=1)
    host: str | None = Field(None, description="A registry fault: the host it hits (`index.docker.io`, "
                                               "`auth.docker.io`, …); default every registry host.")

    _path_is_a_regex = field_validator("path")(regex)

    def hits_api(self, routes: tuple[str, ...] | None = None) -> bool:
        """A fault of the GitHub API (on one of `routes`, when given)."""
        return self.service == "api" and (routes is None or self.route in routes)

    @property
    def hits_registry(self) -> bool:
        return self.service == "registry"

    def named(self, index: int) -> "Fault":
        """This fault with a name the request log can show (`api-runs-status-1` when none was given)."""
        if self.name is not None:
            return self
        return self.model_copy(update={"name": f"{self.service}-{self.route or 'path'}-{self.kind}-{index + 1}"})
