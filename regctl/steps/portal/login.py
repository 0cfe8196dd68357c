"""The admin portal's login page and the dashboard's loading cover (reference §5)."""

from __future__ import annotations

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.common import alert_text
from regctl.trace_guard import credential_entry

__all__ = ["LOADER_TIMEOUT_MS", "login", "wait_dashboard_ready"]

EMAIL = "input[type=email]"
PASSWORD = "input[type=password]"
SUBMIT = "button[type=submit]"
ACTIVE_LOADER = ".cover-loader.active"
LOADER_TIMEOUT_MS = 20_000  # the real cover clears in a few seconds; longer means the portal is stuck


async def login(page: Page, admin_url: str, email: str, password: str, *,
                loader_timeout_ms: float = LOADER_TIMEOUT_MS) -> None:
    """Log in and wait until the restaurant list is usable. Bad credentials → PermanentStepError
    (naming the e-mail, never the password)."""
    await page.goto(f"{admin_url.rstrip('/')}/login", wait_until="domcontentloaded")
    await page.locator(EMAIL).fill(email)
    async with credential_entry(page):  # the password never reaches the trace
        await page.locator(PASSWORD).fill(password)
        async with page.expect_navigation(wait_until="domcontentloaded"):
            await page.locator(SUBMIT).click()
    if page.url.rstrip("/").endswith("/login"):
        said = await alert_text(page) or "login refused"
        raise PermanentStepError(f"admin portal login failed for {email}: {said}")
    await wait_dashboard_ready(page, loader_timeout_ms)


async def wait_dashboard_ready(page: Page, timeout_ms: float = LOADER_TIMEOUT_MS) -> None:
    """Wait until the ``.cover-loader`` is no longer ``.active`` (never ``networkidle``: the real
    dashboard polls continuously)."""
    try:
        await page.wait_for_selector(ACTIVE_LOADER, state="detached", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise RetryableStepError(
            f"the portal's loading cover did not clear within {timeout_ms / 1000:.0f} s") from None
