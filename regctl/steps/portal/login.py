"""The admin portal's login page (real-portal-pages.md §3.2) and the dashboard's loading cover.

Submitting does not load a page: the single-page app stays on ``/login`` until the restaurant list
is ready, then shows ``/`` (§1.3). We wait for the URL to leave ``/login`` (or an error to show),
then for ``.cover-loader`` to lose ``active`` — never ``networkidle`` (the dashboard polls forever).
"""

from __future__ import annotations

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.common import alert_text
from regctl.steps.portal.locators import LOADER_TIMEOUT_MS, LOGIN, wait_loader_gone

__all__ = ["LOADER_TIMEOUT_MS", "login", "wait_dashboard_ready"]

LOGIN_TIMEOUT_MS = 30_000
LEFT_LOGIN = "() => location.pathname !== '/login' || !!document.querySelector('[role=alert]')"


async def login(page: Page, admin_url: str, email: str, password: str, *,
                loader_timeout_ms: float = LOADER_TIMEOUT_MS) -> None:
    """Log in and wait until the restaurant list is usable. Bad credentials → PermanentStepError
    (naming the e-mail, never the password)."""
    await page.goto(f"{admin_url.rstrip('/')}/login", wait_until="domcontentloaded")
    await (await LOGIN.find(page, "email")).fill(email)
    await (await LOGIN.find(page, "password")).fill(password)
    await (await LOGIN.find(page, "submit")).click()
    try:
        await page.wait_for_function(LEFT_LOGIN, timeout=LOGIN_TIMEOUT_MS)
    except PlaywrightTimeout:
        raise RetryableStepError(f"the portal did not finish logging in {email} within "
                                 f"{LOGIN_TIMEOUT_MS / 1000:.0f} s") from None
    if page.url.rstrip("/").endswith("/login"):
        said = await alert_text(page) or "login refused"
        raise PermanentStepError(f"admin portal login failed for {email}: {said}")
    await wait_dashboard_ready(page, loader_timeout_ms)


async def wait_dashboard_ready(page: Page, timeout_ms: float = LOADER_TIMEOUT_MS) -> None:
    """Wait until the ``.cover-loader`` is no longer ``.active`` (never ``networkidle``: the real
    dashboard polls continuously)."""
    await wait_loader_gone(page, timeout_ms)
