"""The Prompter protocol the review flows talk to, and the small nouns they exchange.

Flows never import questionary or rich: they ask a :class:`Prompter`. ``regctl.review.prompter``
implements it with questionary (real terminal prompts); tests drive that same implementation through
prompt_toolkit pipe input. A prompter raises ``KeyboardInterrupt`` on Ctrl-C: flows let it through,
so a half-answered decision is never recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from regctl.steps.base import DecisionRequest

__all__ = ["Choice", "FlowContext", "LeaveWaiting", "Outcome", "Prompter", "Researcher", "Validator"]

JSON = dict[str, Any]
Validator = Callable[[str], "str | None"]  # returns an error message, or None when the text is fine
Researcher = Callable[[JSON], DecisionRequest]  # runs a re-search answer, returns the new request


@dataclass(frozen=True)
class Choice:
    title: str  # what the person sees
    value: str  # what the flow gets back
    key: str | None = None  # the key that moves the cursor here ("1", "n"…); None: the next free one


class Prompter(Protocol):
    """Asks questions with one set of key rules (docs/review.md, "Keys").

    A choice: the arrow keys or the choice's key move the cursor, Enter confirms. Yes/no: ``y`` or
    ``n``, then Enter (Enter alone takes the default). Text: type, then Enter. No question is ever
    answered by a single key, so a key meant for one question never answers the next.
    """

    def screen(self, header: str) -> None:
        """Start a new screen (a new decision): cleared on a terminal, ``header`` on its first line."""
        ...

    def say(self, text: str) -> None:
        """Show a line (or a few) of text."""
        ...

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Show a table."""
        ...

    def select(self, message: str, choices: Sequence[Choice], default: str | None = None) -> str:
        """One of the choices' values."""
        ...

    def text(self, message: str, default: str = "", validate: Validator | None = None) -> str:
        """A line of text; ``validate`` rejects it with a message until it passes."""
        ...

    def secret(self, message: str) -> str:
        """A line of text not echoed (passwords)."""
        ...

    def confirm(self, message: str, default: bool = False) -> bool:
        ...

    def edit(self, text: str, suffix: str = ".yaml") -> str:
        """``text`` after the person edited it in ``$EDITOR`` (unchanged if they quit without saving)."""
        ...


@dataclass(frozen=True)
class FlowContext:
    """What a flow knows beyond the request itself."""

    header: str = ""  # e.g. "Decision 2 of 5 · nz-w48 · Texas Chicken (Henderson) · select_company"
    research: Researcher | None = None  # select_company: run the search again, get the new request
    remaining_alike: int = 0  # later waiting decisions of the same kind in this batch (apply-to-all)


@dataclass(frozen=True)
class Outcome:
    """A finished flow: the answer to record, and whether to copy it to the batch's remaining ones."""

    answer: JSON
    apply_to_all: bool = False


class LeaveWaiting(Exception):
    """The person chose to leave this decision unanswered and move on to the next one."""
