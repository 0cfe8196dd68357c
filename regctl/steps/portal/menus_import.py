"""Menus → CSV import (reference §1 step 9, §5): button → modal → type ``import`` → Proceed →
choose the file → Upload. Success is *verified*: the portal's error words mean failure, and no error
still needs the imported items to show up in the menu list."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Page

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.common import ERROR_TEXT, alert_text, click_and_wait_load, wait_visible

__all__ = ["ImportOutcome", "MenuSummary", "existing_menus", "import_menu_csv"]

MODAL = "#csv-import-modal"
TRANSIENT = ("try again", "limit")  # the portal's words for "not now" rather than "never"


@dataclass(frozen=True)
class MenuSummary:
    name: str
    items: int


@dataclass(frozen=True)
class ImportOutcome:
    items_before: int
    items_after: int


async def existing_menus(page: Page) -> list[MenuSummary]:
    """The menus on the Menus tab with their item counts."""
    menus = page.locator("#menu-list section.menu")
    found = []
    for i in range(await menus.count()):
        menu = menus.nth(i)
        found.append(MenuSummary(name=(await menu.locator(".menu-name").inner_text()).strip(),
                                 items=await menu.locator(".menu-item").count()))
    return found


def _csv_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return sum(1 for _ in csv.DictReader(handle))


async def _rejected(page: Page) -> None:
    said = await alert_text(page)
    if not said and not ERROR_TEXT.search(await page.locator(MODAL).inner_text()):
        return
    message = f"menu CSV import: the portal said: {said or 'an error'}"
    if any(word in said.lower() for word in TRANSIENT):
        raise RetryableStepError(message)
    raise PermanentStepError(message)


async def import_menu_csv(page: Page, csv_path: Path) -> ImportOutcome:
    """Upload the CSV on the Menus tab; the item counts before and after (verified to grow)."""
    before = sum(m.items for m in await existing_menus(page))
    expected = _csv_rows(csv_path)
    await page.get_by_role("button", name="CSV Import").click()
    modal = page.locator(MODAL)
    await wait_visible(modal, "the CSV import dialog")
    await modal.locator("input[type=text]").fill("import")
    await modal.get_by_role("button", name="Proceed").click()
    await wait_visible(modal.get_by_role("button", name="Upload"), "the CSV upload form")
    await modal.locator("input[type=file]").set_input_files(csv_path)
    await click_and_wait_load(page, modal.get_by_role("button", name="Upload"))
    if await modal.is_visible():
        await _rejected(page)
    after = sum(m.items for m in await existing_menus(page))
    if after - before != expected:
        raise PermanentStepError(f"menu CSV import showed no error, but the menus gained {after - before} "
                                 f"items instead of {expected}")
    return ImportOutcome(items_before=before, items_after=after)
