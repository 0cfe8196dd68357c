"""Settings → Services (reference §1 step 7): pickups, deliveries, dine-ins and table bookings.

Toggles are *set*, never flipped: :func:`toggle_state` reads one, :func:`configure_service` sets
each wanted toggle with ``set_checked`` and fills timings, then saves and verifies by reading back.
``PICKUPS`` / ``DELIVERIES`` / ``OFF`` are the prior system's settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from playwright.async_api import Locator, Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_wait_load, expect_no_alert

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


async def _section(page: Page, service: str) -> Locator:
    if service not in SECTIONS:
        raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SECTIONS)}")
    section = page.locator(f"details.settings-section#section-{service}")
    if await section.get_attribute("open") is None:
        await section.locator("summary").click()
    return section


async def toggle_state(page: Page, service: str, name: str) -> bool:
    """Whether a service's toggle (e.g. ``auto_confirm``) is on now."""
    section = await _section(page, service)
    return await section.locator(f"#{service}-{name}").is_checked()


Value = bool | int | float


async def _current(section: Locator, service: str, name: str, value: Value) -> Value:
    control = section.locator(f"#{service}-{name}")
    if isinstance(value, bool):
        return await control.is_checked()
    return type(value)(float(await control.input_value()))


async def configure_service(page: Page, service: str, changes: ServiceChanges) -> bool:
    """Apply ``changes`` to one service; False (and no save) when everything already matched."""
    section = await _section(page, service)
    wanted = changes.wanted()
    current = {name: await _current(section, service, name, value) for name, value in wanted.items()}
    if current == wanted:
        return False
    for name, value in wanted.items():
        control = section.locator(f"#{service}-{name}")
        if isinstance(value, bool):
            await control.set_checked(value)
        else:
            await control.fill(str(value))
    await click_and_wait_load(page, section.get_by_role("button", name="Save"))
    await expect_no_alert(page, f"saving {SECTIONS[service]}")
    section = await _section(page, service)
    after = {name: await _current(section, service, name, value) for name, value in wanted.items()}
    if after != wanted:
        raise PermanentStepError(
            f"{SECTIONS[service]} did not keep the settings: wanted {wanted}, got {after}")
    return True


async def checkout_fields(page: Page, service: str) -> list[str]:
    section = await _section(page, service)
    return [t.strip() for t in await section.locator(".checkout-field span").all_inner_texts()]


async def delete_checkout_field(page: Page, service: str, label: str) -> bool:
    """Delete a custom checkout field by its label; False when it is not there."""
    section = await _section(page, service)
    row = section.locator(".checkout-field").filter(has_text=label)
    if not await row.count():
        return False
    await click_and_wait_load(page, row.first.get_by_role("button", name="Delete"))
    return label not in await checkout_fields(page, service)
