"""The registration steps' views of a stored menu, on a real SQLite file."""

from __future__ import annotations

import csv
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from regctl.db import schema
from regctl.db.artifacts import record_artifact
from regctl.db.domain import records_for
from regctl.menu_csv import build_menu_csv
from regctl.steps.onboarding import menu_records


@pytest.fixture()
def menu_db(tmp_path: Path) -> tuple[str, int]:
    url = f"sqlite:///{tmp_path / 'menu.db'}"
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    now = time.time()
    with engine.begin() as conn:
        rid = conn.execute(schema.restaurants.insert().values(
            organisation_id="o", key="k", name="Kai Place", extra={}, created_at=now, updated_at=now)
        ).inserted_primary_key[0]
        mid = conn.execute(schema.menus.insert().values(restaurant_id=rid, source="file", created_at=now)
                           ).inserted_primary_key[0]
        mains = conn.execute(schema.menu_categories.insert().values(menu_id=mid, name="Mains", position=0)
                             ).inserted_primary_key[0]
        sides = conn.execute(schema.menu_categories.insert().values(menu_id=mid, name="Sides", position=1)
                             ).inserted_primary_key[0]
        items = {}
        for pos, (cat, name, price, tags) in enumerate([(mains, "Burger", "12.50", ["Popular"]),
                                                        (mains, "Tofu Bowl (V)", "14", ["Vegan", "Spicy"]),
                                                        (sides, "Fries", "5", [])]):
            items[name] = conn.execute(schema.menu_items.insert().values(
                menu_id=mid, category_id=cat, name=name, price=Decimal(price), tags=tags, position=pos)
            ).inserted_primary_key[0]
        conn.execute(schema.item_images.insert().values(item_id=items["Burger"],
                                                        source_url="http://x/img/burger.jpg"))
        conn.execute(schema.item_images.insert().values(item_id=items["Fries"], source_url="http://x/img/fries.png",
                                                        cdn_id="u-1", cdn_filename="sides-fries.png"))
        sid = conn.execute(schema.option_sets.insert().values(
            menu_id=mid, name="Add-ons", required=False, multiple=True, min_select=0, max_select=3)
        ).inserted_primary_key[0]
        conn.execute(schema.option_set_options.insert(), [
            {"option_set_id": sid, "name": "Cheese", "price": Decimal("1.5"), "position": 0},
            {"option_set_id": sid, "name": "Bacon", "price": Decimal("2"), "position": 1}])
        conn.execute(schema.menu_item_option_sets.insert(), [
            {"item_id": items["Burger"], "option_set_id": sid},
            {"item_id": items["Fries"], "option_set_id": sid}])
    engine.dispose()
    return url, int(mid)


def test_images_without_cdn_id_are_pending(menu_db: tuple[str, int]) -> None:
    url, mid = menu_db
    pending, already = menu_records.images_to_upload(url, mid)
    assert [(p.item, p.category, p.source_url) for p in pending] == [
        ("Burger", "Mains", "http://x/img/burger.jpg")]
    assert already == 1
    assert pending[0].cdn_token is None
    store = records_for(url)
    store.record_cdn_token(pending[0].image_id, "t-1")
    assert menu_records.images_to_upload(url, mid)[0][0].cdn_token == "t-1"
    store.record_cdn_image(pending[0].image_id, uuid="u-2", url="http://cdn/u-2/", filename="f.jpg")
    assert menu_records.images_to_upload(url, mid) == ([], 2)


def test_csv_from_the_stored_menu(menu_db: tuple[str, int]) -> None:
    url, mid = menu_db
    text = build_menu_csv(menu_records.csv_categories(url, mid))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["categoryName"], r["dishName"], r["dishPrice"], r["isCDNImage"]) for r in rows] == [
        ("Mains", "Burger", "12.50", "FALSE"), ("Mains", "Tofu Bowl (V)", "14.00", "FALSE"),
        ("Sides", "Fries", "5.00", "TRUE")]
    assert rows[2]["imageCDNID"] == "u-1"
    assert rows[1]["tags"] == "Vegan, Spicy"


def test_option_sets_with_options_and_items(menu_db: tuple[str, int]) -> None:
    url, mid = menu_db
    (spec,) = menu_records.menu_option_sets(url, mid)
    assert spec.name == "Add-ons" and spec.multiple and spec.max_select == 3
    assert spec.options == (("Cheese", Decimal("1.5")), ("Bacon", Decimal("2")))
    assert spec.items == ("Burger", "Fries")


def test_item_tags_map_to_items(menu_db: tuple[str, int]) -> None:
    url, mid = menu_db
    assert menu_records.item_tags(url, mid) == {"Popular": ["Burger"], "Vegan": ["Tofu Bowl (V)"],
                                                "Spicy": ["Tofu Bowl (V)"]}


def test_a_bare_database_path_is_sqlite(menu_db: tuple[str, int]) -> None:
    """`regctl run … --db demo.db` hands the steps the path as given: upload_images failed with
    `ArgumentError: Could not parse SQLAlchemy URL` on every restaurant with a menu."""
    url, menu_id = menu_db
    path = url.removeprefix("sqlite:///")
    pending, already = menu_records.images_to_upload(path, menu_id)
    assert [p.source_url for p in pending] == ["http://x/img/burger.jpg"] and already == 1
    record_artifact(path, job_id=999, step_key="none", attempt=1, kind="csv", path=Path(path))  # no such job
