"""Waits and checks shared by the portal and hub page objects."""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError

__all__ = ["ERROR_TEXT", "alert_text", "click_and_wait_load", "expect_no_alert", "wait_visible"]

# Words the portal uses when something went wrong (reference §1 step 9).
ERROR_TEXT = re.compile(r"Error|Failed|Invalid|Blocked|limit|rejected", re.IGNORECASE)
ALERT = "[role=alert]"


async def alert_text(page: Page) -> str:
    """Text of the page's visible error alerts ('' when there are none)."""
    alerts = page.locator(ALERT)
    texts = [t.strip() for t in await alerts.all_inner_texts()]
    return " | ".join(t for t in texts if t)


async def expect_no_alert(page: Page, doing: str) -> None:
    """Raise PermanentStepError with the page's own words when it shows an error after ``doing``."""
    text = await alert_text(page)
    if text:
        raise PermanentStepError(f"{doing}: the portal said: {text}")


async def click_and_wait_load(page: Page, target: Locator) -> None:
    """Click something that submits a form or follows a link, and wait for the new page."""
    async with page.expect_navigation(wait_until="domcontentloaded"):
        await target.click()


async def wait_visible(locator: Locator, what: str, timeout_ms: float = 15_000) -> None:
    try:
        await locator.first.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise RetryableStepError(f"{what} did not appear within {timeout_ms / 1000:.0f} s") from None
