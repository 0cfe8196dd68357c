"""The dashboard of one restaurant (``/restaurant/RES…``): its id, name, subdomain and store link."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from playwright.async_api import Page

from regctl.steps.portal.common import wait_visible
from regctl.steps.portal.restaurants import restaurant_id_from_url

__all__ = ["Dashboard", "read_dashboard"]

NAME = "#restaurant-name"
SUBDOMAIN = "#restaurant-subdomain"
VIEW_STORE = "#nav-link-view-store"


@dataclass(frozen=True)
class Dashboard:
    restaurant_id: str  # RES…
    name: str
    subdomain: str
    store_url: str  # the public ordering site ("View Store")


async def read_dashboard(page: Page) -> Dashboard:
    """What the open restaurant dashboard shows (waits for it to render)."""
    await wait_visible(page.locator(NAME), "the restaurant dashboard")
    href = await page.locator(VIEW_STORE).get_attribute("href") or ""
    return Dashboard(restaurant_id=restaurant_id_from_url(page.url),
                     name=(await page.locator(NAME).inner_text()).strip(),
                     subdomain=(await page.locator(SUBDOMAIN).inner_text()).strip(),
                     store_url=urljoin(page.url, href))
