"""Settings → Payments (reference §1 step 8): add a Stripe method, configure it, Connect to Stripe."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Locator, Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_wait_load, expect_no_alert, wait_visible

__all__ = ["StripeSettings", "add_stripe_method", "configure_stripe", "connect_stripe", "payment_methods"]

METHODS = "details.payment-method"


@dataclass(frozen=True)
class StripeSettings:
    """The prior system's Stripe settings (currency from the country)."""

    currency: str = "NZD"
    layout: str = "Accordion without radio button"
    theme: str = "Flat"
    label: str = "Stripe"
    delivery_label: str = "Stripe"
    print_label: str = "Paid Online - Pump'd"
    max_order: float = 9999
    min_order: float = 2
    enabled: bool = True


async def payment_methods(page: Page) -> list[str]:
    """The methods already added, by their block title (e.g. ["Stripe"])."""
    return [t.strip() for t in await page.locator(f"{METHODS} > summary").all_inner_texts()]


async def add_stripe_method(page: Page) -> bool:
    """Add Payment Method → Stripe → Add Method, unless a Stripe method exists; True when added."""
    if "Stripe" in await payment_methods(page):
        return False
    await page.get_by_role("button", name="Add Payment Method").click()
    dialog = page.get_by_role("dialog")
    await wait_visible(dialog, "the add-payment-method dialog")
    await dialog.get_by_label("Stripe", exact=True).check()
    await click_and_wait_load(page, dialog.get_by_role("button", name="Add Method"))
    if "Stripe" not in await payment_methods(page):
        raise PermanentStepError("the Stripe payment method was not added")
    return True


async def _stripe_block(page: Page) -> Locator:
    block = page.locator(METHODS).filter(has=page.locator("summary", has_text="Stripe")).first
    if not await block.count():
        raise PermanentStepError("no Stripe payment method to configure")
    if await block.get_attribute("open") is None:
        await block.locator("summary").click()
    return block


async def configure_stripe(page: Page, settings: StripeSettings) -> None:
    """Fill and save the Stripe block."""
    block = await _stripe_block(page)
    await block.get_by_label("Enabled").set_checked(settings.enabled)
    for label, option in (("Currency", settings.currency), ("Layout", settings.layout),
                          ("Theme", settings.theme)):
        await block.get_by_label(label, exact=True).select_option(label=option)
    for label, text in (("Label", settings.label), ("Delivery Label", settings.delivery_label),
                        ("Print Label", settings.print_label), ("Max Order", f"{settings.max_order:g}"),
                        ("Min Order", f"{settings.min_order:g}")):
        await block.get_by_label(label, exact=True).fill(text)
    await click_and_wait_load(page, block.get_by_role("button", name="Save"))
    await expect_no_alert(page, "saving the Stripe payment method")


async def connect_stripe(page: Page) -> str:
    """Click "Connect to Stripe" and return the URL it opens (new tab or same tab)."""
    block = await _stripe_block(page)
    async with page.context.expect_page() as opened:
        await block.get_by_role("button", name="Connect to Stripe").click()
    tab = await opened.value
    await tab.wait_for_load_state("domcontentloaded")
    url = tab.url
    await tab.close()
    if "stripe.com" not in url:
        raise PermanentStepError(f"Connect to Stripe opened {url}, not a stripe.com page")
    return url
