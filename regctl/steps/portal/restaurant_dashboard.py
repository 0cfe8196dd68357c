"""One restaurant's management page (``/restaurant/RES…``): its id, and where its store is.

The real page's content after "Manage" is not described anywhere (real-portal-pages.md §5), so only
the evidenced parts are read: the RES id from the URL (LR:880) and the storefront, which the prior
system derived as ``https://<subdomain>.<portal host without "admin.">`` (LR:893); the sidebar's
View Store link gives it when it is a plain link.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Page

from regctl.steps.portal.locators import RESTAURANT
from regctl.steps.portal.restaurants import restaurant_id_from_url

__all__ = ["Dashboard", "read_dashboard", "store_url_for"]


@dataclass(frozen=True)
class Dashboard:
    restaurant_id: str  # RES…
    subdomain: str
    store_url: str  # the public ordering site ("View Store")


def store_url_for(admin_url: str, subdomain: str) -> str:
    """``https://<subdomain>.<host without admin.>/`` (LR:893,910)."""
    parts = urlsplit(admin_url)
    host = parts.netloc.removeprefix("admin.")
    return f"{parts.scheme}://{subdomain}.{host}/"


async def read_dashboard(page: Page, subdomain: str = "") -> Dashboard:
    """What the open restaurant page shows; ``subdomain`` (the one typed at creation) when the View
    Store link carries none."""
    link = (await RESTAURANT.find(page, "nav_view_store")).first
    href = await link.get_attribute("href") or ""
    store = urljoin(page.url, href) if href else store_url_for(page.url, subdomain)
    shown = urlsplit(store).netloc.split(".", 1)[0]
    return Dashboard(restaurant_id=restaurant_id_from_url(page.url), subdomain=shown or subdomain,
                     store_url=store)
