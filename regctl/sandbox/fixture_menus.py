"""Menu templates for the sandbox fixtures: categories, items, prices, option sets, dietary markers.

The data is ``fixtures/menus.yaml``. Item names carry the markers a delivery platform shows —
``(V)``, ``(VE)``, ``(GF)``, ``(DF)``, ``(NF)``, ``(H)`` and the word "Spicy" — so tag detection has
something real to find. A template is shared by several restaurants; :func:`menu_for` varies prices
per restaurant and drops an item on every other restaurant so that no two menus are quite alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["FixtureCategory", "FixtureItem", "FixtureOptionSet", "menu_for", "option_sets", "templates"]

MENUS_FILE = Path(__file__).with_name("fixtures") / "menus.yaml"


@dataclass(frozen=True)
class FixtureOptionSet:
    name: str
    required: bool
    min_selections: int
    max_selections: int
    options: tuple[tuple[str, float], ...]  # (name, extra price)


@dataclass(frozen=True)
class FixtureItem:
    name: str
    price: float
    description: str
    has_image: bool
    option_sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class FixtureCategory:
    name: str
    items: tuple[FixtureItem, ...]


@cache
def _raw(extra: Path | None = None) -> dict[str, Any]:
    """The built-in menus, with a fixture directory's own ``menus.yaml`` (``extra``) added over them."""
    data = yaml.safe_load(MENUS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    if extra is not None:
        own = yaml.safe_load(extra.read_text(encoding="utf-8")) or {}
        data = {key: {**data[key], **(own.get(key) or {})} for key in ("option_sets", "templates")}
    return data


@cache
def option_sets(extra: Path | None = None) -> dict[str, FixtureOptionSet]:
    """Every option set a template may use, by name."""
    return {
        name: FixtureOptionSet(
            name,
            bool(o["required"]),
            int(o["min"]),
            int(o["max"]),
            tuple((str(n), float(p)) for n, p in o["options"]),
        )
        for name, o in _raw(extra)["option_sets"].items()
    }


def _item(row: list[Any]) -> FixtureItem:
    name, price, description, has_image, sets = row
    return FixtureItem(str(name), float(price), str(description), bool(has_image), tuple(sets))


@cache
def templates(extra: Path | None = None) -> dict[str, tuple[FixtureCategory, ...]]:
    """Template name → its categories, in menu order."""
    return {
        name: tuple(
            FixtureCategory(str(cat), tuple(_item(row) for row in rows)) for cat, rows in cats.items()
        )
        for name, cats in _raw(extra)["templates"].items()
    }


def menu_for(template: str, index: int, extra: Path | None = None) -> tuple[FixtureCategory, ...]:
    """The template's menu for fixture number ``index``: prices nudged, one item dropped on odd ones."""
    bump = 0.5 * (index % 3)
    categories = []
    for cat_no, category in enumerate(templates(extra)[template]):
        items = [
            FixtureItem(i.name, round(i.price + bump, 2), i.description, i.has_image, i.option_sets)
            for i in category.items
        ]
        if index % 2 == 1 and cat_no == 0 and len(items) > 2:
            items.pop()
        categories.append(FixtureCategory(category.name, tuple(items)))
    return tuple(categories)
