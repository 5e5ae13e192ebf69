"""Schema parts scenario and timeline files share: the repository, its commits, registry images."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SHA = re.compile(r"^[0-9a-f]{40}$")
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
IMAGE_FORMATS = ("docker", "oci", "oci-index")
DEFAULT_TOKEN = "ghs_promoteGenHarnessToken0000000000000"
DEFAULT_ACTOR = "octo-operator"
REVISION_LABEL = "org.opencontainers.image.revision"


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
    """What a scenario and a timeline both start with: who they are and the repository they play in."""

    name: str | None = Field(None, pattern=NAME)
    description: str = ""
    tags: list[str] = Field(default_factory=list, description="Groups for `gen simulate --tag`.")
    repository: Repository
    actor: str = DEFAULT_ACTOR
    token: str = DEFAULT_TOKEN
    secrets: dict[str, str] = Field(default_factory=dict, description="`secrets.<name>` values the workflow reads; "
                                    "an unset secret reads as an empty string, as on GitHub. Masked in logs.")


class RegistryImage(Model):
    tags: list[str] = Field(min_length=1)
    revision: str | None = Field(None, description="Commit name or SHA written as the revision label; none: no label.")
    label: str | None = Field(None, description="The revision label verbatim (e.g. an abbreviated SHA), instead of `revision`.")
    format: Literal[IMAGE_FORMATS] = "oci"
    label_key: str = Field(REVISION_LABEL, pattern=r"^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$",
                           description="The config label that holds the revision (the config's "
                                       "`tags.revision_label`).")

    @model_validator(mode="after")
    def _one_label(self):
        if self.revision is not None and self.label is not None:
            raise ValueError("at most one of revision and label")
        return self
