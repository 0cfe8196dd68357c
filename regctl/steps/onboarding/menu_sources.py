"""Menu sources → :class:`MenuData`: the extraction API's JSON, a JSON file, or a CSV file.

Parsers are pure and tolerant of the shapes seen in practice: snake_case (our extraction schema),
the prior system's ``dishName/dishPrice/dishDescription/imageUrl/optionSets``, its JSON export
``{"menuItems": [{categoryName, dishName, dishPrice, …}]}`` (a flat list, grouped here by category),
and the CSV files it wrote (Pumpdnz/restaurant-menu-automation, csv-generation-quick-reference.md):
the 16 import columns, the 17-column "with images" file (``imageURL`` last) and the CDN file
(``isCDNImage, imageCDNID, imageCDNFilename, imageExternalURL``: a CDN image keeps its id and is not
uploaded again). An item without a category goes to ``Uncategorized``, as the real import files do.
Option sets given per item are de-duplicated by name across the menu. Tags come from menu_tags.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from regctl.bounds import MAX_MENU_FILE_BYTES
from regctl.db.domain import CategoryData, ItemData, MenuData, OptionSetData
from regctl.errors import PermanentStepError
from regctl.menu_tags import tag_item

__all__ = ["CDN_FILE_URL", "UNCATEGORIZED", "menu_from_csv", "menu_from_file", "menu_from_json",
           "parse_price"]

UNCATEGORIZED = "Uncategorized"
CDN_FILE_URL = "https://ucarecdn.com/{uuid}/"  # where a CDN CSV's imageCDNID lives (Uploadcare's CDN)
# "1,250.00" (thousands separators) | "12,50" (decimal comma) | "12.50" | "12"
_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:[.,]\d+)?")


def parse_price(value: object) -> Decimal:
    """``12.5``, ``"$12.50"``, ``"+$2"``, ``"1,250.00"`` → Decimal with 2 places; anything else → 0.00."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    match = _NUMBER.search(str(value or ""))
    if not match:
        return Decimal("0.00")
    text = match.group(0)
    text = text.replace(",", "") if re.search(r",\d{3}(?:\D|$)", text) else text.replace(",", ".")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return Decimal("0.00")


def _get(d: Mapping[str, Any], *keys: str) -> Any:
    return next((d[k] for k in keys if d.get(k) not in (None, "")), None)


def _option_set(raw: Mapping[str, Any]) -> OptionSetData:
    options = [(str(_get(o, "name", "optionName") or ""), parse_price(_get(o, "price", "priceValue")))
               for o in raw.get("options") or [] if isinstance(o, Mapping)]
    required = bool(_get(raw, "required", "is_required", "isRequired"))
    minimum = int(_get(raw, "min_selections", "minSelections", "min") or (1 if required else 0))
    maximum = int(_get(raw, "max_selections", "maxSelections", "max") or max(1, minimum))
    return OptionSetData(name=str(raw.get("name") or "Options"), required=required, min_select=minimum,
                         max_select=maximum, options=[o for o in options if o[0]])


def _cdn_image(raw: Mapping[str, Any]) -> tuple[str, tuple[str, str]] | None:
    """A CDN CSV row's image: (its CDN URL, (CDN id, filename)) when ``isCDNImage`` is TRUE."""
    cdn_id = str(raw.get("imageCDNID") or "").strip()
    if str(raw.get("isCDNImage") or "").strip().upper() != "TRUE" or not cdn_id:
        return None
    return CDN_FILE_URL.format(uuid=cdn_id), (cdn_id, str(raw.get("imageCDNFilename") or "").strip())


def _images(raw: Mapping[str, Any]) -> list[str]:
    found = raw.get("image_urls") or raw.get("images") or []
    single = _get(raw, "image_url", "imageUrl", "imageURL", "image", "imageExternalURL")
    urls = [str(u.get("url") if isinstance(u, Mapping) else u) for u in found]
    urls += [str(single)] if single else []
    on_cdn = _cdn_image(raw)
    urls = [on_cdn[0], *urls] if on_cdn else urls
    return list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))


