"""The marketing hub's "Super Admin" → "Add User" (reference §1 step 3). An existing e-mail is adopted."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import alert_text, click_and_wait_load, wait_visible
from regctl.steps.portal.hub_login import open_hub_page
from regctl.trace_guard import credential_entry

__all__ = ["NewHubUser", "add_user", "existing_users", "open_super_admin"]


@dataclass(frozen=True)
class NewHubUser:
    name: str
    email: str
    password: str
    role: str = "New Sign Up"
    organisation: str = "None"


async def open_super_admin(page: Page) -> None:
    await open_hub_page(page, "Super Admin")
    await wait_visible(page.get_by_role("heading", name="Super Admin", level=1), "the Super Admin page")


async def existing_users(page: Page) -> list[str]:
    """E-mails in the users table (lower-cased)."""
    return [t.strip().lower() for t in await page.locator("#users-table .user-email").all_inner_texts()]


async def add_user(page: Page, user: NewHubUser) -> bool:
    """Add the user unless the e-mail is already listed; True when created (verified in the table)."""
    if user.email.lower() in await existing_users(page):
        return False
    await page.get_by_role("button", name="Add User").click()
    dialog = page.get_by_role("dialog")
    await wait_visible(dialog, "the Add User form")
    await dialog.get_by_label("Name", exact=True).fill(user.name)
    await dialog.get_by_label("Email", exact=True).fill(user.email)
    await dialog.get_by_label("Role", exact=True).select_option(label=user.role)
    await dialog.get_by_label("Organisation", exact=True).select_option(label=user.organisation)
    async with credential_entry(page):  # the new user's password never reaches the trace
        await dialog.locator("input[id*=password]").fill(user.password)
        await click_and_wait_load(page, dialog.get_by_role("button", name="Create User"))
    said = await alert_text(page)
    if said or user.email.lower() not in await existing_users(page):
        raise PermanentStepError(f"hub user {user.email} was not created: {said or 'not in the table'}")
    return True
