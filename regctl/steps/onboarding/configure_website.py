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
from regctl.steps.portal.settings_website import (
    section_values,
    set_colours,
    set_custom_code,
    set_fonts,
    set_header,
    set_items_layout,
    set_seo,
    set_theme,
    set_top_nav,
    upload_favicon,
)
from regctl.steps.portal.website_state import header_enabled, hosted_url

__all__ = ["configure_website", "seo_text", "text_colour"]

FONT = "Gabarito"
LIGHT_BACKGROUND = "#FFFBF2"
LAYOUT_INDEX = {"list": 0, "grid": 1, "card": 2}
TAG_POSITION = ("inner-bottom", 1)  # value, option index
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


def _differs(current: Mapping[str, str], wanted: Mapping[str, str]) -> bool:
    return any(current.get(k, "").strip().lower() != v.strip().lower() for k, v in wanted.items())


class _Run:
    """One configuration pass: the page, the config, and the sections it changed."""

    def __init__(self, ctx: StepContext, page: Page) -> None:
        self.ctx, self.page = ctx, page
        self.website = config_section(ctx, "website")
        self.changed: list[str] = []

    async def section(self, title: str, wanted: Mapping[str, str]) -> bool:
        if not _differs(await section_values(self.page, title), wanted):
            return False
        self.changed.append(title)
        return True

    async def theme_and_colours(self) -> None:
        theme = str(self.website.get("theme") or "dark")
        if await set_theme(self.page, theme):
            self.changed.append("Themes")
        colours = {"Primary Color": str(self.website.get("primary_color") or "#000000"),
                   "Secondary Color": str(self.website.get("secondary_color") or "#FFFFFF")}
        if theme == "light":
            colours["Background Color"] = LIGHT_BACKGROUND
        if await self.section("Colors", colours):
            await set_colours(self.page, colours["Primary Color"], colours["Secondary Color"],
                              colours.get("Background Color"))
        if await self.section("Fonts", {"Heading Font": FONT, "Body Font": FONT}):
            await set_fonts(self.page, FONT, FONT)

    async def nav_and_header(self) -> str | None:
        colour = text_colour(self.website.get("nav_text_color"), self.website)
        logo = await hosted_url(self.page, "nav_logo_url")
        upload = None if logo else _local_file(self.ctx, self.website.get("nav_logo_source"))
        if await self.section("Top Nav Bar", {"Text Color": colour}) or upload:
            logo = await set_top_nav(self.page, colour, upload) or logo
            if "Top Nav Bar" not in self.changed:
                self.changed.append("Top Nav Bar")
        if self.website.get("configure_header") and not await header_enabled(self.page):
            background = _local_file(self.ctx, self.website.get("header_image_source"))
            header_logo = _local_file(self.ctx, self.website.get("header_logo_source"))
            await set_header(self.page, True, background, header_logo)
            self.changed.append("Header")
        return logo

    async def items_and_favicon(self) -> str | None:
        layout = str(self.website.get("item_layout") or "card")
        if await self.section("Items", {"Card Layout": layout, "Tag Position": TAG_POSITION[0]}):
            await set_items_layout(self.page, LAYOUT_INDEX.get(layout, 2), TAG_POSITION[1])
        favicon = await hosted_url(self.page, "favicon_url")
        source = None if favicon else _local_file(self.ctx, self.website.get("favicon_source"))
        if source is not None:
            favicon = await upload_favicon(self.page, source)
            self.changed.append("Favicon")
        return favicon

    async def seo_and_code(self) -> None:
        restaurant = config_section(self.ctx, "restaurant")
        title, meta = seo_text(str(restaurant.get("name") or self.ctx.restaurant.get("name") or ""),
                               str(restaurant.get("address") or self.ctx.restaurant.get("address") or ""),
                               str(restaurant.get("phone") or ""), list(self.website.get("cuisines") or []))
        if await self.section("SEO", {"Page Title": title, "Meta Description": meta}):
            await set_seo(self.page, title, meta)
        code = self.ctx.results.get("generate_code") or {}
        if code.get("head") and await self.section("Custom Code", {"Head Code": str(code["head"]),
                                                                   "Body Code": str(code.get("body") or "")}):
            await set_custom_code(self.page, str(code["head"]), str(code.get("body") or ""))


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
