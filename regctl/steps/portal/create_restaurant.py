"""The portal's "Create New Restaurant" form (reference §1 step 5).

Hours go in as portal time slots: a range past midnight is split into the day's part (open → 23:59)
and the next day's (00:00 → close); closed days are dropped. Locale, timezone and currency are
picked from type-aheads; a miss there only warns, as in the prior system.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.async_api import Locator, Page

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.common import alert_text, click_and_wait_load, wait_visible
from regctl.steps.portal.login import wait_dashboard_ready

__all__ = ["DAYS", "NewRestaurant", "PortalSlot", "create_restaurant", "portal_slots"]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CREATE_BUTTON = ("Create New Restaurant", "Add Restaurant", "New Restaurant")
ADDRESS_BOX = "#address-select"
ADDRESS_INPUT = "#address-select input[type=text]"
ADDRESS_OPTION = ".selectasync__option"
ADDRESS_DONE = ".selectasync__option, .selectasync__empty"
TIME_SLOT_ROWS = "#time-slots .time-slot"
TYPEAHEAD_OPTION = ".selectadv__option:not(.hidden)"


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


async def _open_form(page: Page) -> None:
    await wait_dashboard_ready(page)
    for label in CREATE_BUTTON:
        button = page.get_by_role("button", name=label)
        if await button.count():
            await click_and_wait_load(page, button.first)
            await wait_visible(page.locator("form"), "the create-restaurant form")
            return
    raise RetryableStepError("no 'Create New Restaurant' button on the portal's restaurant list")


def _first_segment(text: str) -> str:
    return text.split(",", 1)[0].strip().lower()


async def _pick_address(page: Page, address: str) -> str:
    """Type the address, wait for the search to finish, pick the best option; the picked text."""
    box = page.locator(ADDRESS_BOX)
    await page.locator(ADDRESS_INPUT).click()
    await page.locator(ADDRESS_INPUT).fill(address)
    await wait_visible(box.locator(ADDRESS_DONE), "the address search results")
    options = box.locator(ADDRESS_OPTION)
    texts = [t.strip() for t in await options.all_inner_texts()]
    if not texts:
        raise PermanentStepError(f"the portal's address search found nothing for {address!r}")
    wanted = _first_segment(address)
    index = next((i for i, t in enumerate(texts) if _first_segment(t) == wanted),
                 next((i for i, t in enumerate(texts) if wanted in t.lower()), 0))
    await options.nth(index).click()
    return texts[index]


async def _type_time(field_input: Locator, value: str) -> None:
    await field_input.click()
    await field_input.press("Control+A")
    await field_input.press("Backspace")
    await field_input.press_sequentially(value)


async def _fill_hours(page: Page, slots: tuple[PortalSlot, ...]) -> None:
    rows = page.locator(TIME_SLOT_ROWS)
    for _ in range(len(slots) - await rows.count()):
        await page.get_by_role("button", name="Add Time Slot").click()
    for i, slot in enumerate(slots):
        row = rows.nth(i)
        await row.locator("select").select_option(label=slot.day)
        times = row.locator("input[type=text]")
        await _type_time(times.nth(0), slot.open)
        await _type_time(times.nth(1), slot.close)


async def _pick_typeahead(page: Page, field_name: str, text: str) -> str | None:
    """Pick the first option matching ``text``; a warning when there is none."""
    box = page.locator(f"#{field_name}-select")
    await box.locator("input[type=text]").click()
    await box.locator("input[type=text]").fill(text)
    option = box.locator(TYPEAHEAD_OPTION)
    if not await option.count():
        return f"{field_name}: no option matching {text!r}"
    await option.first.click()
    return None


async def create_restaurant(page: Page, restaurant: NewRestaurant) -> CreateOutcome:
    """Fill and submit the form from the restaurant list; back on the list when it returns."""
    outcome = CreateOutcome()
    await _open_form(page)
    await page.locator("form input[type=text]").first.fill(restaurant.name)
    await page.get_by_text("Google Maps", exact=True).click()
    await _pick_address(page, restaurant.address)
    await page.locator("input[type=tel]").fill(restaurant.phone)
    if restaurant.slots:
        await _fill_hours(page, restaurant.slots)
    for field_name, text in (("locale", restaurant.locale), ("timezone", restaurant.timezone),
                             ("currency", restaurant.currency)):
        warning = await _pick_typeahead(page, field_name, text)
        if warning:
            outcome.warnings.append(warning)
    await page.get_by_label("Tax in Prices").set_checked(restaurant.tax_in_prices)
    await click_and_wait_load(page, page.locator("form > button[type=submit]"))
    if "/restaurants/create" in page.url:
        said = await alert_text(page) or "the form was not accepted"
        raise PermanentStepError(f"creating restaurant {restaurant.name!r}: the portal said: {said}")
    await wait_dashboard_ready(page)
    return outcome
