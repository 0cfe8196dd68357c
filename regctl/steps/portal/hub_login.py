"""The marketing hub's sign-in (reference §1 steps 2–3: ``#email`` / ``#password``, yellow submit)."""

from __future__ import annotations

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import alert_text, click_and_wait_load
from regctl.trace_guard import credential_entry

__all__ = ["hub_login", "open_hub_page"]


async def hub_login(page: Page, hub_url: str, email: str, password: str) -> None:
    """Sign in; bad credentials → PermanentStepError naming the e-mail (never the password)."""
    await page.goto(f"{hub_url.rstrip('/')}/login", wait_until="domcontentloaded")
    await page.locator("#email").fill(email)
    async with credential_entry(page):  # the password never reaches the trace
        await page.locator("#password").fill(password)
        await click_and_wait_load(page, page.locator("form button[type=submit]"))
    if page.url.rstrip("/").endswith("/login"):
        said = await alert_text(page) or "sign-in refused"
        raise PermanentStepError(f"marketing hub sign-in failed for {email}: {said}")


async def open_hub_page(page: Page, link_text: str) -> None:
    """Follow a navigation link by its text ("Ordering Page", "Super Admin")."""
    await click_and_wait_load(page, page.get_by_role("link", name=link_text, exact=True))
