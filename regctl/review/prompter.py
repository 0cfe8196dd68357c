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
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from regctl.errors import ConfigError
from regctl.review.protocol import Choice, Validator

__all__ = ["QuestionaryPrompter"]

MAX_SHORTCUTS = 36  # questionary's limit: 1-9, 0, a-z


class QuestionaryPrompter:
    """Asks on a terminal with questionary; shows text and tables with rich."""

    def __init__(self, console: Console | None = None, *, input: Input | None = None,
                 output: Output | None = None) -> None:
        self.console = console or Console()
        self._io: dict[str, Any] = {k: v for k, v in (("input", input), ("output", output)) if v is not None}

    def screen(self, header: str) -> None:
        self.console.clear()  # a no-op when the output is not a terminal
        self.console.print(Text(header, style="bold reverse"), overflow="ellipsis", no_wrap=True)

    def say(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False)

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        # one line per row, so a screen's height is known: long cells end in "…"
        table = Table(title=title or None, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for column in columns:
            table.add_column(column, overflow="ellipsis", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        self.console.print(table)

    def select(self, message: str, choices: Sequence[Choice], default: str | None = None) -> str:
        keys = len(choices) <= MAX_SHORTCUTS
        options = [questionary.Choice(title=c.title, value=c.value, shortcut_key=c.key or True)
                   for c in choices]
        hint = "(↑↓ or its key, then Enter)" if keys else "(↑↓, then Enter)"
        picked = questionary.select(message, choices=options, default=default, use_shortcuts=keys,
                                    use_jk_keys=False, instruction=hint, **self._io).unsafe_ask()
        return str(picked)

    def text(self, message: str, default: str = "", validate: Validator | None = None) -> str:
        check = _questionary_validator(validate) if validate else None
        return str(questionary.text(message, default=default, validate=check, **self._io).unsafe_ask())

    def secret(self, message: str) -> str:
        return str(questionary.password(message, **self._io).unsafe_ask())

    def confirm(self, message: str, default: bool = False) -> bool:
        # auto_enter=False: y/n then Enter, like every other question (a lone "y" answers nothing)
        hint = "(y/N, then Enter) " if not default else "(Y/n, then Enter) "
        return bool(questionary.confirm(message, default=default, auto_enter=False, instruction=hint,
                                        **self._io).unsafe_ask())

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
