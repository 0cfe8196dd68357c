""""Did you mean …?" for a mistyped name: manifest keys, step parameters, commands."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["did_you_mean"]


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'address'?)`` when one choice is close to ``word``, else ``""``."""
    import difflib  # only on an error: every command imports this module through the step registry

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
