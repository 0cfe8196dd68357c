"""Dietary and marketing tags detected from item names, descriptions and category names.

Rules (reference §4): bracketed abbreviations — (V), (VE)/(VG), (GF), (DF), (NF), (H) — become tags
and are stripped from the item's name; whole-word keywords (vegan, plant-based, spicy, chilli,
jalapeño, sriracha, buffalo, …) add tags; marketing words are consolidated (combo / bundle / meal
deal → Deal; signature / recommended / best seller → Popular; seasonal; limited time); a category
whose name matches a pattern tags every item in it. Tag names are the platform's presets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["TAG_ORDER", "TaggedName", "category_tags", "detect_tags", "tag_item"]

# Canonical order (the platform's preset list, then the extra marketing tags).
TAG_ORDER: tuple[str, ...] = ("Popular", "New", "Deal", "Vegan", "Vegetarian", "Gluten Free", "Dairy Free",
                              "Nut Free", "Halal", "Spicy", "Seasonal", "Limited Time")

ABBREVIATIONS: dict[str, str] = {
    "V": "Vegetarian", "VE": "Vegan", "VG": "Vegan", "GF": "Gluten Free", "DF": "Dairy Free",
    "NF": "Nut Free", "H": "Halal",
}
# (tag, whole-word/phrase patterns) for names and descriptions.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Vegan", ("vegan", "plant-based", "plant based")),
    ("Vegetarian", ("vegetarian", "veggie")),
    ("Gluten Free", ("gluten free", "gluten-free")),
    ("Dairy Free", ("dairy free", "dairy-free")),
    ("Nut Free", ("nut free", "nut-free")),
    ("Halal", ("halal",)),
    ("Spicy", ("spicy", "chilli", "chili", "jalapeño", "jalapeno", "sriracha", "buffalo", "hot sauce",
               "peri peri", "peri-peri", "habanero")),
    ("Deal", ("combo", "combos", "bundle", "bundles", "meal deal", "meal deals", "value meal")),
    ("Popular", ("signature", "recommended", "best seller", "bestseller", "best-seller", "most liked",
                 "popular", "favourite", "favorite")),
    ("Seasonal", ("seasonal",)),
    ("Limited Time", ("limited time", "limited-time", "limited edition")),
)
# Categories whose *name* tags every item in them (same vocabulary, plus plain plural forms).
CATEGORY_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *KEYWORDS,
    ("Deal", ("deals", "specials")),
    ("New", ("new", "new items", "what's new")),
)

_ABBREV = re.compile(r"\(\s*(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\s*\)",
                     re.IGNORECASE)
_SPACES = re.compile(r"\s{2,}")


def _phrase(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


_KEYWORD_PATTERNS = [(tag, _phrase(words)) for tag, words in KEYWORDS]
_CATEGORY_PATTERNS = [(tag, _phrase(words)) for tag, words in CATEGORY_KEYWORDS]


@dataclass(frozen=True)
class TaggedName:
    name: str  # the name with abbreviation markers removed
    tags: tuple[str, ...]  # in TAG_ORDER


def ordered(tags: Iterable[str]) -> tuple[str, ...]:
    """De-duplicated, in canonical order (unknown tags last, alphabetically)."""
    unique = set(tags)
    known = [t for t in TAG_ORDER if t in unique]
    return tuple(known + sorted(unique - set(TAG_ORDER)))


def detect_tags(text: str) -> set[str]:
    """Tags that keywords in ``text`` imply (no abbreviation handling)."""
    return {tag for tag, pattern in _KEYWORD_PATTERNS if pattern.search(text)}


def category_tags(category: str) -> set[str]:
    return {tag for tag, pattern in _CATEGORY_PATTERNS if pattern.search(category)}


def strip_abbreviations(name: str) -> tuple[str, set[str]]:
    """``name`` without (V)/(GF)/… markers, and the tags they stood for."""
    tags = {ABBREVIATIONS[m.upper()] for m in _ABBREV.findall(name)}
    cleaned = _SPACES.sub(" ", _ABBREV.sub(" ", name)).strip(" -,")
    return (cleaned or name.strip()), tags


def tag_item(name: str, description: str | None = None, category: str | None = None,
             given: Iterable[str] = ()) -> TaggedName:
    """An item's cleaned name and all its tags (given tags are kept)."""
    cleaned, tags = strip_abbreviations(name)
    tags |= detect_tags(cleaned)
    if description:
        tags |= detect_tags(description) - {"Popular", "Deal"}  # marketing words in prose mislead
    if category:
        tags |= category_tags(category)
    return TaggedName(cleaned, ordered([*tags, *given]))