class _Builder:
    """Collects categories and de-duplicated option sets while parsing."""

    def __init__(self) -> None:
        self.menu = MenuData()
        self.sets: dict[str, OptionSetData] = {}

    def option_set(self, raw: Mapping[str, Any] | str) -> str:
        if isinstance(raw, str):
            return raw
        parsed = _option_set(raw)
        self.sets.setdefault(parsed.name, parsed)
        return parsed.name

    def item(self, raw: Mapping[str, Any], category: str) -> ItemData:
        description = _get(raw, "description", "dishDescription")
        tagged = tag_item(str(_get(raw, "name", "dishName") or ""), description, category,
                          _given_tags(raw.get("tags")))
        sets = [self.option_set(s) for s in _get(raw, "option_sets", "optionSets") or []]
        on_cdn = _cdn_image(raw)
        return ItemData(name=tagged.name, price=parse_price(_get(raw, "price", "dishPrice")),
                        description=_get(raw, "description", "dishDescription"), tags=tagged.tags,
                        image_urls=_images(raw), option_sets=sets,
                        item_type=str(_get(raw, "item_type", "dishType") or "standard"),
                        cdn_images=dict([on_cdn]) if on_cdn else {})

    def add(self, category_name: object, raw: Mapping[str, Any]) -> None:
        """One item into its category (made on first use; a blank name is ``Uncategorized``)."""
        name = str(category_name or "").strip() or UNCATEGORIZED
        category = next((c for c in self.menu.categories if c.name == name), None)
        if category is None:
            category = CategoryData(name)
            self.menu.categories.append(category)
        category.items.append(self.item(raw, name))

    def finish(self, top_level_sets: list[Any]) -> MenuData:
        for raw in top_level_sets:
            if isinstance(raw, Mapping):
                self.option_set(raw)
        self.menu.option_sets = list(self.sets.values())
        return self.menu


def _given_tags(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [t.strip() for t in raw.split(",") if t.strip()]
    return [str(t) for t in raw or []] if isinstance(raw, list) else []


def menu_from_json(data: Mapping[str, Any]) -> MenuData:
    """From ``{categories: [{name, items: [...]}], option_sets: [...]}`` (or ``menu: {...}``), or the
    prior system's flat ``{"menuItems": [{categoryName, dishName, …}]}``."""
    data = data.get("menu", data) if isinstance(data.get("menu"), Mapping) else data
    builder = _Builder()
    for raw_category in data.get("categories") or []:
        name = str(_get(raw_category, "name", "categoryName") or "").strip() or UNCATEGORIZED
        items = [builder.item(i, name) for i in _get(raw_category, "items", "dishes") or []
                 if isinstance(i, Mapping) and _get(i, "name", "dishName")]
        builder.menu.categories.append(CategoryData(name, items))
    for raw in data.get("menuItems") or []:
        if isinstance(raw, Mapping) and _get(raw, "name", "dishName"):
            builder.add(_get(raw, "categoryName", "category"), raw)
    return builder.finish(list(data.get("option_sets") or data.get("optionSets") or []))


def menu_from_csv(text: str) -> MenuData:
    """From the platform's import CSV (one row per item; option sets cannot be expressed there)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "dishName" not in reader.fieldnames:
        raise PermanentStepError("menu CSV: the header must have the platform's columns (dishName, "
                                 "dishPrice, categoryName, …)")
    builder = _Builder()
    for row in reader:
        if (row.get("dishName") or "").strip():
            builder.add(row.get("categoryName"), row)
    return builder.finish([])


def menu_from_file(path: Path) -> MenuData:
    """A CSV or JSON menu file; a PermanentStepError naming the file when it is unreadable."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_MENU_FILE_BYTES:  # /dev/zero, a FIFO, a huge file
            raise PermanentStepError(f"menu_file {path}: not a regular file of at most "
                                     f"{MAX_MENU_FILE_BYTES // 2**20} MiB")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PermanentStepError(f"menu_file {path}: cannot read it ({exc.strerror})") from None
    if path.suffix.lower() == ".json":
        try:
            return menu_from_json(json.loads(text))
        except (json.JSONDecodeError, AttributeError) as exc:
            raise PermanentStepError(f"menu_file {path}: not a menu JSON ({exc})") from None
    return menu_from_csv(text)
