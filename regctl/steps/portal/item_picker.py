"""The "Add / Remove From Items" picker shared by option sets and item tags (reference §1 step 11).

Every menu and category is expanded, then for each item name the ``label`` around every
``span.m-l-2`` with exactly that text is ticked — an item listed twice (e.g. also under "Featured
Items") is ticked in both places.
"""

from __future__ import annotations

import re

from playwright.async_api import Locator

__all__ = ["tick_items"]

TOGGLE = "Add / Remove From Items"
EXPANDERS = (".picker-menu-name", ".picker-category-name")


async def _expand_all(picker: Locator) -> None:
    for selector in EXPANDERS:
        buttons = picker.locator(selector)
        for i in range(await buttons.count()):
            button = buttons.nth(i)
            if not await button.locator("xpath=following-sibling::div[1]").is_visible():
                await button.click()


async def tick_items(form: Locator, names: list[str]) -> list[str]:
    """Open the picker inside ``form``, tick every item called one of ``names``; names not found."""
    if not names:
        return []
    toggle = form.get_by_role("button", name=TOGGLE)
    picker = form.locator(".item-picker")
    if not await picker.is_visible():
        await toggle.click()
    await _expand_all(picker)
    missing = []
    for name in dict.fromkeys(names):
        exact = re.compile(rf"^\s*{re.escape(name)}\s*$")
        labels = picker.locator("label").filter(has=picker.page.locator("span.m-l-2", has_text=exact))
        count = await labels.count()
        if not count:
            missing.append(name)
        for i in range(count):
            await labels.nth(i).locator("input[type=checkbox]").set_checked(True)
    return missing
