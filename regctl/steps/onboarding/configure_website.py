"""configure_website — the ordering site's look in Settings → Website, section by section.

Theme (accepting the portal's overwrite dialog only when it must change), colours, fonts, the top
nav bar's text colour and logo, the header (when the config wants one), item card layout, favicon,
SEO text and the custom head/body code from generate_code. Each section is read first and saved only
when it differs; images are uploaded only when none is hosted yet. The result carries the hosted
logo URL (for sync_onboarding) and the list of sections changed.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page

from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding.extract_branding import in_this_sandbox
from regctl.steps.onboarding.portal_session import enter_restaurant
from regctl.steps.onboarding.registration_common import JSON, config_section
from regctl.steps.portal.navigation import open_settings_tab
from regctl.steps.portal.settings_website import save_section, set_theme
from regctl.steps.portal.website_state import header_enabled, hosted_url

__all__ = ["configure_website", "seo_text", "text_colour"]

FONT = "Gabarito"
LIGHT_BACKGROUND = "#FFFBF2"
LAYOUT_LABEL = {"list": "List", "grid": "Grid", "card": "Card"}  # Item Style options (WD:1132)
TAG_POSITION = "Inner Bottom"  # the 2nd option of Item Tag Position (WD:1141)
LIGHT_TEXT = "#323232"  # WL:634-670
_NAMED = {"white": "#FFFFFF", "black": "#000000"}


def text_colour(choice: str | None, website: Mapping[str, Any]) -> str:
    """white/black/primary/secondary or a hex colour, as a hex colour."""
    value = (choice or "white").strip()
    if value.lower() in _NAMED:
        return _NAMED[value.lower()]
    if value.lower() in ("primary", "secondary"):
        return str(website.get(f"{value.lower()}_color") or "#FFFFFF")
    return value


def _location(address: str) -> str:
    parts = [p.strip() for p in address.split(",") if p.strip()]
    return re.sub(r"\s*\d{4}$", "", parts[-2] if len(parts) >= 2 else "").strip()


def seo_text(name: str, address: str, phone: str, cuisines: list[str]) -> tuple[str, str]:
    """(page title, meta description) in the prior system's wording."""
    location = _location(address)
    base = re.sub(r"\s*\([^)]*\)", "", name).strip() or name
    title = f"{base} {location}".strip() + " - Order Online for Delivery or Pickup"
    meta = f"{address} {phone} - Best {cuisines[0] if cuisines else 'Food'} in {location or 'Town'}"
    return title, meta


def _local_file(ctx: StepContext, source: Any) -> Path | None:
    """A logo/favicon/header source as a local file: a path as is (or under the data dir), a URL fetched."""
    if not source:
        return None
    text = str(source)
    if text.startswith(("http://", "https://")):
        # A sandbox site URL recorded by an earlier run (another in-process sandbox, another port) is
        # read from the sandbox this run uses.
        text = in_this_sandbox(ctx, text)
        response = httpx.get(text, timeout=30.0, follow_redirects=True)
        if response.status_code != 200:
            return None
        suffix = Path(text.split("?", 1)[0]).suffix or ".png"
        handle = tempfile.NamedTemporaryFile(dir=ctx.data_dir, suffix=suffix, delete=False)  # noqa: SIM115
        with handle:
            handle.write(response.content)
        return Path(handle.name)
    for path in (Path(text), Path(ctx.data_dir) / text):
        if path.is_file():
            return path
    return None


