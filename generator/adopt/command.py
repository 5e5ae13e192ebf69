"""`gen init`: write a commented config that renders and passes `gen check` at once, from answers
(flags or a terminal interview) or from a hand-written workflow (`--from`), with the JSON Schemas its
`# yaml-language-server` line points at and starter scenarios for `gen simulate`."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pydantic import ValidationError
from ruamel.yaml import YAML

from .. import hazards, loader, rules, schema
from ..config import Config
from ..loader import InputError
from ..outputs import write_together
from . import answers as answering
from . import configtext, fromworkflow, prompts


@dataclass(frozen=True)
class Extras:
    """What the harness contributes, handed in by the CLI: schema texts and starter files by kind."""

    schemas: Callable[[Config], dict[str, dict]]  # kind → JSON Schema
    starters: Callable[[Config], list[tuple[str, str, str]]]  # (file name, kind, YAML text)


def run(args, extras: Extras) -> int:
    config_path: Path = args.config
    folder = config_path.with_suffix("")
    if args.from_file:
        config, notes = _from_workflow(args.from_file, folder)
    else:
        config, notes = _from_answers(args, str(folder)), []
    files = {config_path: _config_text(config, config_path, folder, args.from_file)}
    for kind, body in extras.schemas(config).items():
        files[folder / schema.FILES[kind]] = schema.text(body)
    starters = extras.starters(config)
    for name, kind, text in starters:
        files[folder / name] = _modeline(folder / name, folder / schema.FILES[kind]) + text
    existing = [str(p) for p in files if p.exists()]
    if existing and not args.force:
        raise InputError(f"gen init: {', '.join(existing)} already exist(s); pass --force to overwrite "
                         "(nothing written)")
    write_together(files)
    for note in notes:
        print(f"{args.from_file}:{note.line}: {note.text}", file=sys.stderr)
    for path in files:
        print(f"wrote {path}")
    _report(config, config_path, starters)
    return 0


def _from_answers(args, folder: str) -> Config:
    given = answering.Answers(
        images=list(args.image or []), branch=args.branch or "main", e2e_workflow=args.e2e_workflow,
        e2e_file=args.e2e_file, publish_workflows=list(args.publish_workflow or []),
        candidate=args.candidate or answering.Answers.candidate, target=args.target or answering.Answers.target,
        output=args.output or answering.Answers.output)
    found = answering.workflows_here()
    if given.e2e_workflow and not given.e2e_file:
        given.e2e_file = found.get(given.e2e_workflow)
    for path in answering.promotion_workflows():
        print(f"gen init: {path} looks like a hand-written promotion workflow; `gen init --from {path}` "
              "reads it into the config", file=sys.stderr)
    interactive = not args.yes and sys.stdin.isatty()
    if interactive:
        try:
            given = prompts.interview(prompts.Terminal(sys.stdin, sys.stderr), given, found, folder)
        except EOFError:
            raise InputError("gen init: input ended before the questions did (nothing written)") from None
    elif given.missing():
        raise InputError(f"gen init: {', '.join(given.missing())} needed when not asking on a terminal "
                         "(see `gen init --help`; nothing written)")
    try:
        return answering.to_config(given, folder)
    except answering.AnswerError as exc:
        raise InputError(f"gen init: {exc} (nothing written)") from None


def _from_workflow(path: Path, folder: Path) -> tuple[Config, list]:
    reading = fromworkflow.read(path, _output_for(path))
    data = reading.data
    data["docs"] = {"schemas": str(folder)}
    notes = data.setdefault("permission_notes", {})
    for scope in data.get("permissions", {}):
        notes.setdefault(scope, _PERMISSION_NOTES.get(scope, f"{scope}: as the hand-written workflow asked"))
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise InputError(f"{path}: the config read from it is not valid: {loader.dotted(error['loc'])}: "
                         f"{error['msg'].lower()} (got {error.get('input')!r})") from None
    problems = rules.check(config)
    if problems:
        p = problems[0]
        raise InputError(f"{path}: the config read from it is not valid: {loader.dotted(p.path)}: {p.expected} "
                         f"(got {p.got!r})")
    return config, reading.notes


_PERMISSION_NOTES = Config.model_fields["permission_notes"].get_default(call_default_factory=True)


def _output_for(path: Path) -> str:
    """Where the rendered workflow goes: over the hand-written one when it is this repository's."""
    workflows = Path(".github/workflows").resolve()
    resolved = path.resolve()
    if resolved.parent == workflows:
        return str(Path(".github/workflows") / resolved.name)
    return str(Path(".github/workflows") / path.name)


def _config_text(config: Config, path: Path, folder: Path, source: Path | None) -> str:
    origin = f"read from {source} by `gen init --from`" if source else "written by `gen init`"
    header = [schema.modeline(_relative(folder / schema.FILES["config"], path.parent)), "",
              f"The auto-promote config, {origin}. Edit it, then run `gen render`; CI runs `gen check`.",
              "`gen explain` prints the policy as tables; `gen check --strict` fails on the risky settings",
              "it warns about. Each comment below is the field's description from `gen schema`."]
    notes = {".".join(str(p) for p in h.path if not isinstance(p, int)): f"warning ({h.code}): {h.line()}"
             for h in hazards.find(config) if not any(isinstance(p, int) for p in h.path)}
    text = configtext.dump(config, header, notes)
    # The file must read back as the same config: a writer bug is caught here, not in the user's CI.
    if Config.model_validate(YAML(typ="safe").load(text)) != config:
        raise RuntimeError("gen init: the written config does not read back as the same config")
    return text


def _modeline(path: Path, schema_path: Path) -> str:
    return f"# {schema.modeline(_relative(schema_path, path.parent))}\n"


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


def _report(config: Config, config_path: Path, starters: list) -> None:
    found = hazards.find(config)
    for hazard in found:
        print(f"warning: {loader.dotted(hazard.path)}: {hazard.line()}")
    suffix = "" if config_path == Path(".github/auto-promote.yaml") else f" --config {config_path}"
    steps = [f"gen render{suffix}", f"gen check{suffix}"] + ([f"gen simulate{suffix}"] if starters else [])
    print("next: " + " && ".join(steps))
