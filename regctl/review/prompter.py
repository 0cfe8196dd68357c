"""The questionary/rich implementation of the Prompter (the only review module importing them).

``input``/``output`` are prompt_toolkit's; tests pass a pipe input and ``DummyOutput`` to drive the
real prompts. Questions use ``unsafe_ask`` so Ctrl-C raises ``KeyboardInterrupt`` instead of
answering ``None``: the flow stops and nothing is recorded.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from rich.console import Console
from rich.table import Table

from regctl.errors import ConfigError
from regctl.review.protocol import Choice, Validator

__all__ = ["QuestionaryPrompter"]


class QuestionaryPrompter:
    """Asks on a terminal with questionary; shows text and tables with rich."""

    def __init__(self, console: Console | None = None, *, input: Input | None = None,
                 output: Output | None = None) -> None:
        self.console = console or Console()
        self._io: dict[str, Any] = {k: v for k, v in (("input", input), ("output", output)) if v is not None}

    def say(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False)

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        self.console.print(table)

    def select(self, message: str, choices: Sequence[Choice], default: str | None = None) -> str:
        options = [questionary.Choice(title=c.title, value=c.value) for c in choices]
        picked = questionary.select(message, choices=options, default=default, **self._io).unsafe_ask()
        return str(picked)

    def text(self, message: str, default: str = "", validate: Validator | None = None) -> str:
        check = _questionary_validator(validate) if validate else None
        return str(questionary.text(message, default=default, validate=check, **self._io).unsafe_ask())

    def secret(self, message: str) -> str:
        return str(questionary.password(message, **self._io).unsafe_ask())

    def confirm(self, message: str, default: bool = False) -> bool:
        return bool(questionary.confirm(message, default=default, **self._io).unsafe_ask())

    def edit(self, text: str, suffix: str = ".yaml") -> str:
        return edit_in_editor(text, suffix)


def _questionary_validator(validate: Validator) -> Any:
    def check(raw: str) -> bool | str:
        error = validate(raw)
        return True if error is None else error

    return check


def edit_in_editor(text: str, suffix: str = ".yaml") -> str:
    """Open ``text`` in ``$VISUAL``/``$EDITOR`` (default ``vi``) and return what was saved."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="regctl-") as tmp:
        path = Path(tmp) / f"decision{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise ConfigError(f"editor {editor!r} failed: {exc}") from exc
        return path.read_text(encoding="utf-8")
