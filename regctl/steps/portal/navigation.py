"""Moving around inside one restaurant: the sidebar, the Settings tabs and the Menus tab group
(``open_menus_tab`` lives in menus_state with the Menus page's table; re-exported here).

All client-side (real-portal-pages.md §18.2): after each click we wait for the portal's loading cover,
never for a page load. Settings tabs are chosen by their exact text, in the real order System,
Services, Payments, Website, Integrations (§9); System is where Settings opens.
"""

from __future__ import annotations

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_settle
from regctl.steps.portal.locators import (
    RESTAURANT,
    SETTINGS,
    SETTINGS_TABS,
    wait_loader_gone,
)
from regctl.steps.portal.menus_state import open_menus_tab

__all__ = ["SETTINGS_TABS", "open_menus_tab", "open_restaurant_page", "open_settings_tab", "view_store"]



async def open_restaurant_page(page: Page, admin_url: str, restaurant_id: str) -> None:
    """Go straight to a restaurant (``/restaurant/RES…``); 404 → PermanentStepError."""
    response = await page.goto(f"{admin_url.rstrip('/')}/restaurant/{restaurant_id}",
                               wait_until="domcontentloaded")
    if response is not None and response.status == 404:
        raise PermanentStepError(f"restaurant {restaurant_id} was not found under this portal account")
    await RESTAURANT.find(page, "nav_settings")
    await wait_loader_gone(page)


async def open_settings_tab(page: Page, tab: str) -> None:
    """Sidebar Settings (opens on System), then the tab by its exact text."""
    if tab not in SETTINGS_TABS:
        raise ValueError(f"unknown settings tab {tab!r}; expected one of {', '.join(SETTINGS_TABS)}")
    await click_and_settle(page, (await RESTAURANT.find(page, "nav_settings")).first)
    if tab != "System":
        await click_and_settle(page, (await SETTINGS.find(page, "tab", name=tab)).first)


async def view_store(page: Page) -> str:
    """Open the sidebar's "View Store" (a new tab, §5), wait for it, close it; its URL."""
    async with page.context.expect_page() as opened:
        await (await RESTAURANT.find(page, "nav_view_store")).first.click()
    store = await opened.value
    try:
        await store.wait_for_load_state("domcontentloaded")
        return store.url
    finally:
        await store.close()
