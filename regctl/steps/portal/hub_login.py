"""The marketing hub's sign-in (§17.1): the root URL shows the login; ``#email``, ``#password``, Login.

The hub is a single-page app: success shows the app's ``nav`` (NAV-manage-dashboard:134-150 looks for
``nav``), failure leaves the login with the hub's message. Both are waited for as elements — never a
page load or network-idle.
"""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.hub_locators import HUB_APP, HUB_LOGIN
from regctl.trace_guard import credential_entry

__all__ = ["hub_login", "open_hub_page"]

SIGN_IN_TIMEOUT_MS = 30_000


async def hub_login(page: Page, hub_url: str, email: str, password: str) -> None:
    """Sign in; bad credentials → PermanentStepError naming the e-mail (never the password)."""
    await page.goto(hub_url.rstrip("/") + "/", wait_until="domcontentloaded")
    await (await HUB_LOGIN.find(page, "email")).first.fill(email)
    nav = HUB_APP["nav_any"].primary.build(page).first
    refused = page.get_by_role("alert").filter(has_text=re.compile(r"\S")).first  # the form's message [I]
    async with credential_entry(page):  # the password never reaches the trace
        await (await HUB_LOGIN.find(page, "password")).first.fill(password)
        await (await HUB_LOGIN.find(page, "submit")).first.click()
        signed_in = asyncio.ensure_future(nav.wait_for(timeout=SIGN_IN_TIMEOUT_MS))
        failed = asyncio.ensure_future(refused.wait_for(timeout=SIGN_IN_TIMEOUT_MS))
        done, pending = await asyncio.wait({signed_in, failed}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    if failed in done and failed.exception() is None:
        said = (await refused.inner_text()).strip() or "sign-in refused"
        raise PermanentStepError(f"marketing hub sign-in failed for {email}: {said}")
    if signed_in.exception() is not None:
        if isinstance(signed_in.exception(), PlaywrightTimeout):
            raise RetryableStepError(f"the marketing hub showed neither its app nor an error within "
                                     f"{SIGN_IN_TIMEOUT_MS / 1000:.0f} s of signing in as {email}")
        raise signed_in.exception()  # type: ignore[misc]


async def open_hub_page(page: Page, name: str) -> None:
    """A ``nav`` button by its text ("Ordering Page", "Super Admin"); the view switches in place."""
    await (await HUB_APP.find(page, "nav", name=name)).first.click()

