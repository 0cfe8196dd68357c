"""Menus → Item Tags (§8): create missing tags in the tabbed "Create New Item Tag" dialog — Tag Name,
Tag Text, the colour picker, the items tree (2nd tab) — and adopt tags that exist by name.

``TAG_PRESETS`` are the prior system's names and colours (IT:79-90); :func:`preset_tag` maps an
item's raw tag onto them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.async_api import Locator, Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.item_picker import tick_items
from regctl.steps.portal.locators import COLOUR_PICKER
from regctl.steps.portal.menus_locators import ITEM_TAG_DIALOG
from regctl.steps.portal.menus_option_sets import EnsureReport, ensure_by_name, open_dialog, save_dialog
from regctl.steps.portal.menus_state import existing_item_tags

__all__ = ["TAG_PRESETS", "ItemTagInput", "create_item_tag", "ensure_item_tags", "existing_item_tags",
           "preset_tag"]

HEX = re.compile(r"#[0-9a-fA-F]{6}")
ITEMS_TAB = "2"  # [P] §8 IT:104: "Add / Remove From Items" is the 2nd tab (ITI:33-34, user-confirmed)
TAG_PRESETS = {
    "Popular": "#B400FA", "New": "#3f92ff", "Deal": "#4fc060", "Vegan": "#36AB36",
    "Vegetarian": "#32CD32", "Gluten Free": "#FF8C00", "Dairy Free": "#4682B4", "Nut Free": "#DEB887",
    "Halal": "#8B7355", "Spicy": "#FF3333",
}
ALIASES = {"most liked": "Popular", "favourite": "Popular", "favorites": "Popular", "favourites": "Popular",
           "hot": "Spicy", "gf": "Gluten Free", "contains nuts": "Nut Free"}


def preset_tag(raw: str) -> str | None:
    """The preset tag a raw item tag stands for (case-insensitive), or None."""
    key = raw.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    return next((name for name in TAG_PRESETS if name.lower() == key), None)


@dataclass(frozen=True)
class ItemTagInput:
    name: str
    colour: str
    items: tuple[str, ...] = ()


async def _colour(page: Page, dialog: Locator, colour: str) -> None:
    """Swatch → the react-color popover → fill its hex input → Escape closes the popover (§8, §11.2)."""
    await (await ITEM_TAG_DIALOG.find(dialog, "swatch")).first.click()
    await (await COLOUR_PICKER.find(dialog, "hex")).first.fill(colour)
    await page.keyboard.press("Escape")
    await dialog.locator(COLOUR_PICKER["popover"].primary.value).first.wait_for(state="hidden")


async def create_item_tag(page: Page, spec: ItemTagInput) -> list[str]:
    """Create one tag (Tag Name = Tag Text = name, its colour, its items); the item names not found."""
    if not HEX.fullmatch(spec.colour):  # the picker ignores anything else and would save the old colour
        raise PermanentStepError(f"item tag {spec.name!r}: colour {spec.colour!r} must be a hex colour "
                                 "like #3f92ff")
    dialog = await open_dialog(page, "Item Tag")
    await (await ITEM_TAG_DIALOG.find(dialog, "name")).first.fill(spec.name)
    await (await ITEM_TAG_DIALOG.find(dialog, "text")).first.fill(spec.name)
    await _colour(page, dialog, spec.colour)
    missing = await tick_items(dialog, ITEM_TAG_DIALOG, ITEMS_TAB, list(spec.items))
    await save_dialog(page, dialog, await ITEM_TAG_DIALOG.find(dialog, "save"), "item tag", spec.name)
    if spec.name not in await existing_item_tags(page):
        raise PermanentStepError(f"item tag {spec.name!r} was saved but is not in the list")
    return missing


async def ensure_item_tags(page: Page, specs: list[ItemTagInput]) -> EnsureReport:
    """Create each tag not already present by name; failures recorded, the rest still tried."""
    return await ensure_by_name(page, specs, await existing_item_tags(page), create_item_tag)
