"""extract_branding: logo, favicon, og:image, colours and theme from the restaurant's website.

``with: {source: native}`` (default) fetches the page itself and parses it; ``{source: extraction}``
asks the extraction API's ``branding`` format (rate-limited). Logo variants are written as files
under ``ctx.data_dir/branding``; the restaurant's ``branding`` JSON holds colours, theme, source URLs
and those file paths. Colours fall back to the logo's dominant colours, then to none (the config
defaults then apply: #000000 / #FFFFFF).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from PIL import Image

from regctl.errors import PermanentStepError
from regctl.providers.website import PageBranding, Website
from regctl.registration_config import normalise_color
from regctl.steps.base import StepContext
from regctl.steps.onboarding.enrich_common import extraction_api, records, restaurant_id
from regctl.steps.onboarding.logo_variants import decode, dominant_colours, write_variants
from regctl.steps.onboarding.registration_common import target_of
from regctl.steps.registry import step_type
from regctl.targets import SANDBOX

__all__ = ["Found", "extract_branding", "from_extraction", "from_page", "theme_of"]


VARIANTS = ("logo", "logo_standard", "logo_nobg", "favicon", "logo_thermal")


@dataclass
class Found:
    """Branding facts from either source (URLs absolute; colours as given)."""

    logo_url: str | None = None
    favicon_url: str | None = None
    og_image_url: str | None = None
    primary: str | None = None
    secondary: str | None = None
    theme: str | None = None  # "light" | "dark" | None (unknown)


def theme_of(scheme: str | None, background: str | None = None) -> str | None:
    """light/dark from a colour scheme word, else from a background colour's luminance."""
    if scheme and scheme.lower() in ("light", "dark"):
        return scheme.lower()
    colour = normalise_color(background, "")
    if not colour:
        return None
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "light" if (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 >= 0.5 else "dark"


def from_page(page: PageBranding) -> Found:
    """Primary: ``--primary`` else theme-color else the first saturated CSS colour; secondary:
    ``--secondary``/``--accent`` else the next saturated CSS colour that is not the primary."""
    css = page.css_colors
    primary = normalise_color(css.get("primary") or page.theme_color, "") or next(iter(page.palette), None)
    others = [c for c in page.palette if c != primary]
    secondary = css.get("secondary") or css.get("accent") or next(iter(others), None)
    return Found(logo_url=page.logo_url, favicon_url=page.favicon_url, og_image_url=page.og_image_url,
                 primary=primary, secondary=secondary,
                 theme=theme_of(page.color_scheme, css.get("background")))


def from_extraction(data: Mapping[str, Any]) -> Found:
    """From Firecrawl's ``branding`` object (+ page metadata for og:image). As the prior system mapped
    it (reference §4): ``colors.primary`` → primary, ``colors.accent`` → secondary (``colors.secondary``
    only when there is no accent)."""
    branding, meta = data.get("branding") or {}, data.get("metadata") or {}
    colours, images = branding.get("colors") or {}, branding.get("images") or {}
    return Found(logo_url=images.get("logo") or branding.get("logo"),
                 favicon_url=images.get("favicon") or branding.get("favicon"),
                 og_image_url=images.get("ogImage") or meta.get("ogImage"),
                 primary=colours.get("primary"), secondary=colours.get("accent") or colours.get("secondary"),
                 theme=theme_of(branding.get("colorScheme"), colours.get("background")))


def _fetch_image(site: Website, url: str | None) -> Image.Image | None:
    """The decoded image; for an SVG (Pillow cannot draw it) the raster twin ``.png`` if the site has one."""
    for candidate in (url, url[:-4] + ".png" if url and url.lower().endswith(".svg") else None):
        if not candidate:
            continue
        try:
            image = decode(site.fetch_image(candidate))
        except PermanentStepError:
            continue  # a missing image is not worth failing the step for
        if image is not None:
            return image
    return None


def _website(ctx: StepContext) -> str:
    url = ctx.params.get("url") or ctx.restaurant.get("website")
    if not url:
        raise PermanentStepError(f"extract_branding: {ctx.restaurant.get('name')!r} has no website")
    return in_this_sandbox(ctx, str(url))


def in_this_sandbox(ctx: StepContext, url: str) -> str:
    """A sandbox site URL (``…/sites/<slug>/``) written for another sandbox address is read from the
    sandbox this run uses (manifests are often generated before the sandbox's port is known)."""
    parts = urlsplit(url)
    if ctx.target != SANDBOX or not _is_loopback(url) or not parts.path.startswith("/sites/"):
        return url
    return target_of(ctx).system("websites").url + parts.path[len("/sites"):]


def _is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def _use_extraction(ctx: StepContext, url: str) -> bool:
    """The extraction API when asked, or when the sandbox target names a site outside the sandbox
    (nothing leaves this machine in the sandbox: its extraction API maps such sites to fixtures)."""
    return ctx.params.get("source") == "extraction" or (ctx.target == SANDBOX and not _is_loopback(url))


def _find(ctx: StepContext, site: Website, url: str) -> Found:
    if _use_extraction(ctx, url):
        with extraction_api(ctx) as api:
            return from_extraction(api.branding(url))
    return from_page(site.branding(url))


def _branding(ctx: StepContext, site: Website, found: Found) -> dict[str, Any]:
    def fetchable(url: str | None) -> str | None:
        return url if url and (ctx.target != SANDBOX or _is_loopback(url)) else None

    logo = _fetch_image(site, fetchable(found.logo_url))
    icon = _fetch_image(site, fetchable(found.favicon_url))
    files = write_variants(logo, ctx.data_dir / "branding", icon) if logo is not None else {}
    guessed = dominant_colours(logo) if logo is not None else []
    primary = normalise_color(found.primary, "") or (guessed[0] if guessed else None)
    secondary = normalise_color(found.secondary, "") or (guessed[1] if len(guessed) > 1 else None)
    return {"source": ctx.params.get("source", "native"), "primary_color": primary,
            "secondary_color": secondary, "theme": found.theme or "dark", "theme_detected": bool(found.theme),
            "logo_url": found.logo_url, "favicon_url": found.favicon_url, "og_image": found.og_image_url,
            **files}


@step_type("extract_branding", timeout=120, description="Extract logo, colours and theme from the website")
def extract_branding(ctx: StepContext) -> dict[str, Any]:
    url = _website(ctx)
    with Website() as site:
        found = _find(ctx, site, url)
        branding = _branding(ctx, site, found) | {"website": url}
    records(ctx).set_branding(restaurant_id(ctx), branding)
    shown = ("primary_color", "secondary_color", "theme", "logo_url", "og_image")
    summary = {k: branding.get(k) for k in shown}
    return summary | {"logo_variants": sorted(k for k in VARIANTS if k in branding)}
