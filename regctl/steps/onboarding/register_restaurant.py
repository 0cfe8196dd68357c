"""register_restaurant — create the restaurant in the admin portal, or adopt the one already there.

Logs in as the owner, reads the account's restaurant list and adopts a restaurant whose name is the
same (normalised: case, apostrophes, macrons, spaces); only when there is none does it fill the
"Create New Restaurant" form (name, address via the map search, phone, opening hours with
past-midnight ranges split, locale/timezone/currency, tax in prices). Either way it opens the
restaurant and returns what the dashboard shows: the RES id, subdomain and URLs.
"""

from __future__ import annotations

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding.registration_common import (
    JSON,
    account_credentials,
    config_section,
    hour_rows,
    require,
    target_of,
)
from regctl.steps.portal.create_restaurant import NewRestaurant, create_restaurant, portal_slots
from regctl.steps.portal.login import login
from regctl.steps.portal.restaurant_dashboard import read_dashboard
from regctl.steps.portal.restaurants import list_restaurants, normalise_name, open_restaurant

__all__ = ["new_restaurant", "portal_urls", "register_restaurant"]


def new_restaurant(ctx: StepContext) -> NewRestaurant:
    """The form's contents from the registration config (falling back to the restaurant record)."""
    section, record, target = config_section(ctx, "restaurant"), ctx.restaurant, target_of(ctx)
    name = str(require(section, "name", "restaurant"))
    address = section.get("address") or record.get("address")
    if not address:
        raise PermanentStepError("registration config restaurant.address is empty: the portal needs an "
                                 "address to create the restaurant (set it with regctl review)")
    hours = section.get("opening_hours") or record.get("opening_hours")
    return NewRestaurant(name=name, address=str(address), phone=str(section.get("phone") or
                                                                     record.get("phone") or ""),
                         slots=tuple(portal_slots(hour_rows(hours))), locale=target.locale,
                         timezone=target.timezone, currency=target.currency)


def portal_urls(admin_url: str, restaurant_id: str) -> JSON:
    base = f"{admin_url.rstrip('/')}/restaurant/{restaurant_id}"
    return {"admin_url": base, "settings_url": f"{base}/settings", "menus_url": f"{base}/menus"}


async def _already_there(page: Page, name: str) -> bool:
    wanted = normalise_name(name)
    return any(normalise_name(card.name) == wanted for card in await list_restaurants(page))


@browser_step_type("register_restaurant", timeout=180.0,
                   description="Create (or adopt by name) the restaurant in the admin portal")
async def register_restaurant(ctx: StepContext, page: Page) -> JSON:
    email, password = account_credentials(ctx)
    wanted = new_restaurant(ctx)
    admin_url = target_of(ctx).system("admin_portal").url
    await login(page, admin_url, email, password)
    adopted = await _already_there(page, wanted.name)
    warnings: list[str] = []
    if not adopted:
        ctx.heartbeat("creating the restaurant in the portal")
        warnings = (await create_restaurant(page, wanted)).warnings
        if not await _already_there(page, wanted.name):
            raise PermanentStepError(f"the portal accepted the form but {wanted.name!r} is not in the "
                                     "account's restaurant list")
    await open_restaurant(page, wanted.name, minimum=1000)
    shown = await read_dashboard(page, "" if adopted else wanted.chosen_subdomain())
    return {"restaurant_id": shown.restaurant_id, "name": wanted.name, "subdomain": shown.subdomain,
            "store_url": shown.store_url, **portal_urls(admin_url, shown.restaurant_id),
            "adopted": adopted, "created": not adopted, "warnings": warnings}
