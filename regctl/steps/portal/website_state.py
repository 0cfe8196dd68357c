"""Reading Settings → Website before changing it: hosted images and the header switch.

Complements settings_website (which saves sections) so a step uploads an image only once.
Values are read from the DOM, so a collapsed section need not be opened.
"""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.async_api import Page

__all__ = ["header_enabled", "hosted_url"]

UPLOAD_FIELDS = ("nav_logo_url", "header_background_url", "header_logo_url", "favicon_url")


async def hosted_url(page: Page, field: str) -> str | None:
    """The hosted (absolute) URL of an uploaded image (``nav_logo_url``, ``favicon_url``, …); None if none."""
    if field not in UPLOAD_FIELDS:
        raise ValueError(f"unknown upload field {field!r}; expected one of {', '.join(UPLOAD_FIELDS)}")
    shown = page.locator(f"#upload-{field} .uploaded-url")
    if not await shown.count():
        return None
    value = (await shown.first.input_value()).strip()
    return urljoin(page.url, value) if value else None


async def header_enabled(page: Page) -> bool:
    return await page.locator("#header_enabled").is_checked()
