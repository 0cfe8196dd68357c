"""Moving around inside one restaurant: the sidebar links and the settings tabs (Menus: menus_state)."""

from __future__ import annotations

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_wait_load, wait_visible

__all__ = ["SETTINGS_TABS", "open_restaurant_page", "open_settings_tab", "view_store"]

SETTINGS_TABS = ("Website", "Services", "Payments")


async def open_restaurant_page(page: Page, admin_url: str, restaurant_id: str) -> None:
    """Go straight to a restaurant's dashboard (``/restaurant/RES…``); 404 → PermanentStepError."""
    response = await page.goto(f"{admin_url.rstrip('/')}/restaurant/{restaurant_id}",
                               wait_until="domcontentloaded")
    if response is not None and response.status == 404:
        raise PermanentStepError(f"restaurant {restaurant_id} was not found under this portal account")
    await wait_visible(page.locator("#nav-link-settings"), "the restaurant's sidebar")


async def open_settings_tab(page: Page, tab: str) -> None:
    """Sidebar "Settings", then the tab by its text (Website, Services or Payments)."""
    if tab not in SETTINGS_TABS:
        raise ValueError(f"unknown settings tab {tab!r}; expected one of {', '.join(SETTINGS_TABS)}")
    await click_and_wait_load(page, page.locator("#nav-link-settings"))
    await click_and_wait_load(page, page.get_by_role("tab", name=tab, exact=True))


async def view_store(page: Page) -> str:
    """Open the sidebar's "View Store" (a new tab), check it shows a store, close it; its URL."""
    async with page.context.expect_page() as opened:
        await page.locator("#nav-link-view-store").click()
    store = await opened.value
    try:
        await store.wait_for_load_state("domcontentloaded")
        await wait_visible(store.locator("#store-name"), "the store page")
        return store.url
    finally:
        await store.close()
