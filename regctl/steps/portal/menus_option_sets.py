"""Menus → Option Sets (reference §1 step 11): read the existing sets, create missing ones with
conditions, options and attached items. :func:`ensure_option_sets` adopts sets that exist by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from playwright.async_api import Page

from regctl.errors import PermanentStepError, StepError
from regctl.steps.portal.common import alert_text, click_and_wait_load, wait_visible
from regctl.steps.portal.item_picker import tick_items

__all__ = [
    "EnsureReport",
    "OptionInput",
    "OptionSetInput",
    "create_option_set",
    "ensure_by_name",
    "ensure_option_sets",
    "existing_option_sets",
]

DIALOG = "#option-set-dialog"
OPTION_ROWS = "form table tbody tr"


@dataclass(frozen=True)
class OptionInput:
    name: str
    price: float = 0.0


@dataclass(frozen=True)
class OptionSetInput:
    name: str
    display_name: str = ""
    required: bool = False
    select_multiple: bool = False
    min_options: int = 0
    max_options: int = 1
    options: tuple[OptionInput, ...] = ()
    items: tuple[str, ...] = ()  # names of the menu items to attach it to


@dataclass
class EnsureReport:
    created: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)  # already existed by name: left alone
    failed: dict[str, str] = field(default_factory=dict)  # name → why
    missing_items: dict[str, list[str]] = field(default_factory=dict)  # name → items not found

    def to_json(self) -> dict[str, object]:
        return {"created": self.created, "adopted": self.adopted, "failed": self.failed,
                "missing_items": self.missing_items}


async def existing_option_sets(page: Page) -> list[str]:
    """Names of the option sets on the Option Sets tab."""
    return [t.strip() for t in await page.locator(".option-set-name").all_inner_texts()]


async def _fill_options(page: Page, options: tuple[OptionInput, ...]) -> None:
    dialog = page.locator(DIALOG)
    rows = dialog.locator(OPTION_ROWS)
    for i, option in enumerate(options):
        await dialog.get_by_role("button", name="Add Option").click()
        inputs = rows.nth(i).locator("input")
        await inputs.nth(0).fill(option.name)
        await inputs.nth(1).fill(option.name)  # print name = name
        if option.price > 0:
            await inputs.nth(2).fill(f"{option.price:.2f}")


async def create_option_set(page: Page, spec: OptionSetInput) -> list[str]:
    """Create one option set; returns the item names that were not found to attach."""
    await page.get_by_role("button", name="Create", exact=True).click()
    dialog = page.locator(DIALOG)
    await wait_visible(dialog, "the option-set dialog")
    await dialog.get_by_label("Name", exact=True).fill(spec.name)
    await dialog.get_by_label("Display Name", exact=True).fill(spec.display_name or spec.name)
    await dialog.get_by_label("Required", exact=True).set_checked(spec.required)
    await dialog.get_by_label("Select Multiple", exact=True).set_checked(spec.select_multiple)
    await dialog.get_by_label("Enable Option Quantity", exact=True).set_checked(spec.max_options > 1)
    await dialog.get_by_label("Min Options", exact=True).fill(str(spec.min_options))
    await dialog.get_by_label("Max Options", exact=True).fill(str(spec.max_options))
    await _fill_options(page, spec.options)
    missing = await tick_items(dialog.locator("form"), list(spec.items))
    await click_and_wait_load(page, dialog.get_by_role("button", name="Save"))
    said = await alert_text(page)
    if said or spec.name not in await existing_option_sets(page):
        raise PermanentStepError(f"option set {spec.name!r} was not created: {said or 'not in the list'}")
    return missing


class _Named(Protocol):
    @property
    def name(self) -> str: ...


S = TypeVar("S", bound=_Named)


async def ensure_by_name(page: Page, specs: Sequence[S], existing: Iterable[str],
                         create: Callable[[Page, S], Awaitable[list[str]]]) -> EnsureReport:
    """Adopt each spec whose name exists, else ``create`` it (returning items it could not attach);
    a failure is recorded, the tab reloaded (dropping a half-filled dialog) and the next one tried."""
    report = EnsureReport()
    tab_url = page.url
    names = set(existing)
    for spec in specs:
        if spec.name in names:
            report.adopted.append(spec.name)
            continue
        try:
            missing = await create(page, spec)
        except StepError as exc:
            report.failed[spec.name] = str(exc)
            await page.goto(tab_url, wait_until="domcontentloaded")
            continue
        report.created.append(spec.name)
        names.add(spec.name)
        if missing:
            report.missing_items[spec.name] = missing
    return report


async def ensure_option_sets(page: Page, specs: list[OptionSetInput]) -> EnsureReport:
    """Create each set not already present by name; a failure is recorded and the next one tried.

    After a failure the tab is reloaded, dropping a half-filled dialog.
    """
    return await ensure_by_name(page, specs, await existing_option_sets(page), create_option_set)
