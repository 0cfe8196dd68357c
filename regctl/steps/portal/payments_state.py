"""Reading Settings → Payments before changing it: the Stripe block's values, Connect status.

Complements settings_payments (which adds and saves) so a step can save only what differs.
"""

from __future__ import annotations

from playwright.async_api import Page

__all__ = ["connect_started", "stripe_values"]

STRIPE_BLOCK = "details.payment-method[data-kind=stripe]"
CONNECT_STATUS = "#stripe-connect-status"
LABELLED = ("Currency", "Layout", "Theme", "Label", "Delivery Label", "Print Label", "Max Order", "Min Order")
NUMBERS = ("Max Order", "Min Order")


def _number(text: str) -> str:
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


async def stripe_values(page: Page) -> dict[str, str]:
    """What the Stripe block shows, by label ("Enabled" is "on"/"off"; numbers as ``%g``); {} without one."""
    block = page.locator(STRIPE_BLOCK).first
    if not await block.count():
        return {}
    values = {"Enabled": "on" if await block.get_by_label("Enabled").is_checked() else "off"}
    for label in LABELLED:
        control = block.get_by_label(label, exact=True)
        value = await control.input_value() if await control.count() else ""
        values[label] = _number(value) if label in NUMBERS else value
    return values


async def connect_started(page: Page) -> bool:
    """Whether Stripe Connect was already started for this restaurant."""
    return bool(await page.locator(CONNECT_STATUS).count())
