"""Logo variants made with Pillow, written as files (never base64 in rows).

standard   fit inside 500×500, PNG
nobg       trimmed to its opaque pixels when the logo already has transparency; else the original as PNG
favicon    32×32 PNG (from the site's favicon when it decodes, else from the logo)
thermal    greyscale, 265 px wide (receipt printers)
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, UnidentifiedImageError

__all__ = ["FAVICON_SIZE", "STANDARD_SIZE", "THERMAL_WIDTH", "decode", "dominant_colours", "write_variants"]

STANDARD_SIZE = (500, 500)
FAVICON_SIZE = (32, 32)
THERMAL_WIDTH = 265


def decode(data: bytes) -> Image.Image | None:
    """The image, or None when Pillow cannot read it (SVG, HTML error pages, truncated files)."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return image.convert("RGBA")


def has_transparency(image: Image.Image) -> bool:
    low, _high = image.getchannel("A").getextrema()
    return isinstance(low, int | float) and low < 255


def standard(image: Image.Image) -> Image.Image:
    copy = image.copy()
    copy.thumbnail(STANDARD_SIZE, Image.Resampling.LANCZOS)
    return copy


def no_background(image: Image.Image) -> Image.Image:
    if not has_transparency(image):
        return image.copy()
    box = image.getchannel("A").getbbox()
    return image.crop(box) if box else image.copy()


def favicon(image: Image.Image) -> Image.Image:
    return image.resize(FAVICON_SIZE, Image.Resampling.LANCZOS)


def thermal(image: Image.Image) -> Image.Image:
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, image).convert("L")
    height = max(1, round(flat.height * THERMAL_WIDTH / flat.width))
    return flat.resize((THERMAL_WIDTH, height), Image.Resampling.LANCZOS)


def write_variants(logo: Image.Image, folder: Path, icon: Image.Image | None = None) -> dict[str, str]:
    """Write every variant under ``folder``; their paths by variant name."""
    folder.mkdir(parents=True, exist_ok=True)
    variants = {"logo": logo, "logo_standard": standard(logo), "logo_nobg": no_background(logo),
                "favicon": favicon(icon or logo), "logo_thermal": thermal(logo)}
    paths = {}
    for name, image in variants.items():
        path = folder / f"{name}.png"
        image.save(path, format="PNG", compress_level=1)  # speed over bytes: these are working files
        paths[name] = str(path)
    return paths


def _luma(rgb: tuple[int, int, int]) -> float:
    r, g, b = rgb
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def dominant_colours(image: Image.Image, count: int = 2) -> list[str]:
    """The most common opaque, not-near-white/black colours, ``#RRGGBB``, most common first."""
    small = image.copy()
    small.thumbnail((96, 96))
    pixels_of = getattr(small, "get_flattened_data", None) or small.getdata  # Pillow ≥ 12 renamed it
    data: list[tuple[int, int, int, int]] = list(pixels_of())
    pixels = [p[:3] for p in data if p[3] > 200 and 0.08 < _luma(p[:3]) < 0.95]
    if not pixels:
        return []
    palette = Image.new("RGB", (len(pixels), 1))
    palette.putdata(pixels)
    quantised = palette.quantize(colors=8)
    colours: list[tuple[int, int]] = sorted(quantised.getcolors() or [], reverse=True)  # type: ignore[arg-type]
    lut: list[int] = list(quantised.getpalette() or [])
    return [f"#{lut[i * 3]:02X}{lut[i * 3 + 1]:02X}{lut[i * 3 + 2]:02X}" for _, i in colours[:count]]
