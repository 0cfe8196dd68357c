"""Read-mostly views of a stored menu that the registration steps need.

The images still to upload (with the CDN upload token of one already started), the menu as CSV
categories, its option sets with the items they attach to, and its item tags. The menu rows are
written by the enrichment steps and the CDN ids by upload_images, both through the domain store
(regctl.db.domain); this module only reads them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from regctl.db.connect import normalise_url
from regctl.db.schema import (
    item_images,
    menu_categories,
    menu_item_option_sets,
    menu_items,
    option_set_options,
    option_sets,
)
from regctl.menu_csv import CsvCategory, CsvItem

__all__ = [
    "ImageToUpload",
    "OptionSetSpec",
    "csv_categories",
    "images_to_upload",
    "item_tags",
    "menu_option_sets",
]

_engines: dict[str, sa.Engine] = {}


def _open(url: str) -> sa.Engine:
    """An engine for the step's database (psycopg 3 on PostgreSQL; SQLite waits for its lock).

    The URL is the store's as the operator gave it: ``--db demo.db`` (a bare path) means SQLite.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    return sa.create_engine(url, pool_size=2, max_overflow=4)
_lock = threading.Lock()


def _engine(url: str) -> sa.Engine:
    with _lock:
        if url not in _engines:
            _engines[url] = _open(url)
        return _engines[url]


@dataclass(frozen=True)
class ImageToUpload:
    image_id: int
    source_url: str
    category: str
    item: str
    cdn_token: str | None = None  # an upload already started for it (resume it, never start another)


@dataclass(frozen=True)
class OptionSetSpec:
    name: str
    display_name: str
    required: bool
    multiple: bool
    min_select: int
    max_select: int
    options: tuple[tuple[str, Decimal], ...]  # (name, price) in display order
    items: tuple[str, ...]  # names of the items it attaches to


def _items_with_category(menu_id: int) -> sa.Select[tuple[int, str, str]]:
    return (sa.select(menu_items.c.id, menu_items.c.name, menu_categories.c.name)
            .join(menu_categories, menu_categories.c.id == menu_items.c.category_id)
            .where(menu_items.c.menu_id == menu_id))


def images_to_upload(database_url: str, menu_id: int) -> tuple[list[ImageToUpload], int]:
    """Images of the menu without a CDN id (first image of each item first), and how many have one."""
    items = _items_with_category(menu_id).subquery()
    query = (sa.select(item_images.c.id, item_images.c.source_url, item_images.c.cdn_id,
                       items.c[2], items.c.name, item_images.c.cdn_token)
             .join(items, items.c.id == item_images.c.item_id).order_by(item_images.c.id))
    with _engine(database_url).connect() as conn:
        rows = conn.execute(query).all()
    pending = [ImageToUpload(r[0], r[1], r[3], r[4], r[5]) for r in rows if not r[2] and r[1]]
    return pending, sum(1 for r in rows if r[2])


def _primary_images(conn: sa.Connection, menu_id: int) -> dict[int, tuple[str | None, str | None]]:
    """item id → (cdn id, cdn filename) of its first image."""
    query = (sa.select(item_images.c.item_id, item_images.c.cdn_id, item_images.c.cdn_filename)
             .join(menu_items, menu_items.c.id == item_images.c.item_id)
             .where(menu_items.c.menu_id == menu_id).order_by(item_images.c.id))
    first: dict[int, tuple[str | None, str | None]] = {}
    for item_id, cdn_id, filename in conn.execute(query):
        first.setdefault(item_id, (cdn_id, filename))
    return first


def csv_categories(database_url: str, menu_id: int) -> list[CsvCategory]:
    """The menu in category order, items in position order, with their primary image's CDN data."""
    with _engine(database_url).connect() as conn:
        images = _primary_images(conn, menu_id)
        cats = conn.execute(sa.select(menu_categories.c.id, menu_categories.c.name)
                            .where(menu_categories.c.menu_id == menu_id)
                            .order_by(menu_categories.c.position, menu_categories.c.id)).all()
        rows = conn.execute(sa.select(menu_items).where(menu_items.c.menu_id == menu_id)
                            .order_by(menu_items.c.position, menu_items.c.id)).mappings().all()
    by_cat: dict[int, list[CsvItem]] = {cid: [] for cid, _ in cats}
    for r in rows:
        cdn_id, filename = images.get(r["id"], (None, None))
        by_cat.setdefault(r["category_id"], []).append(
            CsvItem(r["name"], r["price"], r["description"], r["item_type"], tuple(r["tags"] or ()),
                    cdn_id, filename))
    return [CsvCategory(name, by_cat.get(cid, [])) for cid, name in cats]


def menu_option_sets(database_url: str, menu_id: int) -> list[OptionSetSpec]:
    """Every option set of the menu with its options and attached item names, de-duplicated by name."""
    with _engine(database_url).connect() as conn:
        sets = conn.execute(sa.select(option_sets).where(option_sets.c.menu_id == menu_id)
                            .order_by(option_sets.c.id)).mappings().all()
        options = conn.execute(sa.select(option_set_options).order_by(
            option_set_options.c.option_set_id, option_set_options.c.position)).mappings().all()
        links = conn.execute(sa.select(menu_item_option_sets.c.option_set_id, menu_items.c.name)
                             .join(menu_items, menu_items.c.id == menu_item_option_sets.c.item_id)
                             .where(menu_items.c.menu_id == menu_id)).all()
    specs: dict[str, OptionSetSpec] = {}
    for s in sets:
        opts = tuple((o["name"], Decimal(o["price"])) for o in options if o["option_set_id"] == s["id"])
        items = tuple(sorted({name for sid, name in links if sid == s["id"]}))
        prior = specs.get(s["name"])
        if prior is not None:
            items = tuple(sorted(set(prior.items) | set(items)))
        specs[s["name"]] = OptionSetSpec(s["name"], s["display_name"] or s["name"], bool(s["required"]),
                                         bool(s["multiple"]), int(s["min_select"]), int(s["max_select"]),
                                         opts, items)
    return list(specs.values())


def item_tags(database_url: str, menu_id: int) -> dict[str, list[str]]:
    """Tag text as stored → names of the items carrying it (first-seen order)."""
    with _engine(database_url).connect() as conn:
        rows = conn.execute(sa.select(menu_items.c.name, menu_items.c.tags)
                            .where(menu_items.c.menu_id == menu_id)
                            .order_by(menu_items.c.position, menu_items.c.id)).all()
    tags: dict[str, list[str]] = {}
    for name, item_tag_list in rows:
        for tag in item_tag_list or ():
            if name not in tags.setdefault(str(tag), []):
                tags[str(tag)].append(name)
    return tags
