"""Settings → Website (real-portal-pages.md §11): themes, colours, fonts, the top nav bar, the header,
items, favicon, SEO, social links and custom code — each section its own form with its own Save.

Read first, write only what differs: :func:`section_values` reads a section's rows by label.
:func:`current_theme` infers the theme from the Colors section (a theme *is* its colours: the
portal's confirm says a theme change "will overwrite your existing colors"); the reference records
no other sign of the active theme. :func:`set_theme` accepts that native ``confirm()`` only when the
theme must change.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Dialog, Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_settle
from regctl.steps.portal.locators import WEBSITE
from regctl.steps.portal.settings_form import Field, open_section, read_field, save_open_section, write_field

__all__ = [
    "SECTIONS",
    "current_theme",
    "save_section",
    "section_values",
    "set_custom_code",
    "set_theme",
]

THEME_DIALOG = "Changing your theme will overwrite"  # [R] SES:12
THEME_BUTTONS = {"light": ("Light Theme", 2), "dark": ("Dark Theme", 3)}  # WL:588, WD:598
# Section → (its n-th place among the Website blocks, its rows by label), §11.1.
SECTIONS: dict[str, tuple[int, tuple[Field, ...]]] = {
    "Colors": (3, (Field("Primary", "swatch", 1), Field("Primary Text", "swatch", 2),
                   Field("Background", "swatch", 3), Field("Text", "swatch", 4),
                   Field("Box & Popup Background", "swatch", 5), Field("Box & Popup Text", "swatch", 6))),
    "Fonts": (4, (Field("Heading Font", "font", 3), Field("Normal Font", "font", 4))),
    "Top Nav Bar": (5, (Field("Background", "swatch"), Field("Text", "swatch"), Field("Logo", "upload", 3))),
    "Header": (7, (Field("Show Header", "toggle", 1), Field("Background Image", "upload", 3),
                   Field("Title", "text", 5), Field("Header Logo", "upload", 7))),
    "Items": (9, (Field("Item Style", "select", 1), Field("Item Tag Position", "select", 2))),
    "Favicon": (15, (Field("Favicon", "upload", 1),)),
    "SEO": (16, (Field("Store Page Title", "text", 1), Field("Meta Description", "text", 2))),
    "Social Media": (17, (Field("Facebook", "text", 2), Field("Instagram", "text", 3))),
    "Custom Code": (18, (Field("Head Code", "textarea", index=0), Field("Body Code", "textarea", index=1))),
}


def _field(title: str, label: str) -> Field:
    return next(f for f in SECTIONS[title][1] if f.label == label)


async def section_values(page: Page, title: str, labels: tuple[str, ...] = ()) -> dict[str, str]:
    """What a section's rows show now, by label (all its known rows, or ``labels``)."""
    n, fields = SECTIONS[title]
    block = await open_section(page, title, n)
    return {f.label: await read_field(page, block, WEBSITE, f) for f in fields
            if not labels or f.label in labels}


async def save_section(page: Page, title: str, values: dict[str, str | Path]) -> list[str]:
    """Set the rows whose values differ and Save; the labels changed ([] = nothing to do, no save)."""
    current = await section_values(page, title, tuple(values))
    changed = [label for label, value in values.items() if not _same(current.get(label, ""), value)]
    if not changed:
        return []
    n, _ = SECTIONS[title]
    block = await open_section(page, title, n)
    for label in changed:
        await write_field(page, block, WEBSITE, _field(title, label), values[label])
    await save_open_section(page, f"saving the website's {title} section")
    after = await section_values(page, title, tuple(changed))
    wrong = {label: after[label] for label in changed
             if not isinstance(values[label], Path) and not _same(after[label], values[label])}
    if wrong:
        raise PermanentStepError(f"the website's {title} section did not keep {wrong}")
    return changed


def _same(shown: str, wanted: str | Path) -> bool:
    """Whether a row already shows ``wanted`` (a file to upload never does; a blank is compared as is:
    the prior system typed one space to hide the header title, WD:1061)."""
    if isinstance(wanted, Path):
        return False
    if not wanted.strip():
        return shown == wanted
    return shown.strip().lower() == wanted.strip().lower()


def _dark(hex_colour: str) -> bool:
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        return True
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


async def current_theme(page: Page) -> str:
    """"dark" or "light", from the Colors section's Background."""
    background = (await section_values(page, "Colors", ("Background",)))["Background"]
    return "dark" if _dark(background) else "light"


async def set_theme(page: Page, theme: str) -> bool:
    """Switch to ``theme`` accepting the overwrite dialog; False when it was already set."""
    if await current_theme(page) == theme:
        return False
    seen: list[str] = []

    async def accept(dialog: Dialog) -> None:
        seen.append(dialog.message)
        await dialog.accept()

    page.once("dialog", accept)
    await open_section(page, "Themes", 2)
    name, n = THEME_BUTTONS[theme]
    await click_and_settle(page, (await WEBSITE.find(page, "theme_button", theme=name, n=n)).first)
    if not any(THEME_DIALOG in message for message in seen):
        raise PermanentStepError(f"switching theme: expected the '{THEME_DIALOG}…' dialog, saw {seen}")
    if await current_theme(page) != theme:
        raise PermanentStepError(f"the portal did not switch to the {theme} theme")
    return True


async def set_custom_code(page: Page, head: str, body: str) -> list[str]:
    return await save_section(page, "Custom Code", {"Head Code": head, "Body Code": body})
