"""create_onboarding_user — the owner's user in the marketing hub (Super Admin → Add User).

An e-mail already in the hub's user table is adopted. The hub mirrors a new user into the onboarding
database, which is where sync_onboarding later finds the record.
"""

from __future__ import annotations

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding.registration_common import JSON, config_section, plain, require, target_of
from regctl.steps.portal.hub_login import hub_login
from regctl.steps.portal.hub_super_admin import NewHubUser, add_user, open_super_admin

__all__ = ["create_onboarding_user", "new_hub_user"]

MIN_PASSWORD = 8


def new_hub_user(ctx: StepContext) -> NewHubUser:
    onboarding, account = config_section(ctx, "onboarding"), config_section(ctx, "account")
    company = ctx.restaurant.get("company") or {}
    email = str(onboarding.get("user_email") or require(account, "email", "account")).strip()
    password = plain(onboarding.get("user_password") or account.get("password") or "")
    if len(password) < MIN_PASSWORD:
        raise PermanentStepError(f"registration config onboarding.user_password must have at least "
                                 f"{MIN_PASSWORD} characters (set it with regctl review)")
    name = str(onboarding.get("user_name") or company.get("contact_name") or ctx.restaurant.get("name")
               or email)
    return NewHubUser(name=name, email=email, password=password)


@browser_step_type("create_onboarding_user", timeout=120.0,
                   description="Add the owner as a marketing-hub user (adopts an existing e-mail)")
async def create_onboarding_user(ctx: StepContext, page: Page) -> JSON:
    user = new_hub_user(ctx)
    hub = target_of(ctx).system("marketing_hub")
    await hub_login(page, hub.url, hub.credential("email"), hub.credential("password"))
    await open_super_admin(page)
    created = await add_user(page, user)
    return {"email": user.email.lower(), "name": user.name, "created": created, "adopted": not created}
