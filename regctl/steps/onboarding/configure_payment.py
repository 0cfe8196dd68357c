"""configure_payment — a Stripe payment method with the house settings, and optionally a Connect link.

Adds Stripe only when the restaurant has no Stripe method yet; saves its settings only when what
the block shows differs from what is wanted. With ``payment.include_stripe_link`` it starts Stripe
Connect once and returns the stripe.com link (a second run does not start Connect again: the portal
shows that it was started, and the link from the first run is kept in that run's result).
"""

from __future__ import annotations

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding.portal_session import enter_restaurant
from regctl.steps.onboarding.registration_common import JSON, config_section, target_of
from regctl.steps.portal.navigation import open_settings_tab
from regctl.steps.portal.payments_state import connect_started, stripe_values
from regctl.steps.portal.settings_payments import (
    StripeSettings,
    add_stripe_method,
    configure_stripe,
    connect_stripe,
)

__all__ = ["configure_payment", "wanted_stripe"]


def wanted_stripe(ctx: StepContext) -> StripeSettings:
    return StripeSettings(currency=target_of(ctx).currency)


def _as_shown(settings: StripeSettings) -> dict[str, str]:
    """The wanted settings as the block's controls show them."""
    return settings.as_shown()


async def _stripe_link(ctx: StepContext, page: Page) -> tuple[str | None, bool]:
    """(link, started now) — None when Connect was started by an earlier run."""
    previous = (ctx.results.get("configure_payment") or {}).get("stripe_connect_url")
    if await connect_started(page):
        return previous, False
    return await connect_stripe(page), True


@browser_step_type("configure_payment", timeout=180.0,
                   description="Add and configure the Stripe payment method; optional Stripe Connect link")
async def configure_payment(ctx: StepContext, page: Page) -> JSON:
    registered = await enter_restaurant(ctx, page)
    await open_settings_tab(page, "Payments")
    added = await add_stripe_method(page)
    wanted = wanted_stripe(ctx)
    saved = await stripe_values(page) != _as_shown(wanted)
    if saved:
        await configure_stripe(page, wanted)
        if await stripe_values(page) != _as_shown(wanted):
            raise PermanentStepError("the Stripe payment method did not keep its settings after Save")
    link, started = None, False
    if config_section(ctx, "payment").get("include_stripe_link"):
        link, started = await _stripe_link(ctx, page)
    return {"restaurant_id": registered["restaurant_id"], "stripe_added": added, "stripe_saved": saved,
            "stripe_connect_url": link, "stripe_connect_started": started}
