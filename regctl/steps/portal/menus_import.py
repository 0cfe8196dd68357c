"""Menus → CSV import (§6.2): the CSV button → a modal → type ``import`` → Proceed → the file → Upload.

On the real portal a successful import just closes the modal, with no message (S7:61); a failure
leaves it open with text matching ``Error|Failed|Invalid|Blocked|limit|rejected`` (IM:594). So this
waits for whichever comes first — the modal gone or such text in it — and then *verifies*: a new
menu must appear on the Menus tab with as many items as the CSV has rows.
"""

from __future__ import annotations

import asyncio
import csv
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.locators import wait_loader_gone
from regctl.steps.portal.menus_locators import CSV_IMPORT, ERROR_WORDS, MENUS
from regctl.steps.portal.menus_state import MenuSummary, existing_menus

__all__ = ["ImportOutcome", "MenuSummary", "existing_menus", "import_menu_csv"]

TRANSIENT = ("try again", "limit")  # the portal's words for "not now" rather than "never"
UPLOAD_TIMEOUT_MS = 60_000  # the prior backend allowed the whole import 120 s (§18.2)
LIST_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class ImportOutcome:
    items_before: int
    items_after: int


def _csv_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return sum(1 for _ in csv.DictReader(handle))


async def _closed_or_error(dialog: Locator) -> str:
    """Wait for the dialog to close ('' back) or to show the portal's error words (their text)."""
    error = dialog.get_by_text(re.compile(ERROR_WORDS, re.IGNORECASE)).first
    closed = asyncio.ensure_future(dialog.wait_for(state="hidden", timeout=UPLOAD_TIMEOUT_MS))
    failed = asyncio.ensure_future(error.wait_for(state="visible", timeout=UPLOAD_TIMEOUT_MS))
    done, pending = await asyncio.wait({closed, failed}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if failed in done and failed.exception() is None:
        return (await error.inner_text()).strip() or "an error"
    if closed in done and closed.exception() is None:
        return ""
    raise RetryableStepError(f"the CSV import dialog neither closed nor showed an error within "
                             f"{UPLOAD_TIMEOUT_MS / 1000:.0f} s")


async def import_menu_csv(page: Page, csv_path: Path) -> ImportOutcome:
    """Upload the CSV from the Menus tab; the item counts before and after (verified to grow by its rows)."""
    menus_before = await existing_menus(page)
    before = sum(m.items for m in menus_before)
    expected = _csv_rows(csv_path)
    await (await MENUS.find(page, "csv")).first.click()
    dialog = (await CSV_IMPORT.find(page, "dialog")).first
    await (await CSV_IMPORT.find(dialog, "confirm")).fill("import")
    await (await CSV_IMPORT.find(dialog, "proceed")).first.click()
    upload = await CSV_IMPORT.find(dialog, "upload")
    await (await CSV_IMPORT.find(dialog, "file", state="attached")).set_input_files(csv_path)
    await upload.first.click()
    said = await _closed_or_error(dialog)
    if said:
        message = f"menu CSV import: the portal said: {said}"
        if any(word in said.lower() for word in TRANSIENT):
            raise RetryableStepError(message)
        raise PermanentStepError(message)
    await wait_loader_gone(page)
    try:  # the new menu's entry (the list re-renders in place)
        await page.locator(MENUS["menu_items"].primary.value).nth(len(menus_before)).wait_for(
            timeout=LIST_TIMEOUT_MS)
    except PlaywrightTimeout:
        raise PermanentStepError("menu CSV import: the dialog closed without an error, but no new menu "
                                 "appeared on the Menus tab") from None
    after = sum(m.items for m in await existing_menus(page))
    if after - before != expected:
        raise PermanentStepError(f"menu CSV import showed no error, but the menus gained {after - before} "
                                 f"items instead of {expected}")
    return ImportOutcome(items_before=before, items_after=after)
