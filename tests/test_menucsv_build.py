"""The menu import CSV: columns, prices, cleaning, quoting (reference §5)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from regctl import menu_csv
from regctl.menu_csv import COLUMNS, CsvCategory, CsvItem, build_menu_csv, clean_text, format_price


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_is_exactly_the_platform_columns() -> None:
    text = build_menu_csv([])
    assert text.split("\n")[0].split(",") == list(COLUMNS)
    assert len(COLUMNS) == 20


def test_one_row_per_item_with_fixed_fills() -> None:
    burgers = [CsvItem("Classic", Decimal("12.5"), "Beef, cheese", tags=["Popular"]),
               CsvItem("Vegan Stack", "$14", item_type="combo", tags=["Vegan", "Spicy"])]
    menu = [CsvCategory("Burgers", burgers),
            CsvCategory("Sides", [CsvItem("Fries", 5)])]
    rows = _rows(build_menu_csv(menu))
    assert [r["dishName"] for r in rows] == ["Classic", "Vegan Stack", "Fries"]
    assert {r["menuName"] for r in rows} == {"Menu"}
    assert [r["categoryName"] for r in rows] == ["Burgers", "Burgers", "Sides"]
    assert [r["dishPrice"] for r in rows] == ["12.50", "14.00", "5.00"]
    assert [r["dishType"] for r in rows] == ["standard", "combo", "standard"]
    assert rows[1]["tags"] == "Vegan, Spicy"
    for blank in ("menuID", "categoryID", "dishID", "displayName", "printName", "imageExternalURL",
                  "menuDisplayName", "categoryDisplayName"):
        assert {r[blank] for r in rows} == {""}


def test_cdn_image_columns_only_when_on_the_cdn() -> None:
    menu = [CsvCategory("Mains", [CsvItem("A", 1, cdn_id="uuid-1", cdn_filename="mains-a.jpg"),
                                  CsvItem("B", 2, cdn_id=None, cdn_filename="ignored.jpg")])]
    a, b = _rows(build_menu_csv(menu))
    assert (a["isCDNImage"], a["imageCDNID"], a["imageCDNFilename"]) == ("TRUE", "uuid-1", "mains-a.jpg")
    assert (b["isCDNImage"], b["imageCDNID"], b["imageCDNFilename"]) == ("FALSE", "", "")


@pytest.mark.parametrize(("raw", "expected"), [
    ("$12.5", "12.50"), ("NZ$ 1,299.999", "1300.00"), ("free", "0.00"), (None, "0.00"),
    (float("nan"), "0.00"), (7, "7.00"), (Decimal("3.14159"), "3.14"), ("", "0.00"), (True, "0.00"),
])
def test_prices_have_two_decimals(raw: object, expected: str) -> None:
    assert format_price(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Cheese Burger\nwith pickles", "Cheese Burger with pickles"),
    ("Fries Plus small", "Fries"),
    ("Wings Thumb up outline 92% (41)", "Wings"),
    ("Pad Thai No. 1 most liked", "Pad Thai"),
    ("Chips,, salsa", "Chips, salsa"),
    ("Rice • • Beans", "Rice • Beans"),
    ("  Stir-fry  ", "Stir-fry"),
    ("Kūmara Fries (GF)", "Kūmara Fries (GF)"),
    (None, ""),
])
def test_cleaning_removes_platform_noise(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected


def test_quoting_is_rfc4180_and_round_trips() -> None:
    tricky = 'Mum\'s "Famous" Pie, large'
    menu = [CsvCategory("Pies, etc", [CsvItem(tricky, 9, 'He said "wow"')])]
    text = build_menu_csv(menu)
    assert '"Mum\'s ""Famous"" Pie, large"' in text
    assert text.endswith("\n") and "\r" not in text  # LF, as the platform's import files
    (row,) = _rows(text)
    assert row["dishName"] == tricky
    assert row["categoryName"] == "Pies, etc"
    assert row["dishDescription"] == 'He said "wow"'


def test_items_without_a_name_are_left_out_and_counted_consistently() -> None:
    menu = [CsvCategory("X", [CsvItem("  ", 1), CsvItem("Plus small", 2), CsvItem("Real", 3)])]
    assert [r["dishName"] for r in _rows(build_menu_csv(menu))] == ["Real"]
    assert menu_csv.item_count(menu) == 1


def test_duplicate_tags_are_merged_case_insensitively() -> None:
    menu = [CsvCategory("X", [CsvItem("A", 1, tags=["Vegan", "vegan", " Spicy "])])]
    assert _rows(build_menu_csv(menu))[0]["tags"] == "Vegan, Spicy"
