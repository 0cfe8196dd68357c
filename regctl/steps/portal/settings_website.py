"""Settings → Website (reference §1 step 6): themes, colours, fonts, top nav bar, header, items,
favicon, SEO, social links and custom code. Each collapsible section has its own Save.

Read first: :func:`current_theme`, :func:`section_values`; :func:`set_theme` does nothing when the
theme is already the wanted one (so the "Changing your theme will overwrite…" dialog, which resets
colours in the real portal, is only accepted when needed).
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Dialog, Locator, Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.common import click_and_wait_load, expect_no_alert

__all__ = [
    "current_theme",
    "save_section",
    "section_values",
    "set_colours",
    "set_custom_code",
    "set_fonts",
    "set_header",
    "set_items_layout",
    "set_seo",
    "set_social",
    "set_theme",
    "set_top_nav",
    "upload_favicon",
]

THEME_DIALOG = "Changing your theme will overwrite"
THEME_BUTTONS = {"dark": "Dark Theme", "light": "Light Theme"}
PREVIEW = "img.uploadcare--preview__image"


async def open_section(page: Page, title: str) -> Locator:
    """The collapsible section with this title, opened."""
    section = page.locator("details.settings-section").filter(
        has=page.locator("summary", has_text=title)).first
    if await section.get_attribute("open") is None:
        await section.locator("summary").click()
    return section


async def current_theme(page: Page) -> str:
    """"dark" or "light": the theme whose button is pressed."""
    section = await open_section(page, "Themes")
    pressed = section.locator(".theme-button[aria-pressed=true]")
    label = (await pressed.inner_text()).strip()
    return next(key for key, text in THEME_BUTTONS.items() if text == label)


async def set_theme(page: Page, theme: str) -> bool:
    """Switch to ``theme`` accepting the overwrite dialog; False when it was already set."""
    if await current_theme(page) == theme:
        return False
    seen: list[str] = []

    async def accept(dialog: Dialog) -> None:
        seen.append(dialog.message)
        await dialog.accept()

    page.once("dialog", accept)
    section = await open_section(page, "Themes")
    await click_and_wait_load(page, section.get_by_role("button", name=THEME_BUTTONS[theme]))
    if not any(THEME_DIALOG in message for message in seen):
        raise PermanentStepError(f"switching theme: expected the '{THEME_DIALOG}…' dialog, saw {seen}")
    if await current_theme(page) != theme:
        raise PermanentStepError(f"the portal did not switch to the {theme} theme")
    return True


async def save_section(page: Page, title: str, fields: dict[str, str] | None = None,
                       uploads: dict[str, Path] | None = None, selects: dict[str, int] | None = None) -> None:
    """Fill a section's inputs by label (text, files, select option index) and press its Save."""
    section = await open_section(page, title)
    for label, value in (fields or {}).items():
        await section.get_by_label(label, exact=True).fill(value)
    for label, path in (uploads or {}).items():
        await section.get_by_label(label, exact=True).set_input_files(path)
    for label, index in (selects or {}).items():
        await section.get_by_label(label, exact=True).select_option(index=index)
    await click_and_wait_load(page, section.get_by_role("button", name="Save"))
    await expect_no_alert(page, f"saving the website's {title} section")


async def section_values(page: Page, title: str) -> dict[str, str]:
    """Current values of a section's text inputs, selects and textareas, by label text."""
    section = await open_section(page, title)
    values: dict[str, str] = {}
    for label in await section.locator("label").all():
        target = await label.get_attribute("for")
        control = (section.locator(f"[id='{target}']") if target else
                   label.locator("input:not([type=file]):not([type=checkbox]), select, textarea"))
        if await control.count():
            text = (await label.evaluate("l => l.firstChild ? l.firstChild.textContent : ''")).strip()
            values[text] = await control.first.input_value()
    return values


async def set_colours(page: Page, primary: str, secondary: str | None = None,
                      background: str | None = None, box_text: str | None = None) -> None:
    wanted = {"Primary Color": primary, "Secondary Color": secondary, "Background Color": background,
              "Box Text Color": box_text}
    await save_section(page, "Colors", {k: v for k, v in wanted.items() if v is not None})


async def set_fonts(page: Page, heading: str = "Gabarito", body: str = "Gabarito") -> None:
    section = await open_section(page, "Fonts")
    await section.get_by_label("Heading Font", exact=True).select_option(label=heading)
    await section.get_by_label("Body Font", exact=True).select_option(label=body)
    await save_section(page, "Fonts")


async def _hosted_url(page: Page, title: str, widget_label: str) -> str:
    section = await open_section(page, title)
    widget = section.locator(".upload-widget").filter(has=page.get_by_label(widget_label, exact=True))
    preview = widget.locator(PREVIEW)
    if not await preview.count():
        raise PermanentStepError(f"the {title} {widget_label} upload did not produce a hosted image")
    return str(await preview.first.evaluate("img => img.src"))


async def set_top_nav(page: Page, text_colour: str, logo: Path | None = None) -> str | None:
    """Nav bar text colour and logo; the hosted logo URL when a logo was uploaded."""
    await save_section(page, "Top Nav Bar", {"Text Color": text_colour}, {"Logo": logo} if logo else None)
    return await _hosted_url(page, "Top Nav Bar", "Logo") if logo else None


async def set_header(page: Page, enabled: bool, background: Path | None = None,
                     logo: Path | None = None, title: str = " ") -> None:
    section = await open_section(page, "Header")
    await section.get_by_label("Enable Header").set_checked(enabled)
    uploads = {k: v for k, v in (("Background Image", background), ("Header Logo", logo)) if v}
    await save_section(page, "Header", {"Title": title} if enabled else None, uploads or None)


async def set_items_layout(page: Page, layout_index: int = 2, tag_position_index: int = 1) -> None:
    """Card layout (index 2 = Card) and tag position (index 1 = Inner Bottom), as the prior step did."""
    await save_section(page, "Items",
                       selects={"Card Layout": layout_index, "Tag Position": tag_position_index})


async def upload_favicon(page: Page, favicon: Path) -> str:
    await save_section(page, "Favicon", uploads={"Favicon": favicon})
    return await _hosted_url(page, "Favicon", "Favicon")


async def set_seo(page: Page, title: str, meta: str) -> None:
    await save_section(page, "SEO", {"Page Title": title, "Meta Description": meta})


async def set_social(page: Page, facebook: str = "", instagram: str = "") -> None:
    await save_section(page, "Social", {"Facebook": facebook, "Instagram": instagram})


async def set_custom_code(page: Page, head: str, body: str) -> None:
    """Head code into the first textarea, body code into the second."""
    section = await open_section(page, "Custom Code")
    areas = section.locator("textarea")
    await areas.nth(0).fill(head)
    await areas.nth(1).fill(body)
    await save_section(page, "Custom Code")
