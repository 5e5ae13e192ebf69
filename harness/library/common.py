"""Schema parts scenario and timeline files share: the repository, its commits, registry images."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator
from pydantic.functional_validators import AfterValidator
from typing_extensions import Annotated

from generator import references

from . import repository_keys

SHA = re.compile(r"^[0-9a-f]{40}$")
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# What a registry accepts (the OCI distribution spec): lowercase path components, and tags.
REPOSITORY = r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$"
TAG = r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$"


def _matching(pattern: str, expected: str):
    def check(value: str) -> str:
        if not re.match(pattern, value):
            raise ValueError(expected)
        return value
    return AfterValidator(check)


_REPOSITORY_EXPECTED = ("a repository name a registry accepts, after an optional `host[:port]/`: lowercase "
                        "letters and digits, `.`, `_` or `-` between them, parts joined by /")


_HOST_EXPECTED = "a registry host: lower-case DNS labels, optionally `:port` (1 to 65535)"


def _is_host(host: str) -> bool:
    port = host.partition(":")[2]
    return bool(references.HOST.fullmatch(host)) and (not port or 0 < int(port) < 65536)


def _host(value: str) -> str:
    if not _is_host(value):
        raise ValueError(_HOST_EXPECTED)
    return value


def _repository(value: str) -> str:
    """A scenario's repository key: `owner/name` on ghcr.io, or `host[:port]/path` (the way crane reads it)."""
    host, repository = repository_keys.split(value)
    if host != repository_keys.GHCR and not _is_host(host) or not re.match(REPOSITORY, repository):
        raise ValueError(_REPOSITORY_EXPECTED)
    return value


RegistryRepository = Annotated[str, AfterValidator(_repository)]
RegistryHost = Annotated[str, AfterValidator(_host)]
Tag = Annotated[str, _matching(TAG, "a tag a registry accepts: letters, digits, `_`, `.` and `-`, not starting "
                                    "with `.` or `-`, at most 128")]


def regex(value: str | None) -> str | None:
    """A field holding a regular expression: one Python can compile, checked when the file is read."""
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"a regular expression ({exc})") from None
    return value
IMAGE_FORMATS = ("docker", "oci", "oci-index")
DEFAULT_TOKEN = "ghs_promoteGenHarnessToken0000000000000"
DEFAULT_ACTOR = "octo-operator"
REVISION_LABEL = "org.opencontainers.image.revision"
LABEL_KEY = r"^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Commit(Model):
    name: str = Field(pattern=NAME, description="How the rest of the file refers to this commit.")
    sha: str = Field(pattern=SHA.pattern)
    parents: list[str] | None = Field(None, description="Commit names; default: the commit listed before.")


class Repository(Model):
    name: str = Field("molecule-ai/molecule-core", pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    default_branch: str = "main"
    commits: list[Commit] = Field(min_length=1, description="The history, oldest first.")
    head: str | None = Field(None, description="Commit at the tip of the default branch; default: the last one.")
    private: bool = Field(False, description="A private repository: the API stub then enforces the job token's "
                                             "`permissions:` (actions: read for runs, contents: read for compare).")


class LibraryItem(Model):
    """What a scenario and a timeline both start with: who they are and the repository they play in.

    `_origin` is where the item was read (library/loader.py), so a problem found later still gets
    its file:line:col."""

    _origin: object = PrivateAttr(None)

    name: str | None = Field(None, pattern=NAME)
    description: str = ""
    tags: list[str] = Field(default_factory=list, description="Groups for `gen simulate --tag`.")
    repository: Repository
    actor: str = DEFAULT_ACTOR
    token: str = DEFAULT_TOKEN
    secrets: dict[str, str] = Field(default_factory=dict, description="`secrets.<name>` values the workflow reads; "
                                    "an unset secret reads as an empty string, as on GitHub. Masked in logs.")


class RegistryImage(Model):
    tags: list[Tag] = Field(min_length=1)
    revision: str | None = Field(None, description="Commit name or SHA written as the revision label; none: no label.")
    label: str | None = Field(None, description="The revision label verbatim (e.g. an abbreviated SHA), instead of `revision`.")
    format: Literal[IMAGE_FORMATS] = "oci"
    label_key: str = Field(REVISION_LABEL, pattern=LABEL_KEY,
                           description="The config label that holds the revision (the config's "
                                       "`tags.revision_label`).")

    @model_validator(mode="after")
    def _one_label(self):
        if self.revision is not None and self.label is not None:
            raise ValueError("at most one of revision and label")
        return self
