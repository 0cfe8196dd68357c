"""Menus → Option Sets (§7): create missing option sets in the tabbed "Create New Option Set" dialog.

Per set, as the production script does it (OS:478-731): Create → Name and Display Name → "Options"
(Add Option per row: Name, Print Name = name, Price with 2 decimals when > 0) → "Conditions"
(Required / Select Multiple / Enable Option Quantity toggles, Min / Max) → "Add / Remove From Items"
(the items tree) → Save. The dialog closes without a message; on an error it stays open and is closed
with Escape (OS:724-730). :func:`ensure_option_sets` adopts sets that already exist by name.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError, StepError
from regctl.steps.portal.item_picker import tick_items
from regctl.steps.portal.locators import MODAL, wait_loader_gone
from regctl.steps.portal.menus_locators import ERROR_WORDS, MENUS, OPTION_SET_DIALOG
from regctl.steps.portal.menus_state import existing_option_sets

__all__ = [
    "EnsureReport",
    "OptionInput",
    "OptionSetInput",
    "close_dialogs",
    "create_option_set",
    "ensure_by_name",
    "ensure_option_sets",
    "existing_option_sets",
    "open_dialog",
    "save_dialog",
    "set_toggle",
]

TAB = {"General": 1, "Options": 2, "Conditions": 3, "Add / Remove From Items": 4}  # [P] §7 OS:124-138
CONDITIONS = {"Required": 1, "Select Multiple": 2, "Enable Option Quantity": 3,
              "Min Options Required": 4, "Max Options Required": 5}  # [P] §7 OS:128-132 (rows)
DIALOG_TIMEOUT_MS = 30_000  # §18.1: the dialog must close within about 30 s of Save


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


async def open_dialog(page: Page, what: str) -> Locator:
    """Click "Create New {what}" and return the modal that opened (its id ends in ``-content``)."""
    await (await MENUS.find(page, "create", what=what)).first.click()
    return (await MODAL.find(page, "content")).first.locator("xpath=..")


async def set_toggle(toggle: Locator, on: bool) -> None:
    """A toggle is a clicked label (§1.8) showing "On"/"Off" ([F] RP:640): click only to change it."""
    box = toggle.locator("input[type=checkbox]")
    if await box.count():
        state = await box.first.is_checked()
    else:
        state = "on" in (await toggle.inner_text()).strip().lower().split()
    if state != on:
        await toggle.click()


async def close_dialogs(page: Page) -> None:
    """Close an open dialog: Escape (OS:726), else its close button (§1.10)."""
    content = page.locator(MODAL["content"].primary.value)
    if not await content.count():
        return
    await page.keyboard.press("Escape")
    try:
        await content.first.wait_for(state="hidden", timeout=5_000)
    except PlaywrightTimeout:
        await page.locator(MODAL["close"].primary.value).first.click()


async def _conditions(dialog: Locator, spec: OptionSetInput) -> None:
    await (await OPTION_SET_DIALOG.find(dialog, "tab", name="Conditions", n=TAB["Conditions"])).first.click()
    wanted = {"Required": spec.required, "Select Multiple": spec.select_multiple,
              "Enable Option Quantity": spec.max_options > 1}
    for label, on in wanted.items():
        toggle = await OPTION_SET_DIALOG.find(dialog, "toggle", label=label, k=CONDITIONS[label])
        await set_toggle(toggle.first, on)
    limits = (("Min Options Required", spec.min_options), ("Max Options Required", spec.max_options))
    for label, value in limits:
        box = (await OPTION_SET_DIALOG.find(dialog, "number", label=label, k=CONDITIONS[label])).first
        await box.fill(str(value))


async def _options(dialog: Locator, options: tuple[OptionInput, ...]) -> None:
    if not options:
        return
    await (await OPTION_SET_DIALOG.find(dialog, "tab", name="Options", n=TAB["Options"])).first.click()
    add = (await OPTION_SET_DIALOG.find(dialog, "add_option")).first
    rows = dialog.locator(OPTION_SET_DIALOG["option_rows"].primary.value)
    for i, option in enumerate(options):
        await add.click()
        row = rows.nth(i)
        await row.wait_for()
        texts = row.locator('input[type="text"]')  # [P] §7 OS:596-629: Name, Print Name; then the price
        await texts.nth(0).fill(option.name)
        await texts.nth(1).fill(option.name)  # print name = name
        if option.price > 0:  # OS:625 leaves the price empty when it is 0
            await row.locator('input[type="number"]').first.fill(f"{option.price:.2f}")


async def save_dialog(page: Page, dialog: Locator, save: Locator, what: str, name: str) -> None:
    """Save; the dialog closes (then the list shows ``name``) or shows the portal's words (an error)."""
    await save.first.click()
    error = dialog.get_by_text(re.compile(ERROR_WORDS, re.IGNORECASE)).first
    closed = asyncio.ensure_future(dialog.wait_for(state="hidden", timeout=DIALOG_TIMEOUT_MS))
    failed = asyncio.ensure_future(error.wait_for(state="visible", timeout=DIALOG_TIMEOUT_MS))
    done, pending = await asyncio.wait({closed, failed}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if failed in done and failed.exception() is None:
        said = (await error.inner_text()).strip()
        await page.keyboard.press("Escape")  # OS:726, IT:635: Escape closes a failed dialog
        raise PermanentStepError(f"{what} {name!r} was not created: the portal said: {said}")
    if closed.exception() is not None:
        raise RetryableStepError(f"the {what} dialog did not close within {DIALOG_TIMEOUT_MS / 1000:.0f} s "
                                 "of Save")
    await wait_loader_gone(page)


async def create_option_set(page: Page, spec: OptionSetInput) -> list[str]:
    """Create one option set (Name, Display Name, options, conditions, items); items not found to attach."""
    dialog = await open_dialog(page, "Option Set")
    await (await OPTION_SET_DIALOG.find(dialog, "name")).first.fill(spec.name)
    await (await OPTION_SET_DIALOG.find(dialog, "display_name")).first.fill(spec.display_name or spec.name)
    await _options(dialog, spec.options)
    await _conditions(dialog, spec)
    items_tab = str(TAB["Add / Remove From Items"])
    missing = await tick_items(dialog, OPTION_SET_DIALOG, items_tab, list(spec.items))
    await save_dialog(page, dialog, await OPTION_SET_DIALOG.find(dialog, "save"), "option set", spec.name)
    if spec.name not in await existing_option_sets(page):
        raise PermanentStepError(f"option set {spec.name!r} was saved but is not in the list")
    return missing


class _Named(Protocol):
    @property
    def name(self) -> str: ...


S = TypeVar("S", bound=_Named)


async def ensure_by_name(page: Page, specs: Sequence[S], existing: Iterable[str],
                         create: Callable[[Page, S], Awaitable[list[str]]]) -> EnsureReport:
    """Adopt each spec whose name exists, else ``create`` it (returning items it could not attach);
    a failure is recorded (its dialog closed with Escape, as the scripts do) and the next one tried."""
    report = EnsureReport()
    names = set(existing)
    for spec in specs:
        if spec.name in names:
            report.adopted.append(spec.name)
            continue
        try:
            missing = await create(page, spec)
        except StepError as exc:
            report.failed[spec.name] = str(exc)
            await close_dialogs(page)
            continue
        report.created.append(spec.name)
        names.add(spec.name)
        if missing:
            report.missing_items[spec.name] = missing
    return report


async def ensure_option_sets(page: Page, specs: list[OptionSetInput]) -> EnsureReport:
    """Create each set not already present by name; a failure is recorded and the next one tried."""
    return await ensure_by_name(page, specs, await existing_option_sets(page), create_option_set)
