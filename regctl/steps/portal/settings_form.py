"""Settings sections and their form rows, the way every Settings tab shows them (real-portal-pages.md §9).

A tab is a list of collapsible sections; opening one (by its title) shows its content, and only one
content is present at a time. A row is found by its label text first, by its evidenced position
(``form > div > div:nth-child(N) …``) second. Controls: text/number inputs, toggles (clicked labels
whose text reads On/Off), selectadv dropdowns (click, type, first option), native selects, colour
swatches (the react-color hex input), Uploadcare uploads and textareas. Saving clicks the open
section's Save and waits for the portal's loading cover; the portal answers in place, without a
message, so callers verify by reading back.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.common import click_and_settle, expect_no_alert
from regctl.steps.portal.locators import (
    COLOUR_PICKER,
    SELECTADV,
    SETTINGS,
    UPLOADCARE,
    PageTable,
    resolve,
    wait_loader_gone,
)

__all__ = ["Field", "open_section", "open_tab_in_section", "read_field", "save_open_section", "write_field"]


@dataclasses.dataclass(frozen=True)
class Field:
    """One row: its label, its control kind, and its position (for the evidenced fallback)."""

    label: str
    kind: str  # text | toggle | selectadv | select | swatch | upload | textarea | status
    row: int = 0  # form > div > div:nth-child(row); 0 = no positional fallback
    index: int = 0  # textarea: which one; status: k of the auto-status group


async def open_section(page: Page, title: str, n: int = 0) -> Locator:
    """The content of the section titled ``title`` (the n-th block), opening it when another is open."""
    current = SETTINGS["open_block"].primary.build(page)
    if await current.count():
        header = current.first.locator("xpath=../*[1]")
        if (await header.inner_text()).strip().splitlines()[0:1] == [title]:
            return current.first
    await click_and_settle(page, (await SETTINGS.find(page, "section", title=title, n=n)).first)
    return (await SETTINGS.find(page, "open_block")).first


async def open_tab_in_section(page: Page, section: Locator, name: str, bar: str, n: int) -> None:
    """An inner tab of the open section, by its text (the ``#<bar>-tab-options…`` bar as fallback)."""
    await (await SETTINGS.find(section, "inner_tab", name=name, bar=bar, n=n)).first.click()


async def save_open_section(page: Page, doing: str) -> None:
    content = (await SETTINGS.find(page, "open_block")).first
    await click_and_settle(page, (await SETTINGS.find(content, "save")).first)
    await expect_no_alert(page, doing)
    await wait_loader_gone(page)


def _key(field: Field) -> str:
    return {"text": "input", "status": "auto_status"}.get(field.kind, field.kind)


async def control(block: Locator, table: PageTable, field: Field) -> Locator:
    """The control of ``field`` inside the open section ``block``."""
    if field.kind == "swatch":
        return (await COLOUR_PICKER.find(block, "swatch", label=field.label, k=field.row)).first
    if field.kind == "textarea":
        return (await table.find(block, "textarea")).nth(field.index)
    if field.kind == "selectadv":
        return (await table.find(block, "selectadv", label=field.label, row=field.row)).first
    return (await table.find(block, _key(field), label=field.label, row=field.row, k=field.index)).first


async def _swatch_hex(page: Page, swatch: Locator) -> Locator:
    await swatch.click()
    return (await COLOUR_PICKER.find(page, "hex")).first


async def read_field(page: Page, block: Locator, table: PageTable, field: Field) -> str:
    """What a row shows now: text, "on"/"off", the chosen option, a hex colour, an uploaded URL."""
    found = await control(block, table, field)
    if field.kind in ("toggle", "status"):
        return "on" if (await found.inner_text()).strip().lower() == "on" else "off"
    if field.kind in ("selectadv", "font"):
        return re.sub(r"[^\w)]+$", "", (await found.inner_text()).strip())
    if field.kind == "select":
        return str(await found.evaluate("s => (s.options[s.selectedIndex] || {text: ''}).text"))
    if field.kind == "swatch":
        value = await (await _swatch_hex(page, found)).input_value()
        await page.keyboard.press("Escape")
        return value.upper()
    if field.kind == "upload":
        image = found.locator("xpath=ancestor::*[.//img][1]//a/img")
        return str(await image.first.get_attribute("src") or "") if await image.count() else ""
    return await found.input_value()


async def write_field(page: Page, block: Locator, table: PageTable, field: Field, value: str | Path) -> None:
    """Set a row to ``value`` (toggles and statuses "on"/"off": clicked only when they differ)."""
    found = await control(block, table, field)
    if field.kind in ("toggle", "status"):
        if await read_field(page, block, table, field) != value:
            await found.click()
    elif field.kind in ("selectadv", "font"):
        await _choose(page, found, str(value))
    elif field.kind == "select":
        await found.select_option(label=str(value))
    elif field.kind == "swatch":
        await (await _swatch_hex(page, found)).fill(str(value))
        await page.keyboard.press("Escape")
    elif field.kind == "upload":
        await upload(page, found, Path(value))
    else:
        await found.fill(str(value))


async def _choose(page: Page, dropdown: Locator, text: str) -> None:
    """selectadv: click, type, take the first option showing ``text`` (§18.2)."""
    await dropdown.click()
    await page.keyboard.type(text)
    options = await resolve(page, SELECTADV["options"])
    wanted = options.filter(has_text=text)
    await (wanted.first if await wanted.count() else options.first).click()


async def upload(page: Page, button: Locator, path: Path) -> None:
    """The Uploadcare dialog (§11.3): choose a local file, wait for the preview, Add."""
    await button.click()
    dialog = (await UPLOADCARE.find(page, "dialog")).first
    async with page.expect_file_chooser() as chosen:
        await (await UPLOADCARE.find(dialog, "choose")).first.click()
    await (await chosen.value).set_files(str(path))
    try:
        await (await UPLOADCARE.find(dialog, "preview", timeout_ms=20_000)).first.wait_for()
    except RetryableStepError:
        if await UPLOADCARE["error"].primary.build(dialog).count():
            raise PermanentStepError(f"Uploadcare could not upload {path.name}") from None
        raise
    await (await UPLOADCARE.find(dialog, "add")).first.click()
    try:
        await dialog.wait_for(state="detached", timeout=10_000)
    except PlaywrightTimeout:
        raise RetryableStepError("the Uploadcare dialog did not close after Add") from None
