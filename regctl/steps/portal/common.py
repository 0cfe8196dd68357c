"""Waits and checks shared by the portal and hub page objects.

The real admin portal is a single-page app (real-portal-pages.md §1.3, §18.2): saves and navigation
happen in place, without a page load, and the dashboard never goes network-idle. So nothing here
waits for a load event: :func:`click_and_wait_load` (kept with its old signature for the modules that
still call it) clicks and then waits for the portal's own signal, ``.cover-loader`` losing ``active``.
"""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.locators import wait_loader_gone

__all__ = ["ERROR_TEXT", "alert_text", "click_and_settle", "click_and_wait_load", "expect_no_alert",
           "wait_visible"]

# Words the portal uses when something went wrong (real-portal-pages.md §6.2, IM:594).
ERROR_TEXT = re.compile(r"Error|Failed|Invalid|Blocked|limit|rejected", re.IGNORECASE)
ALERT = "[role=alert]"


async def alert_text(page: Page | Locator) -> str:
    """Text of the visible error alerts ('' when there are none)."""
    alerts = page.locator(ALERT)
    texts = [t.strip() for t in await alerts.all_inner_texts()]
    return " | ".join(t for t in texts if t)


async def expect_no_alert(page: Page | Locator, doing: str) -> None:
    """Raise PermanentStepError with the page's own words when it shows an error after ``doing``."""
    text = await alert_text(page)
    if text:
        raise PermanentStepError(f"{doing}: the portal said: {text}")


async def click_and_settle(page: Page, target: Locator) -> None:
    """Click something the single-page app acts on, then wait until its loading cover is gone."""
    await target.click()
    await wait_loader_gone(page)


async def click_and_wait_load(page: Page, target: Locator) -> None:
    """Compatibility name of :func:`click_and_settle` (no page load is expected any more)."""
    await click_and_settle(page, target)


async def wait_visible(locator: Locator, what: str, timeout_ms: float = 15_000) -> None:
    try:
        await locator.first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise RetryableStepError(f"{what} did not appear within {timeout_ms / 1000:.0f} s") from None
