"""Settings → Payments (real-portal-pages.md §13): add a Stripe method, configure it, Connect to Stripe.

The section's heading holds "Add Payment Method" (a clickable div), which opens a modal: Stripe, then
"Add Method". The Stripe block is then the section's 4th child. Its form comes in two live versions
(§2 #1): with the "Connect to Stripe" row at position 2, or without it (every later row one up) —
rows are found by label first, so both work; the positional fallback follows the version shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Locator, Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_settle
from regctl.steps.portal.locators import MODAL, PAYMENTS, SETTINGS
from regctl.steps.portal.settings_form import Field, open_section, read_field, save_open_section, write_field

__all__ = ["StripeSettings", "add_stripe_method", "configure_stripe", "connect_stripe", "payment_methods",
           "stripe_block", "stripe_fields"]

STRIPE_PLACE = 4  # the Stripe block: the section wrapper's 4th child once added (ST:461-478)


@dataclass(frozen=True)
class StripeSettings:
    """The prior system's Stripe settings (currency from the country), ST:483-573."""

    currency: str = "NZD"
    layout: str = "Accordion without radio button"
    theme: str = "Flat"
    label: str = "Stripe"
    delivery_label: str = "Stripe"
    print_label: str = "Paid Online - Pump'd"
    max_order: float = 9999
    min_order: float = 2
    enabled: bool = True

    def as_shown(self) -> dict[str, str]:
        return {"Enabled": "on" if self.enabled else "off", "Currency": self.currency, "Layout": self.layout,
                "Theme": self.theme, "Label": self.label, "Delivery Label": self.delivery_label,
                "Print Label": self.print_label, "Maximum Order Value": f"{self.max_order:g}",
                "Minimum Order Value": f"{self.min_order:g}"}


def stripe_fields(with_connect: bool) -> tuple[Field, ...]:
    """The Stripe form's rows; positions per version (ST with the Connect block, SN without)."""
    shift = 0 if with_connect else -1
    rows = (("Currency", "selectadv", 3), ("Layout", "selectadv", 6), ("Theme", "selectadv", 7),
            ("Label", "text", 9), ("Delivery Label", "text", 10), ("Print Label", "text", 11),
            ("Maximum Order Value", "text", 12), ("Minimum Order Value", "text", 13))
    return (Field("Enabled", "toggle", 1), *(Field(label, kind, row + shift) for label, kind, row in rows))


async def payment_methods(page: Page) -> list[str]:
    """Whether a Stripe block is there: ["Stripe"] or [] (the built-in methods are not listed)."""
    found = SETTINGS["section"].primary.build(page, {"title": "Stripe"})
    return ["Stripe"] if await found.count() else []


async def add_stripe_method(page: Page) -> bool:
    """Add Payment Method → Stripe → Add Method, unless a Stripe method exists; True when added."""
    if "Stripe" in await payment_methods(page):
        return False
    await (await PAYMENTS.find(page, "add_method")).first.click()
    modal = (await MODAL.find(page, "modal")).last
    await (await PAYMENTS.find(modal, "stripe_option")).first.click()
    await click_and_settle(page, (await PAYMENTS.find(modal, "add_method_button")).first)
    if "Stripe" not in await payment_methods(page):
        raise PermanentStepError("the Stripe payment method was not added")
    return True


async def stripe_block(page: Page) -> tuple[Locator, bool]:
    """The open Stripe block and whether its form has the Connect row."""
    if "Stripe" not in await payment_methods(page):
        raise PermanentStepError("no Stripe payment method to configure")
    block = await open_section(page, "Stripe", STRIPE_PLACE)
    connect = PAYMENTS["connect"].primary.build(block)
    return block, bool(await connect.count())


async def stripe_values(page: Page) -> dict[str, str]:
    """What the Stripe block shows, by label ("Enabled" is "on"/"off"; numbers as ``%g``); {} without one."""
    if "Stripe" not in await payment_methods(page):
        return {}
    block, with_connect = await stripe_block(page)
    values = {}
    for found in stripe_fields(with_connect):
        shown = await read_field(page, block, PAYMENTS, found)
        values[found.label] = _number(shown) if found.label.endswith("Order Value") else shown
    return values


def _number(text: str) -> str:
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


async def configure_stripe(page: Page, settings: StripeSettings) -> None:
    """Set the rows that differ and Save."""
    wanted = settings.as_shown()
    current = await stripe_values(page)
    block, with_connect = await stripe_block(page)
    for found in stripe_fields(with_connect):
        if current.get(found.label) != wanted[found.label]:
            await write_field(page, block, PAYMENTS, found, wanted[found.label])
    await save_open_section(page, "saving the Stripe payment method")


async def connect_stripe(page: Page) -> str:
    """Click "Connect to Stripe" and return the URL it opens (a new tab, ST:589-651)."""
    block, with_connect = await stripe_block(page)
    if not with_connect:
        raise PermanentStepError("this portal's Stripe form has no Connect to Stripe button")
    async with page.context.expect_page() as opened:
        await (await PAYMENTS.find(block, "connect")).first.click()
    tab = await opened.value
    await tab.wait_for_load_state("domcontentloaded")
    url = tab.url
    await tab.close()
    if "stripe.com" not in url:
        raise PermanentStepError(f"Connect to Stripe opened {url}, not a stripe.com page")
    return url
