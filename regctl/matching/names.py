"""Names as the register and restaurants write them: folded, legal suffixes and brackets dropped.

``SPICE ROUTE (2009) LIMITED`` and ``Spice Route`` share the core ``spice route``; ``O'Malley's Fish &
Chips`` folds to ``omalleys fish and chips``; a leading "The" and a trailing "NZ" carry no identity.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

__all__ = ["core_name", "fold", "full_name", "name_relation", "words"]

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Trailing words that say what kind of entity it is, not which one (repeatedly stripped).
_LEGAL_TAIL = ("limited", "ltd", "incorporated", "inc", "nz", "new zealand", "company", "co")


def fold(text: str) -> str:
    """Lower case, macrons and accents removed, apostrophes dropped, ``&`` → and, punctuation → space."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"['’`]", "", plain.replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def _strip_legal(folded: str) -> str:
    changed = True
    while changed and folded:
        changed = False
        for tail in _LEGAL_TAIL:
            if folded.endswith(" " + tail) or folded == tail:
                folded = folded[: -len(tail)].strip()
                changed = True
    return folded.removeprefix("the ").strip()


def core_name(name: str) -> str:
    """The identifying words: brackets dropped, folded, legal suffixes and a leading "the" dropped."""
    return _strip_legal(fold(_BRACKETS.sub(" ", name)))


def full_name(name: str) -> str:
    """Like :func:`core_name` but keeping the words inside brackets ("Golden Dragon (Riccarton)")."""
    return _strip_legal(fold(name))


def words(text: str) -> set[str]:
    return set(text.split())


def name_relation(restaurant: str, company: str) -> tuple[str, float]:
    """How the company's name relates to the restaurant's: ``equal`` (core or bracket-kept name),
    ``contains`` (one's words all in the other's), ``typo`` (≥ 0.88 alike) or ``unrelated``;
    with the 0..1 likeness of the cores."""
    r_core, c_core = core_name(restaurant), core_name(company)
    if not r_core or not c_core:
        return "unrelated", 0.0
    r_full = full_name(restaurant)
    if c_core.replace(" ", "") in (r_core.replace(" ", ""), r_full.replace(" ", "")):
        return "equal", 1.0
    likeness = round(SequenceMatcher(None, r_core, c_core).ratio(), 3)
    if words(r_core) <= words(c_core) or words(c_core) <= words(r_full):
        return "contains", likeness
    if likeness >= 0.88:
        return "typo", likeness
    return "unrelated", likeness
