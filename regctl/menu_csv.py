"""The platform's menu import CSV: one row per item, the portal's columns, RFC-4180 quoting.

Pure: menu data in, text out. Column set and fill rules follow the prior system (reference §5):
menuName "Menu", dishPrice with 2 decimals (currency symbols stripped, unparseable → 0.00), dishType
``standard`` unless given, tags joined ", ", isCDNImage TRUE/FALSE with the CDN id and filename of
the primary image; ids, display/print names and imageExternalURL left blank on purpose (the platform
only imports CDN-hosted images). Text is cleaned of delivery-platform UI noise and newlines. Rows end
in LF and a blank category is written ``Uncategorized``, as in the platform's own import files.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

__all__ = ["COLUMNS", "UNCATEGORIZED", "CsvCategory", "CsvItem", "build_menu_csv", "clean_text",
           "format_price", "item_count"]

COLUMNS: tuple[str, ...] = (
    "menuID", "menuName", "menuDisplayName", "menuDescription",
    "categoryID", "categoryName", "categoryDisplayName", "categoryDescription",
    "dishID", "dishName", "dishPrice", "dishType", "dishDescription", "displayName", "printName",
    "tags", "isCDNImage", "imageCDNID", "imageCDNFilename", "imageExternalURL",
)

MENU_NAME = "Menu"
UNCATEGORIZED = "Uncategorized"  # the real import files' category for items without one


@dataclass(frozen=True)
class CsvItem:
    name: str
    price: object  # Decimal, float, int or text such as "$12.50"; anything unparseable becomes 0.00
    description: str | None = None
    item_type: str | None = None
    tags: Sequence[str] = ()
    cdn_id: str | None = None  # the primary image's CDN id, when it reached the CDN
    cdn_filename: str | None = None


@dataclass(frozen=True)
class CsvCategory:
    name: str
    items: Sequence[CsvItem] = field(default_factory=tuple)
    description: str | None = None


# Delivery-platform UI text that leaks into scraped names and descriptions.
_NOISE = (
    re.compile(r"\bplus small\b", re.IGNORECASE),
    re.compile(r"\bthumb up outline\b", re.IGNORECASE),
    re.compile(r"\bno\.\s*\d+\s+most liked\b", re.IGNORECASE),
    re.compile(r"\b\d{1,3}(?:\.\d+)?\s*%(?:\s*\(\d+\))?"),  # "92%" or "92% (41)" ratings
    re.compile(r"\(\d+\)"),  # review counts "(41)"
)
_SEPARATOR_RUNS = re.compile(r"\s*([•·|,;-])(?:\s*\1)+\s*")
_WHITESPACE = re.compile(r"\s+")
_EDGE_SEPARATORS = " •·|,;-"
_PRICE_CHARS = re.compile(r"[^0-9.\-]")


def clean_text(text: str | None) -> str:
    """Remove UI noise, newlines and doubled separators; collapse whitespace."""
    if not text:
        return ""
    out = text.replace("\r", " ").replace("\n", " ")
    for pattern in _NOISE:
        out = pattern.sub(" ", out)
    out = _WHITESPACE.sub(" ", out)
    out = _SEPARATOR_RUNS.sub(lambda m: f"{m.group(1)} " if m.group(1) == "," else f" {m.group(1)} ", out)
    out = _WHITESPACE.sub(" ", out)
    return out.strip(_EDGE_SEPARATORS).strip()


def format_price(value: object) -> str:
    """Two decimals, currency symbols and thousands separators stripped; unparseable → "0.00"."""
    if value is None or isinstance(value, bool):
        return "0.00"
    text = _PRICE_CHARS.sub("", str(value).replace(",", ""))
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return "0.00"
    if not amount.is_finite():
        return "0.00"
    return f"{amount.quantize(Decimal('0.01')):.2f}"


def _tags_cell(tags: Iterable[str]) -> str:
    seen: list[str] = []
    for tag in tags:
        cleaned = clean_text(tag)
        if cleaned and cleaned.lower() not in (t.lower() for t in seen):
            seen.append(cleaned)
    return ", ".join(seen)


def _row(category: CsvCategory, item: CsvItem) -> dict[str, str]:
    on_cdn = bool(item.cdn_id)
    return {
        "menuName": MENU_NAME,
        "categoryName": clean_text(category.name) or UNCATEGORIZED,
        "categoryDescription": clean_text(category.description),
        "dishName": clean_text(item.name),
        "dishPrice": format_price(item.price),
        "dishType": (item.item_type or "standard").strip() or "standard",
        "dishDescription": clean_text(item.description),
        "tags": _tags_cell(item.tags),
        "isCDNImage": "TRUE" if on_cdn else "FALSE",
        "imageCDNID": item.cdn_id or "",
        "imageCDNFilename": (item.cdn_filename or "") if on_cdn else "",
    }


def build_menu_csv(categories: Iterable[CsvCategory]) -> str:
    """The CSV text (header + one row per item with a non-empty name): RFC 4180 quoting, LF line ends
    as the platform's own import files have them."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, restval="", quoting=csv.QUOTE_MINIMAL,
                            lineterminator="\n")
    writer.writeheader()
    for category in categories:
        for item in category.items:
            if clean_text(item.name):
                writer.writerow(_row(category, item))
    return buffer.getvalue()


def item_count(categories: Iterable[CsvCategory]) -> int:
    """How many rows :func:`build_menu_csv` writes: items whose cleaned name is not empty."""
    return sum(1 for c in categories for i in c.items if clean_text(i.name))
