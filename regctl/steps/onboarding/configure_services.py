"""configure_services — the restaurant's ordering services, set to the platform's house settings.

Pickups and deliveries on with their timings and automatic statuses (deliveries also with the map
picker and street checks, a $2 minimum and without the stock "Request No Contact Delivery" checkout
field); dine-ins and table bookings off. Every toggle is *set* to its wanted state after reading it,
so a second run saves nothing.
"""

from __future__ import annotations

from playwright.async_api import Page

from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding.portal_session import enter_restaurant
from regctl.steps.onboarding.registration_common import JSON
from regctl.steps.portal.navigation import open_settings_tab
from regctl.steps.portal.settings_services import (
    DELIVERIES,
    OFF,
    PICKUPS,
    ServiceChanges,
    configure_service,
    delete_checkout_field,
)

__all__ = ["REMOVED_CHECKOUT_FIELDS", "WANTED", "configure_services"]

WANTED: dict[str, ServiceChanges] = {"pickups": PICKUPS, "deliveries": DELIVERIES, "dine_ins": OFF,
                                     "table_bookings": OFF}
REMOVED_CHECKOUT_FIELDS = {"deliveries": ("Request No Contact Delivery",)}


@browser_step_type("configure_services", timeout=180.0,
                   description="Set pickups/deliveries timings and statuses; dine-ins and bookings off")
async def configure_services(ctx: StepContext, page: Page) -> JSON:
    registered = await enter_restaurant(ctx, page)
    await open_settings_tab(page, "Services")
    changed: list[str] = []
    for service, wanted in WANTED.items():
        ctx.check_cancelled()
        if await configure_service(page, service, wanted):
            changed.append(service)
    removed: list[str] = []
    for service, labels in REMOVED_CHECKOUT_FIELDS.items():
        for label in labels:
            if await delete_checkout_field(page, service, label):
                removed.append(f"{service}: {label}")
    return {"restaurant_id": registered["restaurant_id"], "services_changed": changed,
            "services_unchanged": [s for s in WANTED if s not in changed], "checkout_fields_removed": removed}
