"""Reading Settings → Website before changing it: hosted images and the header switch.

Complements settings_website (which saves sections) so a step uploads an image only once. The
hosted URL is the uploaded preview's ``a > img`` in the row (WD:935-945).
"""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.async_api import Page

from regctl.steps.portal.settings_website import section_values

__all__ = ["UPLOADS", "header_enabled", "hosted_url"]

# state name → (section, row label)
UPLOADS = {"nav_logo_url": ("Top Nav Bar", "Logo"), "header_background_url": ("Header", "Background Image"),
           "header_logo_url": ("Header", "Header Logo"), "favicon_url": ("Favicon", "Favicon")}


async def hosted_url(page: Page, field: str) -> str | None:
    """The hosted (absolute) URL of an uploaded image (``nav_logo_url``, ``favicon_url``, …); None if none."""
    if field not in UPLOADS:
        raise ValueError(f"unknown upload field {field!r}; expected one of {', '.join(UPLOADS)}")
    section, label = UPLOADS[field]
    value = (await section_values(page, section, (label,)))[label].strip()
    return urljoin(page.url, value) if value else None


async def header_enabled(page: Page) -> bool:
    return (await section_values(page, "Header", ("Show Header",)))["Show Header"] == "on"
