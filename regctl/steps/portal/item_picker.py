"""The "Add / Remove From Items" tree shared by the option-set and item-tag dialogs (§7 "Items tree", §8).

Open the dialog's "Add / Remove From Items" tab, expand the root(s) and every category
(``div.cursor.flex-center > svg`` chevrons), then for each item name every ``span.m-l-2`` with exactly
that text → its ``label``. Clicking a label *toggles* its box (OS:61-62: a second click unticks), and
an item may be listed twice (under "Featured Items" too), so each box is read before it is clicked:
idempotent, and an item listed twice is never unticked by its second entry.
"""

from __future__ import annotations

from playwright.async_api import Locator

from regctl.steps.portal.locators import PageTable
from regctl.steps.portal.menus_locators import CATEGORY_EXPANDERS, ITEM_ENTRY, css_string

__all__ = ["ITEMS_TAB", "tick_items"]

ITEMS_TAB = "Add / Remove From Items"  # [P] §7 OS:138, §8 IT:104


async def _expand(dialog: Locator, chevrons: Locator) -> None:
    """Click every chevron whose children are not shown (a click toggles; an open one is left alone)."""
    for i in range(await chevrons.count()):
        chevron = chevrons.nth(i)
        node = chevron.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' cursor ')][1]/..")
        children = node.locator("xpath=following-sibling::div[1]")
        if not await children.count() or not await children.is_visible():  # unmounted or hidden
            await chevron.click()


async def tick_items(dialog: Locator, table: PageTable, tab: str, names: list[str]) -> list[str]:
    """Tick every item called one of ``names`` in the dialog's tree; the names not found."""
    if not names:
        return []
    await (await table.find(dialog, "tab", name=ITEMS_TAB, n=tab)).first.click()
    root = await table.find(dialog, "tree_root")
    await _expand(dialog, root)
    await _expand(dialog, dialog.locator(CATEGORY_EXPANDERS))
    await _expand(dialog, dialog.locator(CATEGORY_EXPANDERS))  # categories nested under menus
    missing = []
    for name in dict.fromkeys(names):
        labels = dialog.locator(ITEM_ENTRY.format(name=css_string(name))).locator("xpath=ancestor::label[1]")
        count = await labels.count()
        if not count:
            missing.append(name)
        for i in range(count):
            label = labels.nth(i)
            box = label.locator("input[type=checkbox]")
            if await box.count() and await box.first.is_checked():
                continue
            await label.click()
    return missing