class _Run:
    """One configuration pass: the page, the config, and the sections it changed."""

    def __init__(self, ctx: StepContext, page: Page) -> None:
        self.ctx, self.page = ctx, page
        self.website = config_section(ctx, "website")
        self.changed: list[str] = []

    async def section(self, title: str, wanted: Mapping[str, str | Path]) -> None:
        if await save_section(self.page, title, dict(wanted)) and title not in self.changed:
            self.changed.append(title)

    def colours(self, theme: str) -> dict[str, str | Path]:
        """The prior system's colours per theme (WD:628-668 dark, WL:634-693 light)."""
        primary = str(self.website.get("primary_color") or "#000000")
        if theme != "light":
            return {"Primary": primary, "Box & Popup Text": "#FFFFFF"}
        box_text = str(self.website.get("secondary_color") or primary)
        return {"Primary": primary, "Primary Text": LIGHT_BACKGROUND, "Background": LIGHT_BACKGROUND,
                "Text": LIGHT_TEXT, "Box & Popup Background": LIGHT_BACKGROUND, "Box & Popup Text": box_text}

    async def theme_and_colours(self) -> None:
        theme = str(self.website.get("theme") or "dark")
        if await set_theme(self.page, theme):
            self.changed.append("Themes")
        await self.section("Colors", self.colours(theme))
        await self.section("Fonts", {"Heading Font": FONT, "Normal Font": FONT})

    async def nav_and_header(self) -> str | None:
        colour = text_colour(self.website.get("nav_text_color"), self.website)
        wanted: dict[str, str | Path] = {"Text": colour}
        if str(self.website.get("theme") or "dark") == "light":
            wanted["Background"] = LIGHT_BACKGROUND  # WL:838
        upload = None if await hosted_url(self.page, "nav_logo_url") else _local_file(
            self.ctx, self.website.get("nav_logo_source"))
        if upload is not None:
            wanted["Logo"] = upload
        await self.section("Top Nav Bar", wanted)
        if self.website.get("configure_header") and not await header_enabled(self.page):
            header: dict[str, str | Path] = {"Show Header": "on", "Title": " "}
            for label, key in (("Background Image", "header_image_source"),
                               ("Header Logo", "header_logo_source")):
                source = _local_file(self.ctx, self.website.get(key))
                if source is not None:
                    header[label] = source
            await self.section("Header", header)
        return await hosted_url(self.page, "nav_logo_url")

    async def items_and_favicon(self) -> str | None:
        layout = LAYOUT_LABEL.get(str(self.website.get("item_layout") or "card"), "Card")
        await self.section("Items", {"Item Style": layout, "Item Tag Position": TAG_POSITION})
        favicon = await hosted_url(self.page, "favicon_url")
        source = None if favicon else _local_file(self.ctx, self.website.get("favicon_source"))
        if source is not None:
            await self.section("Favicon", {"Favicon": source})
            favicon = await hosted_url(self.page, "favicon_url")
        return favicon

    async def seo_and_code(self) -> None:
        restaurant = config_section(self.ctx, "restaurant")
        title, meta = seo_text(str(restaurant.get("name") or self.ctx.restaurant.get("name") or ""),
                               str(restaurant.get("address") or self.ctx.restaurant.get("address") or ""),
                               str(restaurant.get("phone") or ""), list(self.website.get("cuisines") or []))
        await self.section("SEO", {"Store Page Title": title, "Meta Description": meta})
        code = self.ctx.results.get("generate_code") or {}
        if code.get("head"):
            await self.section("Custom Code", {"Head Code": str(code["head"]),
                                               "Body Code": str(code.get("body") or "")})


@browser_step_type("configure_website", timeout=240.0,
                   description="Theme, colours, fonts, logos, layout, favicon, SEO and custom code")
async def configure_website(ctx: StepContext, page: Page) -> JSON:
    registered = await enter_restaurant(ctx, page)
    await open_settings_tab(page, "Website")
    run = _Run(ctx, page)
    await run.theme_and_colours()
    logo = await run.nav_and_header()
    favicon = await run.items_and_favicon()
    await run.seo_and_code()
    return {"restaurant_id": registered["restaurant_id"], "theme": run.website.get("theme") or "dark",
            "hosted_logo_url": logo, "favicon_url": favicon, "store_url": registered.get("store_url"),
            "sections_changed": run.changed}
