"""The portal's "Create New Restaurant" form, a modal over the dashboard (real-portal-pages.md §4).

Hours go in as portal time slots: a range past midnight is split into the day's part (open → 23:59)
and the next day's (00:00 → close); closed days are dropped. The subdomain is typed (the real input
group is editable): lowercase letters and digits of the name, ``order-`` in front when shorter than 4
(LR:273). Locale, timezone and currency are picked from selectadv dropdowns by typing and taking the
first option; a miss there only warns, as in the prior system. After "Create Restaurant" the modal
closes and the list shows the new restaurant (no page load).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.common import alert_text
from regctl.steps.portal.locators import CREATE, DASHBOARD, SELECTADV, wait_loader_gone

__all__ = ["DAYS", "NewRestaurant", "PortalSlot", "create_restaurant", "portal_slots", "portal_subdomain"]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SUBMIT_TIMEOUT_MS = 30_000
# the modal closed (no form left) or it shows an error
SUBMITTED = "() => !document.querySelector('form') || !!document.querySelector('form [role=alert]')"


def portal_subdomain(name: str) -> str:
    """The subdomain the prior system typed: [a-z0-9] of the name, ``order-`` + it when under 4 (LR:273)."""
    slug = re.sub(r"[^a-z0-9]", "", name.lower())
    return slug if len(slug) >= 4 else f"order-{slug}"


@dataclass(frozen=True)
class PortalSlot:
    day: str
    open: str  # HH:MM
    close: str  # HH:MM


@dataclass(frozen=True)
class NewRestaurant:
    name: str
    address: str
    phone: str
    slots: tuple[PortalSlot, ...] = ()
    locale: str = "New Zealand"  # typed into the type-aheads, first option taken
    timezone: str = "Auckland"
    currency: str = "NZD"
    tax_in_prices: bool = True
    subdomain: str = ""  # "" → portal_subdomain(name)

    def chosen_subdomain(self) -> str:
        return self.subdomain or portal_subdomain(self.name)


@dataclass
class CreateOutcome:
    warnings: list[str] = field(default_factory=list)


def portal_slots(hours: list[tuple[str, str, str]]) -> list[PortalSlot]:
    """(day, open, close) rows as portal slots: overnight ranges split, "Closed"/empty days dropped."""
    slots: list[PortalSlot] = []
    for day, opening, closing in hours:
        if not opening or not closing or "closed" in (opening.lower(), closing.lower()):
            continue
        if opening == closing:
            continue
        if closing > opening:
            slots.append(PortalSlot(day, opening, closing))
            continue
        slots.append(PortalSlot(day, opening, "23:59"))
        if closing != "00:00":
            slots.append(PortalSlot(DAYS[(DAYS.index(day) + 1) % 7], "00:00", closing))
    return slots


async def _open_form(page: Page) -> Locator:
    await wait_loader_gone(page)
    await (await DASHBOARD.find(page, "create")).first.click()
    return (await CREATE.find(page, "form")).first


def _first_segment(text: str) -> str:
    return text.split(",", 1)[0].strip().lower()


async def _pick_address(page: Page, address: str) -> str:
    """Type the address into the search, wait until the suggestions replace "Loading...", pick the
    one whose first segment matches (else the first); the picked text."""
    await (await CREATE.find(page, "address")).first.click()
    await page.keyboard.type(address)
    dropdown = (await CREATE.find(page, "address_dropdown")).first
    try:
        await dropdown.locator("div").first.wait_for(timeout=15_000)
        await page.wait_for_function(
            "d => d.children.length > 0 && !/Loading/.test(d.children[0].textContent || '')",
            arg=await dropdown.element_handle(), timeout=15_000)
    except PlaywrightTimeout:
        raise RetryableStepError(f"the portal's address search did not answer for {address!r}") from None
    options = CREATE["address_option"].primary.build(page)
    texts = [t.strip() for t in await options.all_inner_texts()]
    if not texts:
        raise PermanentStepError(f"the portal's address search found nothing for {address!r}")
    wanted = _first_segment(address)
    index = next((i for i, t in enumerate(texts) if _first_segment(t) == wanted),
                 next((i for i, t in enumerate(texts) if wanted in t.lower()), 0))
    await options.nth(index).click()
    return texts[index]


async def _fill_hours(page: Page, slots: tuple[PortalSlot, ...]) -> None:
    days = await CREATE.find(page, "day_selects")
    for _ in range(len(slots) - await days.count()):
        await (await CREATE.find(page, "add_slot")).click()
    times = await CREATE.find(page, "times")
    for i, slot in enumerate(slots):
        await days.nth(i).select_option(slot.day)
        await times.nth(2 * i).fill(slot.open)
        await times.nth(2 * i + 1).fill(slot.close)


async def _pick_selectadv(page: Page, key: str, text: str) -> str | None:
    """Open a selectadv, type ``text``, click the first option; a warning when there is none."""
    await (await CREATE.find(page, key)).first.click()
    await page.keyboard.type(text)
    options = SELECTADV["options"].primary.build(page)
    try:
        await options.first.wait_for(timeout=5_000)
    except PlaywrightTimeout:
        await page.keyboard.press("Escape")
        return f"{key}: no option matching {text!r}"
    await options.first.click()
    return None


async def _toggle_on(toggle: Locator) -> bool:
    """A toggle label's state from its On/Off text; the portal's default (off) when it shows none."""
    return (await toggle.inner_text()).strip().lower() == "on"


async def _submit(page: Page, name: str) -> None:
    await (await CREATE.find(page, "submit")).first.click()
    try:
        await page.wait_for_function(SUBMITTED, timeout=SUBMIT_TIMEOUT_MS)
    except PlaywrightTimeout:
        raise RetryableStepError(f"the portal did not answer the create form for {name!r}") from None
    said = await alert_text(page)
    if said:
        raise PermanentStepError(f"creating restaurant {name!r}: the portal said: {said}")
    await wait_loader_gone(page)


async def create_restaurant(page: Page, restaurant: NewRestaurant) -> CreateOutcome:
    """Fill and submit the form from the restaurant list; back on the list when it returns."""
    outcome = CreateOutcome()
    await _open_form(page)
    await (await CREATE.find(page, "name")).fill(restaurant.name)
    await (await CREATE.find(page, "subdomain_input")).fill(restaurant.chosen_subdomain())
    await (await CREATE.find(page, "google_maps")).first.click()
    await _pick_address(page, restaurant.address)
    await (await CREATE.find(page, "phone")).first.fill(restaurant.phone)
    if restaurant.slots:
        await _fill_hours(page, restaurant.slots)
    for key, text in (("locale", restaurant.locale), ("timezone", restaurant.timezone),
                      ("currency", restaurant.currency)):
        warning = await _pick_selectadv(page, key, text)
        if warning:
            outcome.warnings.append(warning)
    tax = (await CREATE.find(page, "tax")).first
    if await _toggle_on(tax) != restaurant.tax_in_prices:
        await tax.click()
    await _submit(page, restaurant.name)
    return outcome
