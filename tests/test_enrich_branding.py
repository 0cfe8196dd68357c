"""Branding: page parsing (pure), logo variants (Pillow), and the extraction-API source on the sandbox."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from enrich_support import EnrichCtx, make_batch_database
from PIL import Image

from regctl.providers.website import parse_page
from regctl.sandbox.fixtures import FIXTURE_DIR
from regctl.steps.onboarding.extract_branding import extract_branding, from_page
from regctl.steps.onboarding.logo_variants import write_variants
from regctl.targets import SANDBOX_URL_ENV

PAGE = """<!doctype html><html><head><title>Bao Down</title>
<meta name="theme-color" content="#c0392b"><meta property="og:image" content="/og.jpg">
<link rel="icon" href="favicon.ico"><style>body { background: #101010; color: #eee; }
.cta { background: #2980B9; } h1 { color: #c0392b; }</style></head>
<body><img class="site-logo" src="img/logo.png" alt="Bao Down"></body></html>"""


def test_parse_page_finds_every_asset_and_colour() -> None:
    page = parse_page(PAGE, "https://baodown.example.nz/menu/")
    assert page.logo_url == "https://baodown.example.nz/menu/img/logo.png"
    assert page.favicon_url == "https://baodown.example.nz/menu/favicon.ico"
    assert page.og_image_url == "https://baodown.example.nz/og.jpg"
    found = from_page(page)
    assert (found.primary, found.secondary, found.theme) == ("#C0392B", "#2980B9", "dark")


def test_a_page_without_colours_leaves_them_unknown() -> None:
    found = from_page(parse_page("<html><body><p>hi</p></body></html>", "http://127.0.0.1/"))
    assert (found.primary, found.secondary, found.theme, found.logo_url) == (None, None, None, None)


def _size_mode(path: str) -> tuple[tuple[int, int], str]:
    with Image.open(path) as image:
        return image.size, image.mode


def test_logo_variants(tmp_path: Path) -> None:
    logo = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    logo.paste((200, 30, 30, 255), (100, 100, 700, 300))  # opaque box inside a transparent margin
    paths = write_variants(logo, tmp_path)
    sizes = {name: _size_mode(path)[0] for name, path in paths.items()}
    assert sizes["logo_standard"] == (500, 250)
    assert sizes["logo_nobg"] == (600, 200)  # trimmed to the opaque pixels
    assert sizes["favicon"] == (32, 32)
    assert sizes["logo_thermal"] == (265, 132) and _size_mode(paths["logo_thermal"])[1] == "L"


def test_opaque_logo_is_not_trimmed(tmp_path: Path) -> None:
    paths = write_variants(Image.new("RGBA", (300, 300), (255, 255, 255, 255)), tmp_path)
    assert _size_mode(paths["logo_nobg"])[0] == (300, 300)


@pytest.mark.parametrize("slug", ["kai-pai-kitchen-ponsonby", "texas-chicken-henderson"])
def test_extraction_source_matches_the_ground_truth(
    slug: str, sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    truth = json.loads((FIXTURE_DIR / "ground_truth.json").read_text(encoding="utf-8"))["restaurants"][slug]
    restaurant = {"name": truth["name"], "website": f"{sandbox.url}/sites/{slug}/"}
    url, [(rid, job_id)] = make_batch_database(tmp_path / "b.db", [restaurant])
    ctx = EnrichCtx(
        database_url=url,
        data_dir=tmp_path,
        restaurant=restaurant | {"id": rid},
        job_id=job_id,
        params={"source": "extraction"},
    )
    result = extract_branding(ctx) or {}
    expected = truth["branding"]
    assert (result["primary_color"], result["secondary_color"], result["theme"]) == (
        expected["primary_colour"],
        expected["secondary_colour"],
        expected["theme"],
    )
    assert len(result["logo_variants"]) == 5  # an SVG logo falls back to its PNG twin
    assert ctx.rate_limits_taken == ["extraction_api"]


def test_sandbox_site_written_for_another_port_is_read_from_this_sandbox(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    restaurant = {
        "name": "Kai Pai Kitchen (Ponsonby)",
        "website": "http://127.0.0.1:8765/sites/kai-pai-kitchen-ponsonby/",
    }
    url, [(rid, job_id)] = make_batch_database(tmp_path / "p.db", [restaurant])
    ctx = EnrichCtx(database_url=url, data_dir=tmp_path, restaurant=restaurant | {"id": rid}, job_id=job_id)
    assert (extract_branding(ctx) or {})["logo_url"].startswith(sandbox.url)
