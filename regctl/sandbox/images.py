"""Images the sandbox serves, drawn with Pillow on first request: logos, favicons, og:images, dishes.

Each restaurant's images use its own brand colours, so a branding extraction that picks the wrong
site or the wrong colour is visible. Everything is deterministic (no randomness, no fonts needed).
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw

from regctl.sandbox.fixtures import RestaurantFixture

__all__ = ["dish_jpeg", "favicon_ico", "favicon_png", "logo_png", "logo_svg", "og_jpeg"]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _initials(name: str) -> str:
    words = [w for w in name.replace("(", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "R"


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _mark(size: int, r: RestaurantFixture, transparent: bool) -> Image.Image:
    """The restaurant's mark: a primary disc with a secondary ring and its initials."""
    background = (0, 0, 0, 0) if transparent else (255, 255, 255, 255)
    image = Image.new("RGBA", (size, size), background)
    draw = ImageDraw.Draw(image)
    pad = size // 16
    draw.ellipse((pad, pad, size - pad, size - pad), fill=(*_rgb(r.primary_colour), 255))
    ring = size // 10
    draw.ellipse(
        (pad + ring, pad + ring, size - pad - ring, size - pad - ring),
        outline=(*_rgb(r.secondary_colour), 255),
        width=max(1, size // 40),
    )
    text = _initials(r.name)
    left, top, right, bottom = (int(v) for v in draw.textbbox((0, 0), text))
    scale_box = Image.new("RGBA", (right - left + 2, bottom - top + 2), (0, 0, 0, 0))
    ImageDraw.Draw(scale_box).text((1 - left, 1 - top), text, fill=(*_rgb(r.secondary_colour), 255))
    glyphs = scale_box.resize((size // 2, size // 4), Image.Resampling.NEAREST)
    image.alpha_composite(glyphs, (size // 4, size * 3 // 8))
    return image


def logo_png(r: RestaurantFixture) -> bytes:
    """A 400×400 logo with a transparent background (the no-background variant is a trim)."""
    return _save(_mark(400, r, transparent=True), "PNG")


def logo_svg(r: RestaurantFixture) -> bytes:
    initials = _initials(r.name)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">'
        f'<circle cx="200" cy="200" r="175" fill="{r.primary_colour}"/>'
        f'<circle cx="200" cy="200" r="135" fill="none" stroke="{r.secondary_colour}" stroke-width="10"/>'
        f'<text x="200" y="235" font-size="110" text-anchor="middle" fill="{r.secondary_colour}" '
        f'font-family="sans-serif">{initials}</text></svg>'
    )
    return svg.encode()


def favicon_png(r: RestaurantFixture) -> bytes:
    return _save(_mark(64, r, transparent=True).resize((32, 32)), "PNG")


def favicon_ico(r: RestaurantFixture) -> bytes:
    return _save(_mark(64, r, transparent=True), "ICO", sizes=[(32, 32), (16, 16)])


def og_jpeg(r: RestaurantFixture) -> bytes:
    """A 1200×630 header image: a primary→secondary band with the mark on the left."""
    image = Image.new("RGB", (1200, 630), _rgb(r.primary_colour))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 1200, 630), fill=_rgb(r.secondary_colour))
    image.paste(_mark(360, r, transparent=False).convert("RGB"), (80, 135))
    return _save(image, "JPEG", quality=80)


def dish_jpeg(r: RestaurantFixture, dish_slug: str) -> bytes:
    """A 480×360 'photo' of a dish: a plate on a table, tinted per dish so no two are identical."""
    digest = hashlib.sha1(f"{r.slug}/{dish_slug}".encode()).digest()
    table = (80 + digest[0] % 100, 50 + digest[1] % 80, 30 + digest[2] % 60)
    food = (150 + digest[3] % 100, 60 + digest[4] % 150, 20 + digest[5] % 120)
    image = Image.new("RGB", (480, 360), table)
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 30, 390, 330), fill=(245, 245, 240))
    draw.ellipse((150, 90, 330, 270), fill=food)
    draw.rectangle((0, 330, 480, 360), fill=_rgb(r.primary_colour))
    return _save(image, "JPEG", quality=75)
