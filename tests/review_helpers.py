"""Helpers for the review tests: recorded requests and a real questionary prompter on a pipe."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from regctl.review.prompter import QuestionaryPrompter
from regctl.steps.base import DecisionRequest

FIXTURES = Path(__file__).parent / "fixtures" / "requests"
DOWN, ENTER, CLEAR, CTRL_C = "\x1b[B", "\r", "\x15", "\x03"


def recorded(name: str) -> DecisionRequest:
    """A recorded request from tests/fixtures/requests/NAME.json."""
    return DecisionRequest.from_json(json.loads((FIXTURES / f"{name}.json").read_text()))


def recorded_json(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())  # type: ignore[no-any-return]


@dataclass
class Terminal:
    """A real QuestionaryPrompter whose keyboard is a pipe and whose screen is a string."""

    prompter: QuestionaryPrompter
    screen: io.StringIO
    pipe: Any

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.pipe.send_text(key)

    @property
    def shown(self) -> str:
        return self.screen.getvalue()


@contextmanager
def terminal() -> Iterator[Terminal]:
    screen = io.StringIO()
    with create_pipe_input() as pipe:
        console = Console(file=screen, width=220, force_terminal=False, color_system=None)
        yield Terminal(QuestionaryPrompter(console, input=pipe, output=DummyOutput()), screen, pipe)


def down(n: int) -> str:
    return DOWN * n + ENTER
