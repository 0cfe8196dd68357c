"""Company lookup rules shared by search_companies, select_company and the review policy.

Pure functions: the two search queries (SPEC §3, reference §3), the merge of both result lists,
name similarity, the active-director rule and :func:`strong_single_match`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

__all__ = [
    "STREET_TYPES",
    "build_queries",
    "clean_name",
    "first_active_director",
    "merge_candidates",
    "name_similarity",
    "street_of",
    "strong_single_match",
    "title_case",
    "written_out",
]

STREET_TYPES = ("street", "road", "avenue", "lane", "place", "way", "crescent", "drive", "terrace",
                "boulevard", "court", "close", "parade", "highway", "grove", "rise", "mews", "quay",
                "esplanade", "square", "walk", "path", "row")
_STREET = re.compile(r"\b(" + "|".join(STREET_TYPES) + r")\b", re.IGNORECASE)
# Abbreviated street types, written out in the query: registers store "Road", not "Rd".
_ABBREVIATED = {"st": "Street", "rd": "Road", "ave": "Avenue", "tce": "Terrace", "cres": "Crescent",
                "dr": "Drive", "pl": "Place", "hwy": "Highway", "pde": "Parade", "ln": "Lane"}
_ABBREVIATION = re.compile(r"(?<=\w )(" + "|".join(_ABBREVIATED) + r")\b\.?", re.IGNORECASE)
# "Shop 3, ", "Unit 4 ", "Level 1, ", "2/": where in the building, not which street.
_UNIT = re.compile(r"^(?:(?:shop|unit|flat|suite|level|apartment|apt)\s+\w+\s*,?\s*|\d+[a-z]?\s*/\s*(?=\d))+",
                   re.IGNORECASE)
_BRACKETS = re.compile(r"\([^)]*\)")
_LEGAL_SUFFIX = re.compile(r"\s+(limited|ltd)$")


def clean_name(name: str) -> str:
    """The name with every bracketed part removed; the original when nothing would remain."""
    cleaned = re.sub(r"\s{2,}", " ", _BRACKETS.sub(" ", name)).strip()
    return cleaned or name.strip()


def written_out(street: str) -> str:
    """``"221 Karangahape Rd"`` → ``"221 Karangahape Road"`` (the register's spelling)."""
    return _ABBREVIATION.sub(lambda m: _ABBREVIATED[m.group(1).lower()], street)


def street_of(address: str) -> str:
    """The address without a unit/shop/level prefix, cut after its first street-type word (``Rd`` and
    other abbreviations count, kept as written), else its first three words."""
    address = _UNIT.sub("", address.strip())
    match = _STREET.search(written_out(address))
    if match:  # cut the original after the same word (abbreviations are shorter than written out)
        words = len(written_out(address)[:match.end()].split())
        return " ".join(address.split()[:words]).rstrip(",").strip()
    street = " ".join(address.split()[:3])
    return street.strip().rstrip(",").strip()


def build_queries(restaurant: Mapping[str, Any],
                  overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``{restaurant_name, street, city, original_values}``; overrides (a re-search) win as given."""
    name = str(restaurant.get("name") or "")
    address = str(restaurant.get("address") or "")
    city = str(restaurant.get("city") or "")
    queries: dict[str, Any] = {"restaurant_name": clean_name(name), "street": street_of(address),
                               "city": city}
    for key, field in (("name", "restaurant_name"), ("street", "street"), ("city", "city")):
        if overrides and overrides.get(key) not in (None, ""):
            queries[field] = str(overrides[key]).strip()
    queries["original_values"] = {"name": name, "address": address, "city": city}
    return queries


def address_keyword(queries: Mapping[str, Any]) -> str:
    return " ".join(str(queries.get(k) or "") for k in ("street", "city")).strip()


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"['’]", "", folded)).strip()
    return _LEGAL_SUFFIX.sub("", words)


def name_similarity(restaurant_name: str, company_name: str) -> float:
    """0..1: how alike the names are once case, macrons, apostrophes, punctuation and a trailing
    "Limited"/"Ltd" are ignored; 1.0 only for equal names (so ≥ 0.9 means "the same name or a typo")."""
    a, b = _normal(clean_name(restaurant_name)), _normal(company_name)
    if not a or not b:
        return 0.0
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return 1.0
    return round(SequenceMatcher(None, a, b).ratio(), 3)


def merge_candidates(name_results: Sequence[Mapping[str, Any]], address_results: Sequence[Mapping[str, Any]],
                     restaurant_name: str) -> list[dict[str, Any]]:
    """Name hits first, then address hits; one entry per company number, scored, best first."""
    merged: dict[str, dict[str, Any]] = {}
    for source, results in (("name", name_results), ("address", address_results)):
        for result in results:
            number = str(result.get("company_number") or "")
            if not number:
                continue
            if number in merged:
                if merged[number]["match_source"] != source:
                    merged[number]["match_source"] = "both"
                # the other search may know what this one left empty (e.g. the registered address)
                merged[number].update({k: v for k, v in result.items() if v and not merged[number].get(k)})
                continue
            merged[number] = dict(result) | {"match_source": source}
    for candidate in merged.values():
        candidate["similarity"] = name_similarity(restaurant_name, str(candidate.get("company_name") or ""))
    # stable: equal scores keep name-hits-first order
    return sorted(merged.values(), key=lambda c: -float(c["similarity"]))


def _is_registered(candidate: Mapping[str, Any]) -> bool:
    return str(candidate.get("status", "")).strip().lower().startswith("registered")


def strong_single_match(candidates: Sequence[Mapping[str, Any]], threshold: float = 0.9
                        ) -> Mapping[str, Any] | None:
    """The only REGISTERED candidate with similarity ≥ ``threshold``; None if there are 0 or ≥ 2."""
    strong = [c for c in candidates if _is_registered(c) and float(c.get("similarity") or 0) >= threshold]
    return strong[0] if len(strong) == 1 else None


def is_active_director(director: Mapping[str, Any]) -> bool:
    status = str(director.get("status") or "").strip().lower()
    if status:
        return status in ("active", "current", "registered")
    return not director.get("cessation_date")


def first_active_director(directors: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The first director, in the register's order, still in office (no cessation date / active)."""
    return next((d for d in directors if is_active_director(d)), None)


def title_case(name: str) -> str:
    """"JOHN o'NEILL-SMITH" → "John O'Neill-Smith" (names, not prose)."""
    def cap(word: str) -> str:
        return "-".join("'".join(p[:1].upper() + p[1:].lower() for p in part.split("'"))
                        for part in word.split("-"))
    return " ".join(cap(w) for w in name.split())
