"""Moving around inside one restaurant: the sidebar links and the tab groups."""

from __future__ import annotations

from playwright.async_api import Page

from regctl.steps.portal.common import click_and_wait_load, wait_visible

__all__ = ["SETTINGS_TABS", "open_menus_tab", "open_restaurant_page", "open_settings_tab"]

SETTINGS_TABS = ("Website", "Services", "Payments")
MENU_TABS = ("Menus", "Option Sets", "Item Tags")


async def open_restaurant_page(page: Page, admin_url: str, restaurant_id: str) -> None:
    """Go straight to a restaurant's dashboard (``/restaurant/RES…``)."""
    await page.goto(f"{admin_url.rstrip('/')}/restaurant/{restaurant_id}", wait_until="domcontentloaded")
    await wait_visible(page.locator("#nav-link-settings"), "the restaurant's sidebar")


async def open_settings_tab(page: Page, tab: str) -> None:
    """Sidebar "Settings", then the tab by its text (Website, Services or Payments)."""
    if tab not in SETTINGS_TABS:
        raise ValueError(f"unknown settings tab {tab!r}; expected one of {', '.join(SETTINGS_TABS)}")
    await click_and_wait_load(page, page.locator("#nav-link-settings"))
    await click_and_wait_load(page, page.get_by_role("tab", name=tab, exact=True))


async def open_menus_tab(page: Page, tab: str = "Menus") -> None:
    """Sidebar "Menus", then the tab group button (Menus | Option Sets | Item Tags)."""
    if tab not in MENU_TABS:
        raise ValueError(f"unknown menus tab {tab!r}; expected one of {', '.join(MENU_TABS)}")
    await click_and_wait_load(page, page.locator("#nav-link-menus"))
    if tab != "Menus":
        await click_and_wait_load(page, page.get_by_role("tab", name=tab, exact=True))
