"""Menus → Item Tags (reference §1 step 12): read existing tags, create missing ones with a colour and
attached items. ``TAG_PRESETS`` are the prior system's names and colours; :func:`preset_tag`
maps an item's raw tag onto them."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import alert_text, click_and_wait_load, wait_visible
from regctl.steps.portal.item_picker import tick_items
from regctl.steps.portal.menus_option_sets import EnsureReport, ensure_by_name

__all__ = ["TAG_PRESETS", "ItemTagInput", "create_item_tag", "ensure_item_tags", "existing_item_tags",
           "preset_tag"]

DIALOG = "#item-tag-dialog"
TAG_PRESETS = {
    "Popular": "#b400fa", "New": "#3f92ff", "Deal": "#4fc060", "Vegan": "#36AB36",
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


async def existing_item_tags(page: Page) -> list[str]:
    """Names of the tags on the Item Tags tab."""
    return [t.strip() for t in await page.locator(".item-tag-name").all_inner_texts()]


async def create_item_tag(page: Page, spec: ItemTagInput) -> list[str]:
    """Create one tag (Tag Name = Tag Text = name); the item names not found to attach."""
    await page.get_by_role("button", name="Create", exact=True).click()
    dialog = page.locator(DIALOG)
    await wait_visible(dialog, "the item-tag dialog")
    await dialog.get_by_label("Tag Name", exact=True).fill(spec.name)
    await dialog.get_by_label("Tag Text", exact=True).fill(spec.name)
    await dialog.locator(".colour-picker input[type=text]").fill(spec.colour)
    missing = await tick_items(dialog.locator("form"), list(spec.items))
    await click_and_wait_load(page, dialog.get_by_role("button", name="Save"))
    said = await alert_text(page)
    if said or spec.name not in await existing_item_tags(page):
        raise PermanentStepError(f"item tag {spec.name!r} was not created: {said or 'not in the list'}")
    return missing


async def ensure_item_tags(page: Page, specs: list[ItemTagInput]) -> EnsureReport:
    """Create each tag not already present by name; failures recorded, the rest still tried."""
    return await ensure_by_name(page, specs, await existing_item_tags(page), create_item_tag)
