"""The marketing hub's "Super Admin" → "Add User" (§17.2). An e-mail already listed is adopted.

The dialog's fields go by their labels (Name, Email, Password; OU:217-262); Role and Organisation are
left at the hub's defaults, "New Sign Up" and "None" (OU:269-281), which are checked, not changed.
"Create User" saves in place: the dialog closes and the users table shows the e-mail (OU:332-337).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.hub_locators import HUB_ADD_USER, HUB_APP
from regctl.steps.portal.hub_login import open_hub_page
from regctl.trace_guard import credential_entry

__all__ = ["NewHubUser", "add_user", "existing_users", "open_super_admin"]

SAVE_TIMEOUT_MS = 30_000
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


@dataclass(frozen=True)
class NewHubUser:
    name: str
    email: str
    password: str


async def open_super_admin(page: Page) -> None:
    await open_hub_page(page, "Super Admin")
    await HUB_APP.find(page, "super_admin")


async def existing_users(page: Page) -> list[str]:
    """E-mails in the users table (lower-cased) [I: a table whose cells hold the e-mails]."""
    cells = await HUB_APP["user_cells"].primary.build(page).all_inner_texts()
    return [c.strip().lower() for c in cells if _EMAIL.fullmatch(c.strip())]


async def add_user(page: Page, user: NewHubUser) -> bool:
    """Add the user unless the e-mail is already listed; True when created (verified in the table)."""
    if user.email.lower() in await existing_users(page):
        return False
    await (await HUB_APP.find(page, "add_user")).first.click()
    dialog = page.get_by_role("dialog")
    await dialog.wait_for()
    await (await HUB_ADD_USER.find(dialog, "name")).first.fill(user.name)
    await (await HUB_ADD_USER.find(dialog, "email")).first.fill(user.email)
    await HUB_ADD_USER.find(dialog, "role")  # the defaults the prior system relied on (OU:269, 281)
    await HUB_ADD_USER.find(dialog, "organisation")
    said = dialog.get_by_role("alert").filter(has_text=re.compile(r"\S")).first  # the dialog's message [I]
    async with credential_entry(page):  # the new user's password never reaches the trace
        await (await HUB_ADD_USER.find(dialog, "password")).first.fill(user.password)
        await (await HUB_ADD_USER.find(dialog, "create")).first.click()
        closed = asyncio.ensure_future(dialog.wait_for(state="hidden", timeout=SAVE_TIMEOUT_MS))
        failed = asyncio.ensure_future(said.wait_for(timeout=SAVE_TIMEOUT_MS))
        done, pending = await asyncio.wait({closed, failed}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    if failed in done and failed.exception() is None:
        message = (await said.inner_text()).strip()
        await page.keyboard.press("Escape")
        raise PermanentStepError(f"hub user {user.email} was not created: the hub said: {message}")
    if isinstance(closed.exception(), PlaywrightTimeout):
        raise RetryableStepError(f"the Add User dialog did not close within {SAVE_TIMEOUT_MS / 1000:.0f} s")
    try:
        await (await HUB_APP.find(page, "user", email=user.email)).first.wait_for()
    except RetryableStepError:
        raise PermanentStepError(f"hub user {user.email} was saved but is not in the users table") from None
    return True
