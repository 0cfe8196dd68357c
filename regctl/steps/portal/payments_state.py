"""Reading Settings → Payments before changing it: the Stripe block's values, Connect status.

Complements settings_payments (which adds and saves) so a step can save only what differs. Whether
Connect was started is read from the Connect row's note (an assumption: the reference records
nothing the portal shows after "Connect to Stripe"; docs/sandbox.md).
"""

from __future__ import annotations

import re

from playwright.async_api import Page

from regctl.steps.portal.locators import PAYMENTS
from regctl.steps.portal.settings_payments import stripe_block, stripe_values

__all__ = ["connect_started", "stripe_values"]

STARTED = re.compile(r"pending|connected", re.IGNORECASE)


async def connect_started(page: Page) -> bool:
    """Whether Stripe Connect was already started for this restaurant."""
    block, with_connect = await stripe_block(page)
    if not with_connect:
        return False
    row = (await PAYMENTS.find(block, "connect")).first.locator("xpath=..")
    return bool(STARTED.search(await row.inner_text()))
