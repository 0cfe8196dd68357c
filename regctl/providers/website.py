"""A restaurant's own website, fetched natively: logo, favicon, theme-color, og:image, CSS colours.

No browser: one GET of the page, parsed with the standard library's HTML parser, plus GETs of the
images it names. Relative URLs are resolved against the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import httpx

from regctl.providers.http import HttpProvider

__all__ = ["PageBranding", "Website", "parse_page"]

MAX_IMAGE_BYTES = 10 * 1024 * 1024
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_BODY_BACKGROUND = re.compile(
    r"(?:^|[\s,}])(?:body|html)\s*\{[^}]*?background(?:-color)?\s*:\s*(#[0-9a-fA-F]{3,6})\b")
_CSS_VAR = re.compile(r"--(primary|secondary|accent|brand)[\w-]*\s*:\s*(#[0-9a-fA-F]{3,6})\b")


@dataclass
class PageBranding:
    """What a page says about its brand. URLs are absolute."""

    logo_url: str | None = None
    favicon_url: str | None = None
    og_image_url: str | None = None
    theme_color: str | None = None
    color_scheme: str | None = None  # from <meta name=color-scheme> or a data-theme attribute
    css_colors: dict[str, str] = field(default_factory=dict)  # --primary… custom properties, background
    palette: list[str] = field(default_factory=list)  # saturated CSS colours in order of appearance
    title: str | None = None


def _scheme_hint(attrs: dict[str, str]) -> str | None:
    """light/dark from ``data-theme`` or a ``theme-dark``/``dark`` class on <html>/<body>."""
    words = {attrs.get("data-theme", "").lower(), *attrs.get("class", "").lower().split()}
    for scheme in ("dark", "light"):
        if scheme in words or f"theme-{scheme}" in words or f"{scheme}-mode" in words:
            return scheme
    return None


def _saturated(hex_colour: str) -> bool:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return max(r, g, b) - min(r, g, b) > 40  # greys, black and white are not brand colours


def _is_logo(attrs: dict[str, str]) -> bool:
    text = " ".join(attrs.get(k, "") for k in ("class", "id", "alt", "src")).lower()
    return "logo" in text


class _Parser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found = PageBranding()
        self._in_title = False
        self._styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k.lower(): (v or "") for k, v in attrs_list}
        handler = getattr(self, f"_tag_{tag}", None)
        if handler is not None:
            handler(attrs)
        if tag in ("html", "body") and not self.found.color_scheme:
            self.found.color_scheme = _scheme_hint(attrs)
        if attrs.get("style"):
            self._styles.append(attrs["style"])

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"
        self._in_style = self._in_style and tag != "style"

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.found.title:
            self.found.title = data.strip()
        if self._in_style:
            self._styles.append(data)

    def _abs(self, url: str) -> str:
        return urljoin(self.base, url.strip())

    def _tag_title(self, _attrs: dict[str, str]) -> None:
        self._in_title = True

    def _tag_style(self, _attrs: dict[str, str]) -> None:
        self._in_style = True

    def _tag_meta(self, attrs: dict[str, str]) -> None:
        key = (attrs.get("name") or attrs.get("property") or "").lower()
        content = attrs.get("content", "")
        if key == "theme-color" and content:
            self.found.theme_color = content
        elif key in ("og:image", "og:image:url") and content and not self.found.og_image_url:
            self.found.og_image_url = self._abs(content)
        elif key == "color-scheme" and content:
            self.found.color_scheme = content.split()[0].lower()

    def _tag_link(self, attrs: dict[str, str]) -> None:
        rel = attrs.get("rel", "").lower().split()
        if "icon" in rel and attrs.get("href") and not self.found.favicon_url:
            self.found.favicon_url = self._abs(attrs["href"])
        if "logo" in rel and attrs.get("href"):
            self.found.logo_url = self._abs(attrs["href"])

    def _tag_img(self, attrs: dict[str, str]) -> None:
        if attrs.get("src") and _is_logo(attrs) and not self.found.logo_url:
            self.found.logo_url = self._abs(attrs["src"])

    def styles(self) -> str:
        return "\n".join(self._styles)


def parse_page(html: str, base_url: str) -> PageBranding:
    """The branding a page declares (pure: no network)."""
    parser = _Parser(base_url)
    parser.feed(html)
    parser.close()
    found = parser.found
    styles = parser.styles()
    for name, value in _CSS_VAR.findall(styles):
        found.css_colors.setdefault(name.lower(), value)
    body = _BODY_BACKGROUND.search(styles)
    if body:
        found.css_colors.setdefault("background", body.group(1))
    found.palette = list(dict.fromkeys(h.upper() for h in _HEX.findall(styles) if _saturated(h)))
    return found


class Website(HttpProvider):
    system = "website"

    def __init__(self, base_url: str = "", *, transport: httpx.BaseTransport | None = None,
                 **kwargs: Any) -> None:
        headers = {"User-Agent": "regctl/0.1 (+onboarding)", "Accept": "text/html,image/*;q=0.9,*/*;q=0.5"}
        super().__init__(base_url, headers=headers, timeout=20.0, transport=transport, **kwargs)

    def branding(self, url: str) -> PageBranding:
        response = self.request("GET", url)
        return parse_page(response.text, str(response.url))

    def fetch_image(self, url: str) -> bytes:
        response = self.request("GET", url)
        return response.content[:MAX_IMAGE_BYTES]
