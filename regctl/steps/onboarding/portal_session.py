"""Getting a browser step into its restaurant: log in as the owner and open ``/restaurant/RES…``."""

from __future__ import annotations

from playwright.async_api import Page

from regctl.steps.base import StepContext
from regctl.steps.onboarding.registration_common import (
    JSON,
    account_credentials,
    portal_restaurant,
    target_of,
)
from regctl.steps.portal.login import login
from regctl.steps.portal.navigation import open_restaurant_page

__all__ = ["admin_url", "enter_restaurant"]


def admin_url(ctx: StepContext) -> str:
    return target_of(ctx).system("admin_portal").url


async def enter_restaurant(ctx: StepContext, page: Page) -> JSON:
    """Log in and open the dashboard of the restaurant register_restaurant made; its result."""
    registered = portal_restaurant(ctx)
    email, password = account_credentials(ctx)
    await login(page, admin_url(ctx), email, password)
    await open_restaurant_page(page, admin_url(ctx), str(registered["restaurant_id"]))
    return registered
