"""Menus from the prior system (issue 12 item 5): its CSVs (with ``imageURL``, with ``imageCDNID``), its
JSON export (``{"menuItems": [...]}``), prices with thousands separators, and the real import's conventions
on the way out (LF, ``Uncategorized``). Files: tests/fixtures/contract/menus/ (see the README there)."""

from __future__ import annotations

import csv
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from regctl.db import schema
from regctl.db.domain import MenuData, records_for
from regctl.menu_csv import build_menu_csv
from regctl.steps.onboarding import menu_records
from regctl.steps.onboarding.menu_sources import menu_from_file, parse_price

MENUS = Path(__file__).parent / "fixtures" / "contract" / "menus"


@pytest.mark.parametrize(("text", "expected"), [
    ("1,250.00", Decimal("1250.00")), ("$1,250", Decimal("1250.00")), ("12,50", Decimal("12.50")),
    ("$12.50", Decimal("12.50")), ("+$2", Decimal("2.00")), ("NZ$ 2,000,000.5", Decimal("2000000.50")),
    ("free", Decimal("0.00")),
])
def test_parse_price(text: str, expected: Decimal) -> None:
    assert parse_price(text) == expected


def test_thousands_separator_is_not_a_decimal_point() -> None:
    assert parse_price("1,250.00") == 1250.0


def _items(menu: MenuData) -> dict[str, tuple[str, Decimal, list[str]]]:
    return {i.name: (c.name, i.price, i.image_urls) for c in menu.categories for i in c.items}


def test_prior_csv_with_image_urls_keeps_every_image() -> None:
    menu = menu_from_file(MENUS / "prior_with_images.csv")
    items = _items(menu)
    assert len(items) == 4 and menu.counts()["images"] == 3
    assert items["Butter Chicken"][2] == [
        "https://tb-static.uber.com/prod/image-proc/processed_images/aaa111/butter-chicken.jpeg"]
    assert items["Family Banquet for 6"][1] == Decimal("1250.00")
    assert items["Garlic Naan"][0] == "Uncategorized"


def test_prior_json_export_gives_its_items() -> None:
    menu = menu_from_file(MENUS / "prior_export.json")
    assert [c.name for c in menu.categories] == ["Mains", "Banquets", "Uncategorized"]
    assert menu.counts()["items"] == 4 and menu.counts()["images"] == 3
    assert _items(menu)["Family Banquet for 6"][1] == Decimal("1250.00")


def _store_menu(tmp_path: Path, menu: MenuData, name: str = "menu.db") -> tuple[str, int]:
    url = f"sqlite:///{tmp_path / name}"
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        now = time.time()
        rid = conn.execute(schema.restaurants.insert().values(
            organisation_id="o", key="k", name="Spice", extra={}, created_at=now, updated_at=now)
        ).inserted_primary_key[0]
    engine.dispose()
    return url, records_for(url, "o").replace_menu(int(rid), "file", "prior_cdn.csv", menu)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_prior_cdn_csv_keeps_its_cdn_ids_through_the_import_csv(tmp_path: Path) -> None:
    source = _rows((MENUS / "prior_cdn.csv").read_text())
    url, menu_id = _store_menu(tmp_path, menu_from_file(MENUS / "prior_cdn.csv"))
    pending, already = menu_records.images_to_upload(url, menu_id)
    assert (pending, already) == ([], 3)  # already on the CDN: nothing to upload again
    out = _rows(build_menu_csv(menu_records.csv_categories(url, menu_id)))
    cdn = ("isCDNImage", "imageCDNID", "imageCDNFilename")
    wanted = sorted(tuple(r[c] for c in cdn) for r in source)
    assert sorted(tuple(r[c] for c in cdn) for r in out) == wanted  # names lose their (GF) markers to tags


def test_round_trip_of_the_import_csv(tmp_path: Path) -> None:
    url, menu_id = _store_menu(tmp_path, menu_from_file(MENUS / "prior_cdn.csv"))
    text = build_menu_csv(menu_records.csv_categories(url, menu_id))
    assert "\r" not in text and text.endswith("\n")
    again = tmp_path / "again.csv"
    again.write_text(text)
    url2, menu_id2 = _store_menu(tmp_path, menu_from_file(again), "again.db")
    assert build_menu_csv(menu_records.csv_categories(url2, menu_id2)) == text
    assert {r["categoryName"] for r in _rows(text)} == {"Mains", "Banquets", "Uncategorized"}
    assert {r["dishPrice"] for r in _rows(text)} >= {"1250.00", "24.50"}
