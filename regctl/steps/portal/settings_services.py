"""Settings → Services (real-portal-pages.md §12): pickups, deliveries, dine-ins and table bookings.

Each service is a section with an inner tab bar (``#section-tab-options-tab-select-content``; tabs
chosen by text) and one form per tab. Toggles are *set*, never flipped blindly: each row is read
first (a toggle reads On/Off), and a tab is saved only when something in it differs, then read back.
``PICKUPS`` / ``DELIVERIES`` / ``OFF`` are the prior system's settings (SV:432-898).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from playwright.async_api import Locator, Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_settle
from regctl.steps.portal.locators import SERVICES
from regctl.steps.portal.settings_form import (
    Field,
    open_section,
    open_tab_in_section,
    read_field,
    save_open_section,
    write_field,
)

__all__ = ["DELIVERIES", "OFF", "PICKUPS", "ServiceChanges", "checkout_fields", "configure_service",
           "delete_checkout_field", "toggle_state"]

SECTIONS = {"pickups": "Pickups", "deliveries": "Deliveries", "dine_ins": "Dine-Ins",
            "table_bookings": "Table Bookings"}


@dataclass(frozen=True)
class ServiceChanges:
    """Wanted values; None leaves a field as it is."""

    enabled: bool | None = None
    first_order_offset: int | None = None
    last_order_offset: int | None = None
    max_days_ahead: int | None = None
    auto_confirm: bool | None = None
    auto_confirm_minutes: int | None = None
    auto_ready: bool | None = None
    auto_ready_minutes: int | None = None
    auto_on_route: bool | None = None  # deliveries only
    auto_on_route_minutes: int | None = None  # deliveries only
    auto_complete: bool | None = None
    auto_complete_minutes: int | None = None
    map_picker: bool | None = None  # deliveries only
    force_street_number: bool | None = None  # deliveries only
    force_specific_address: bool | None = None  # deliveries only
    min_order: float | None = None  # deliveries only

    def wanted(self) -> dict[str, bool | int | float]:
        return {k: v for k, v in asdict(self).items() if v is not None}


PICKUPS = ServiceChanges(enabled=True, first_order_offset=0, last_order_offset=15, max_days_ahead=8,
                         auto_confirm=True, auto_confirm_minutes=1,
                         auto_ready=True, auto_ready_minutes=15, auto_complete=True, auto_complete_minutes=30)
DELIVERIES = ServiceChanges(enabled=True, first_order_offset=0, last_order_offset=15, max_days_ahead=8,
                            auto_confirm=True, auto_confirm_minutes=1,
                            auto_ready=True, auto_ready_minutes=15, auto_on_route=True,
                            auto_on_route_minutes=10, auto_complete=True, auto_complete_minutes=30,
                            map_picker=True, force_street_number=True, force_specific_address=True,
                            min_order=2)
OFF = ServiceChanges(enabled=False)


# service → (section title, its place: S(N))
SECTION_PLACES = {"pickups": 1, "deliveries": 2, "dine_ins": 3, "table_bookings": 4}
TABS = {"pickups": ("General", "Order Timing", "Conditions", "Wait Times & Auto Statuses",
                    "Custom Checkout Fields"),
        "deliveries": ("General", "Conditions", "Fees", "Wait Times & Auto Statuses", "Order Timing",
                       "Zones", "Availability", "Custom Checkout Fields"),
        "dine_ins": ("General", "Order Timing"), "table_bookings": ("General",)}


def _status(label: str, k: int) -> Field:
    return Field(label, "status", index=k)


def fields_of(service: str) -> dict[str, tuple[str, Field]]:
    """ServiceChanges attribute → (inner tab, row) for ``service`` (SV:457-898)."""
    delivery = service == "deliveries"
    done = 4 if delivery else 3
    found = {
        "enabled": ("General", Field("Enabled", "toggle", 1)),
        "first_order_offset": ("Order Timing", Field("First Order Offset", "text", 2)),
        "last_order_offset": ("Order Timing", Field("Last Order Offset", "text", 3)),
        "max_days_ahead": ("Order Timing", Field("Maximum Days Ahead", "text", 5)),
        "min_order": ("Conditions", Field("Minimum Order Amount", "text", 1)),
        "auto_confirm": ("Wait Times & Auto Statuses", _status("Auto Confirm", 1)),
        "auto_ready": ("Wait Times & Auto Statuses", _status("Auto Ready", 2)),
        "auto_complete": ("Wait Times & Auto Statuses", _status("Auto Complete", done)),
        "auto_confirm_minutes": ("Wait Times & Auto Statuses", Field("Time Till Confirm", "text", 3)),
        "auto_ready_minutes": ("Wait Times & Auto Statuses", Field("Time Till Ready", "text", 4)),
        "auto_complete_minutes": ("Wait Times & Auto Statuses",
                                  Field("Time Till Complete", "text", done + 2)),
    }
    if delivery:
        found |= {
            "auto_on_route": ("Wait Times & Auto Statuses", _status("Auto On Route", 3)),
            "auto_on_route_minutes": ("Wait Times & Auto Statuses", Field("Time Till On Route", "text", 5)),
            "map_picker": ("General", Field("Enable Map picker", "toggle", 6)),
            "force_street_number": ("General", Field("Force Street Number", "toggle", 10)),
            "force_specific_address": ("General", Field("Force Specific street address", "toggle", 11)),
        }
    return {name: where for name, where in found.items() if where[0] in TABS[service]}


async def _section(page: Page, service: str) -> Locator:
    if service not in SECTIONS:
        raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SECTIONS)}")
    return await open_section(page, SECTIONS[service], SECTION_PLACES[service])


async def _tab(page: Page, service: str, tab: str) -> Locator:
    block = await _section(page, service)
    await open_tab_in_section(page, block, tab, "section", TABS[service].index(tab) + 1)
    return block


def _shown(value: bool | int | float) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}"


def _same(shown: str, value: bool | int | float) -> bool:
    if isinstance(value, bool):
        return shown == _shown(value)
    try:
        return float(shown or "nan") == float(value)
    except ValueError:
        return False


async def toggle_state(page: Page, service: str, name: str) -> bool:
    """Whether a service's toggle (e.g. ``auto_confirm``) is on now."""
    tab, found = fields_of(service)[name]
    block = await _tab(page, service, tab)
    return await read_field(page, block, SERVICES, found) == "on"


