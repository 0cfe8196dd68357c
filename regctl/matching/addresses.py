"""New Zealand street addresses, parsed into the parts that identify a place.

``"Shop 2, 148 Ponsonby Rd, Ponsonby, Auckland 1011"`` → number ``148``, street ``ponsonby road``
(type normalised), suburb ``ponsonby``, city ``auckland``, postcode ``1011``. Register addresses come
as ``address1, address2, address3, postCode`` (NZBN v5 ``addressList``) and parse the same way.
Units and levels ("2/148", "Level 1") are dropped: a company registered upstairs is at the address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regctl.matching.names import fold

__all__ = ["STREET_TYPES", "NzAddress", "address_relation"]

STREET_TYPES = {
    "street": ("st",), "road": ("rd",), "avenue": ("ave", "av"), "lane": ("ln",), "place": ("pl",),
    "way": (), "crescent": ("cres", "cr", "crs"), "drive": ("dr", "drv"), "terrace": ("tce", "terr"),
    "boulevard": ("blvd",), "court": ("ct",), "close": ("cl",), "parade": ("pde",), "highway": ("hwy",),
    "grove": ("gr",), "rise": (), "mews": (), "quay": ("qy",), "esplanade": ("esp",), "square": ("sq",),
    "walk": (), "path": (), "row": (), "mall": (), "strand": (), "glade": (), "heights": ("hts",),
}
_ALIASES = {alias: full for full, aliases in STREET_TYPES.items() for alias in aliases}
# (folded text: "2/401" arrives as "2 401") an optional unit word, an optional unit number, the number
_NUMBERED = re.compile(r"^(?:(?:shop|unit|flat|suite|level|apartment|apt)\s+\w+\s+)?(?:\d+[a-z]?\s+(?=\d))?"
                       r"(\d+[a-z]?)\s+([a-z].*)$")
_POSTCODE = re.compile(r"\b(\d{4})\b")
_COUNTRY = {"nz", "new zealand", "aotearoa"}


_DIRECTIONS = {"east", "west", "north", "south", "upper", "lower", "extension"}


def _normal_street(street: str) -> str:
    return " ".join(_ALIASES.get(t, t) for t in street.split())


def _split_street(text: str) -> tuple[str, str]:
    """``"ponsonby rd auckland 1011"`` → (``"ponsonby road"``, ``"auckland 1011"``): the street ends at
    its type word (and a direction after it); what follows is the town, for addresses without commas."""
    tokens = _normal_street(text).split()
    for i, token in enumerate(tokens[1:], start=1):
        if token in STREET_TYPES:
            end = i + 1 + (1 if i + 1 < len(tokens) and tokens[i + 1] in _DIRECTIONS else 0)
            return " ".join(tokens[:end]), " ".join(tokens[end:])
    return " ".join(tokens), ""


@dataclass(frozen=True)
class NzAddress:
    number: str  # "148", "12a"; "" when the address has none
    street: str  # "ponsonby road" (folded, type normalised)
    suburb: str  # "ponsonby" or ""
    city: str  # "auckland" or ""
    postcode: str  # "1011" or ""

    @classmethod
    def parse(cls, text: str) -> NzAddress:
        parts = [fold(p) for p in re.split(r"[,\n]", text) if fold(p)]
        parts = [p for p in parts if p not in _COUNTRY]
        postcode = ""
        for i in range(len(parts) - 1, -1, -1):
            match = _POSTCODE.search(parts[i])
            if match and not _NUMBERED.match(parts[i]):
                postcode = match.group(1)
                parts[i] = _POSTCODE.sub("", parts[i]).strip()
                break
        parts = [p for p in parts if p]
        at = next((i for i, p in enumerate(parts) if _NUMBERED.match(p)), None)
        if at is None:
            return cls("", _normal_street(parts[0]) if parts else "", "", parts[-1] if len(parts) > 1 else "",
                       postcode)
        match = _NUMBERED.match(parts[at])
        assert match is not None
        street, tail = _split_street(match.group(2))
        rest = parts[at + 1:] + ([tail] if tail else [])
        if tail and not postcode and _POSTCODE.search(tail):
            postcode = _POSTCODE.search(tail).group(1)  # type: ignore[union-attr]
            rest[-1] = _POSTCODE.sub("", tail).strip()
            rest = [p for p in rest if p]
        city = rest[-1] if rest else ""
        suburb = ", ".join(rest[:-1])
        return cls(match.group(1), street, suburb, city, postcode)

    def place(self) -> str:
        return f"{self.number} {self.street}".strip()


def _same_area(a: NzAddress, b: NzAddress) -> bool | None:
    """True/False when postcode or town tells; None when neither side says."""
    if a.postcode and b.postcode:
        return a.postcode == b.postcode
    towns_a = {t for t in (a.city, a.suburb) if t}
    towns_b = {t for t in (b.city, b.suburb) if t}
    if towns_a and towns_b:
        return bool(towns_a & towns_b)
    return None


def address_relation(restaurant: NzAddress, other: NzAddress) -> str:
    """``same`` (number + street, same area), ``same_street`` (street and area, another number),
    ``same_area`` (postcode or town only) or ``elsewhere``."""
    area = _same_area(restaurant, other)
    if area is False or not restaurant.street or not other.street:
        return "elsewhere" if area is not True else "same_area"
    if restaurant.street == other.street:
        if restaurant.number and restaurant.number == other.number:
            return "same"
        return "same_street"
    return "same_area" if area else "elsewhere"
