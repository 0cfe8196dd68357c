"""The Menus page: getting there (sidebar → Menus → a tab of its button group) and reading its lists.

The portal is a single-page app (§1.3): the sidebar link and the tab buttons change the view in
place, so every move waits for the loading cover to clear and for an element of the new view —
never for a page load or network-idle. The lists of existing option sets / tags / menus are read
from their cards (shape [I], see menus_locators) so a re-run can adopt what is already there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.async_api import Locator, Page

from regctl.steps.portal.locators import RESTAURANT, resolve, wait_loader_gone
from regctl.steps.portal.menus_locators import MENUS

__all__ = ["MENU_TABS", "MenuSummary", "existing_item_tags", "existing_menus", "existing_option_sets",
           "item_tag_item_counts", "open_menus_tab", "option_set_item_counts"]

MENU_TABS = {"Menus": 1, "Option Sets": 2, "Item Tags": 3}  # [P] §6.1 button order
WHAT = {"Option Sets": "Option Set", "Item Tags": "Item Tag"}
_ITEMS = re.compile(r"(\d+)\s+items?\b")


@dataclass(frozen=True)
class MenuSummary:
    name: str
    items: int


async def open_menus_tab(page: Page, tab: str = "Menus") -> None:
    """From a restaurant's page: sidebar Menus, then a tab group button (Menus, Option Sets, Item Tags)."""
    if tab not in MENU_TABS:
        raise ValueError(f"unknown menus tab {tab!r}; expected one of {', '.join(MENU_TABS)}")
    await (await resolve(page, RESTAURANT["nav_menus"], table_name=RESTAURANT.name)).first.click()
    await wait_loader_gone(page)
    button = await MENUS.find(page, "tab", name=tab, n=MENU_TABS[tab])
    if tab != "Menus":
        await button.first.click()
        await wait_loader_gone(page)
        await MENUS.find(page, "create", what=WHAT[tab])
    else:
        await MENUS.find(page, "csv")


async def _cards(page: Page) -> list[tuple[str, int]]:
    """(name, item count) of each card after the Create card: the name is the card's first line."""
    cards: Locator = page.locator(MENUS["cards"].primary.value)
    found = []
    for text in await cards.all_inner_texts():
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            continue
        match = _ITEMS.search(text)
        found.append((lines[0], int(match.group(1)) if match else 0))
    return found


async def existing_option_sets(page: Page) -> list[str]:
    """Names of the option sets on the Option Sets tab."""
    return [name for name, _ in await _cards(page)]


async def existing_item_tags(page: Page) -> list[str]:
    """Names of the tags on the Item Tags tab."""
    return [name for name, _ in await _cards(page)]


async def option_set_item_counts(page: Page) -> dict[str, int]:
    """Option set name → number of items it is attached to (Option Sets tab)."""
    return dict(await _cards(page))


async def item_tag_item_counts(page: Page) -> dict[str, int]:
    """Item tag name → number of items carrying it (Item Tags tab)."""
    return dict(await _cards(page))


async def existing_menus(page: Page) -> list[MenuSummary]:
    """The menus on the Menus tab with their item counts (first line = name, "N items")."""
    menus = page.locator(MENUS["menu_items"].primary.value)
    found = []
    for text in await menus.all_inner_texts():
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        match = _ITEMS.search(text)
        if lines:
            found.append(MenuSummary(name=lines[0], items=int(match.group(1)) if match else 0))
    return found

