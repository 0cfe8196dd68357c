"""Plain output is safe to pipe: control characters in data are shown escaped, never executed.

A restaurant name, an error echoed from a website or a step's message can carry ANSI escape
sequences (``\\x1b[2J`` clears a screen; OSC 8 makes links; a terminal title can be set), or bidi
overrides that reorder what a reader sees. When stdout or stderr is not a terminal, :func:`escaped_streams`
wraps it so every such character is written as ``\\xNN`` / ``\\uNNNN``; tab, newline and carriage
return pass. JSON needs nothing: it escapes control characters itself. (On a terminal, rich renders
the text and removes most control codes itself.)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["escape_controls", "escaped_streams"]

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control or bidi-override character written as an escape."""
    return _CONTROLS.sub(_escape, text)


class _Escaping:
    """A text stream that escapes control characters on the way to the one it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text))
        return len(text)

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:  # flush, encoding, fileno, buffer…
        return getattr(self._stream, name)


@contextmanager
def escaped_streams() -> Iterator[None]:
    """Within the block, a non-terminal stdout/stderr escapes control characters."""
    saved = sys.stdout, sys.stderr
    try:
        if not sys.stdout.isatty():
            sys.stdout = _Escaping(sys.stdout)
        if not sys.stderr.isatty():
            sys.stderr = _Escaping(sys.stderr)
        yield
    finally:
        sys.stdout, sys.stderr = saved
