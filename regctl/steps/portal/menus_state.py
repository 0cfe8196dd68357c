"""Reading the Menus page's lists after a change: how many items each option set / item tag has.

Complements menus_option_sets / menus_item_tags (which create) so a step can verify attachments.
"""

from __future__ import annotations

import re

from playwright.async_api import Page

__all__ = ["item_tag_item_counts", "option_set_item_counts"]

_COUNT = re.compile(r"(\d+)\s+items?")


async def _counts(page: Page, row: str, name: str) -> dict[str, int]:
    rows = page.locator(row)
    found: dict[str, int] = {}
    for i in range(await rows.count()):
        text = await rows.nth(i).inner_text()
        match = _COUNT.search(text)
        found[(await rows.nth(i).locator(name).inner_text()).strip()] = int(match.group(1)) if match else 0
    return found


async def option_set_item_counts(page: Page) -> dict[str, int]:
    """Option set name → number of items it is attached to (Option Sets tab)."""
    return await _counts(page, "tr.option-set-row", ".option-set-name")


async def item_tag_item_counts(page: Page) -> dict[str, int]:
    """Item tag name → number of items carrying it (Item Tags tab)."""
    return await _counts(page, "tr.item-tag-row", ".item-tag-name")
