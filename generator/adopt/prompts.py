"""`gen init` on a terminal: ask for each answer with its default, re-ask until the config is valid."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, TextIO

from .answers import AnswerError, Answers, to_config


class Terminal:
    def __init__(self, stdin: TextIO, stdout: TextIO):
        self.stdin, self.stdout = stdin, stdout

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, question: str, default: str | None = None) -> str:
        shown = f" [{default}]" if default else ""
        self.stdout.write(f"{question}{shown}: ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip() or (default or "")

    def ask_list(self, question: str, defaults: list[str]) -> list[str]:
        """One value per line; an empty line ends the list (or takes the defaults when nothing was typed)."""
        self.say(f"{question} (one per line, an empty line ends)" + (f" [{', '.join(defaults)}]" if defaults else ""))
        out: list[str] = []
        while True:
            value = self.ask(f"  {len(out) + 1}")
            if not value:
                return out or list(defaults)
            out.append(value)


def interview(term: Terminal, given: Answers, found: dict[str, str], schemas: str | None) -> Answers:
    """Ask for what the flags left open; re-ask any answer the config rejects."""
    if found:
        term.say("Workflows in .github/workflows: " + ", ".join(f"{n} ({f})" for n, f in sorted(found.items())))
    answers = replace(given)
    questions: list[tuple[str, Callable[[Answers], Answers]]] = [
        ("--image", lambda a: replace(a, images=term.ask_list(
            "Images to promote (registry/owner/name, no tag)", a.images))),
        ("--branch", lambda a: replace(a, branch=term.ask("Branch whose commits are promoted", a.branch))),
        ("--e2e-workflow", lambda a: replace(a, e2e_workflow=term.ask(
            "E2E workflow's `name:` (its red run stops the promotion)", a.e2e_workflow))),
        ("--e2e-file", lambda a: replace(a, e2e_file=term.ask(
            "E2E workflow's file name in .github/workflows", a.e2e_file or found.get(a.e2e_workflow or "")))),
        ("--publish-workflow", lambda a: replace(a, publish_workflows=term.ask_list(
            "Workflows that build and push the images (`name:`)", a.publish_workflows))),
        ("--candidate", lambda a: replace(a, candidate=term.ask(
            "Tag the build pushes ({short} or {sha} stands for the commit)", a.candidate))),
        ("--target", lambda a: replace(a, target=term.ask("Tag production pulls", a.target))),
    ]
    for _, ask in questions:
        answers = ask(answers)
    while True:
        try:
            to_config(answers, schemas)
            return answers
        except AnswerError as exc:
            term.say(f"  {exc}")
            ask = next((q for flag, q in questions if flag in exc.flag.split("/")), questions[0][1])
            answers = ask(answers)