Value = bool | int | float


async def _apply_tab(page: Page, service: str, tab: str, wanted: dict[str, Value]) -> bool:
    fields = fields_of(service)
    block = await _tab(page, service, tab)
    differs = {n: v for n, v in wanted.items()
               if not _same(await read_field(page, block, SERVICES, fields[n][1]), v)}
    if not differs:
        return False
    for name, value in differs.items():
        await write_field(page, block, SERVICES, fields[name][1], _shown(value))
    await save_open_section(page, f"saving {SECTIONS[service]} → {tab}")
    block = await _tab(page, service, tab)
    after = {n: await read_field(page, block, SERVICES, fields[n][1]) for n in differs}
    wrong = {n: shown for n, shown in after.items() if not _same(shown, differs[n])}
    if wrong:
        raise PermanentStepError(f"{SECTIONS[service]} → {tab} did not keep the settings: {wrong}")
    return True


async def configure_service(page: Page, service: str, changes: ServiceChanges) -> bool:
    """Apply ``changes`` to one service, tab by tab; False (and no save) when everything matched."""
    fields = fields_of(service)
    by_tab: dict[str, dict[str, Value]] = {}
    for name, value in changes.wanted().items():
        if name in fields:
            by_tab.setdefault(fields[name][0], {})[name] = value
    changed = False
    for tab in TABS[service]:
        if tab in by_tab and await _apply_tab(page, service, tab, by_tab[tab]):
            changed = True
    return changed


async def _checkout_cards(page: Page, service: str) -> list[tuple[str, Locator]]:
    block = await _tab(page, service, "Custom Checkout Fields")
    buttons = SERVICES["checkout_delete"].primary.build(block)
    cards = []
    for i in range(await buttons.count()):
        card = buttons.nth(i).locator("xpath=../..")
        cards.append(((await card.inner_text()).strip().splitlines()[-1].strip(), buttons.nth(i)))
    return cards


async def checkout_fields(page: Page, service: str) -> list[str]:
    return [name for name, _ in await _checkout_cards(page, service)]


async def delete_checkout_field(page: Page, service: str, label: str) -> bool:
    """Delete a custom checkout field by its label and Save; False when it is not there."""
    found = [button for name, button in await _checkout_cards(page, service) if name == label]
    if not found:
        return False
    await click_and_settle(page, found[0])
    await save_open_section(page, f"removing the checkout field {label!r}")
    return label not in await checkout_fields(page, service)
