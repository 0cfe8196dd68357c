"""The domain store: restaurants, menus (categories → items → images; option sets), company search.

The only SQL of the enrichment steps. Each write is one transaction; a menu is replaced whole (a
re-run of extract_menu never duplicates). Steps reach it through :func:`records_for` with the
``ctx.database_url`` they are given. (The task named this module db/records.py; that name holds the
engine's plain records, so the domain store lives here.)
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from regctl.db.connect import open_engine
from regctl.db.schema import (
    batches,
    company_search_candidates,
    decisions,
    item_images,
    jobs,
    menu_categories,
    menu_item_option_sets,
    menu_items,
    menus,
    option_set_options,
    option_sets,
    restaurants,
    steps,
)
from regctl.errors import NotFound

__all__ = ["CategoryData", "DomainStore", "ItemData", "MenuData", "OptionSetData", "SearchStatus",
           "records_for"]


class SearchStatus(enum.StrEnum):
    """company_search_candidates.status."""

    AWAITING_SELECTION = "awaiting_selection"  # candidates found; select_company decides
    NO_MATCH = "no_match"  # nothing found, or a person chose "none of these"
    SELECTED = "selected"  # a candidate was chosen (selected_company_number)
    MANUAL = "manual"  # a person typed the contact details instead


@dataclass
class OptionSetData:
    name: str
    required: bool = False
    min_select: int = 0
    max_select: int = 1
    options: list[tuple[str, Decimal]] = field(default_factory=list)  # (name, price)
    display_name: str | None = None

    @property
    def multiple(self) -> bool:
        return self.max_select > 1


@dataclass
class ItemData:
    name: str
    price: Decimal
    description: str | None = None
    tags: tuple[str, ...] = ()
    image_urls: list[str] = field(default_factory=list)
    option_sets: list[str] = field(default_factory=list)  # names of OptionSetData in the menu
    # image URL → (CDN id, CDN filename) for images already on the CDN (a prior system's CDN CSV)
    cdn_images: dict[str, tuple[str, str]] = field(default_factory=dict)
    item_type: str = "standard"


@dataclass
class CategoryData:
    name: str
    items: list[ItemData] = field(default_factory=list)


@dataclass
class MenuData:
    categories: list[CategoryData] = field(default_factory=list)
    option_sets: list[OptionSetData] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        items = [i for c in self.categories for i in c.items]
        return {"categories": len(self.categories), "items": len(items),
                "option_sets": len(self.option_sets),
                "options": sum(len(s.options) for s in self.option_sets),
                "images": sum(len(i.image_urls) for i in items),
                "tagged_items": sum(1 for i in items if i.tags),
                "tags": len({t for i in items for t in i.tags})}  # distinct tags (add_item_tags' when:)


def _image_row(item_id: int, url: str, on_cdn: tuple[str, str] | None) -> dict[str, Any]:
    """An item_images row; an image already on the CDN keeps its id (upload_images skips it)."""
    row: dict[str, Any] = {"item_id": item_id, "source_url": url}
    if on_cdn:
        row.update(cdn_id=on_cdn[0], cdn_url=url, cdn_filename=on_cdn[1] or None)
    return row


_engines: dict[tuple[str, str | None], Engine] = {}
_engines_lock = threading.Lock()


def _engine(url: str, organisation: str | None) -> Engine:
    with _engines_lock:
        key = (url, organisation)
        if key not in _engines:
            _engines[key] = open_engine(url, organisation=organisation)
        return _engines[key]


def records_for(database_url: str, organisation: str | None = None) -> DomainStore:
    """A :class:`DomainStore` on that database (engines are shared per URL within the process).

    ``organisation`` is set on each connection for PostgreSQL's row-level security (a role that
    does not own the tables sees only its organisation's restaurants).
    """
    return DomainStore(_engine(database_url, organisation))


def _now() -> float:
    return time.time()


class DomainStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -------------------------------------------------------------- restaurants -----------------

    def restaurant(self, restaurant_id: int) -> dict[str, Any]:
        """The restaurant row as a dict, with ``menus`` (id, source, counts) added."""
        with self.engine.connect() as conn:
            query = select(restaurants).where(restaurants.c.id == restaurant_id)
            row = conn.execute(query).mappings().first()
            if row is None:
                raise NotFound(f"restaurant {restaurant_id} does not exist")
            out = dict(row)
            out["menus"] = self._menus_txn(conn, restaurant_id)
        return out

    def _menus_txn(self, conn: Connection, restaurant_id: int) -> list[dict[str, Any]]:
        rows = conn.execute(select(menus.c.id, menus.c.source, menus.c.source_ref)
                            .where(menus.c.restaurant_id == restaurant_id).order_by(menus.c.id)).mappings()
        return [dict(r) | {"items": self._count_txn(conn, menu_items, r["id"]),
                           "option_sets": self._count_txn(conn, option_sets, r["id"])} for r in rows]

    @staticmethod
    def _count_txn(conn: Connection, table: Any, menu_id: int) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(table.c.menu_id == menu_id))
                   .scalar_one())

    def _set_json(self, restaurant_id: int, column: str, value: Mapping[str, Any]) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(update(restaurants).where(restaurants.c.id == restaurant_id)
                                .values({column: dict(value), "updated_at": _now()}))
            if done.rowcount == 0:
                raise NotFound(f"restaurant {restaurant_id} does not exist")

    def set_branding(self, restaurant_id: int, branding: Mapping[str, Any]) -> None:
        self._set_json(restaurant_id, "branding", branding)

    def set_company(self, restaurant_id: int, company: Mapping[str, Any]) -> None:
        self._set_json(restaurant_id, "company", company)

    # -------------------------------------------------------------- menus -----------------------

    def replace_menu(self, restaurant_id: int, source: str, source_ref: str | None, menu: MenuData) -> int:
        """Store ``menu`` as the restaurant's menu from that source, replacing an earlier one; its id."""
        with self.engine.begin() as conn:
            old = conn.execute(select(menus.c.id).where(menus.c.restaurant_id == restaurant_id,
                                                        menus.c.source == source)).scalars().all()
            for menu_id in old:
                self._delete_menu_txn(conn, menu_id)
            menu_id = conn.execute(insert(menus).values(restaurant_id=restaurant_id, source=source,
                                                        source_ref=source_ref, created_at=_now())
                                   .returning(menus.c.id)).scalar_one()
            set_ids = self._insert_option_sets_txn(conn, menu_id, menu.option_sets)
            for position, category in enumerate(menu.categories):
                self._insert_category_txn(conn, menu_id, position, category, set_ids)
        return int(menu_id)

    def _delete_menu_txn(self, conn: Connection, menu_id: int) -> None:
        item_ids = select(menu_items.c.id).where(menu_items.c.menu_id == menu_id)
        set_ids = select(option_sets.c.id).where(option_sets.c.menu_id == menu_id)
        conn.execute(delete(menu_item_option_sets).where(menu_item_option_sets.c.item_id.in_(item_ids)))
        conn.execute(delete(item_images).where(item_images.c.item_id.in_(item_ids)))
        conn.execute(delete(option_set_options).where(option_set_options.c.option_set_id.in_(set_ids)))
        conn.execute(delete(menu_items).where(menu_items.c.menu_id == menu_id))
        conn.execute(delete(menu_categories).where(menu_categories.c.menu_id == menu_id))
        conn.execute(delete(option_sets).where(option_sets.c.menu_id == menu_id))
        conn.execute(delete(menus).where(menus.c.id == menu_id))

    def _insert_option_sets_txn(self, conn: Connection, menu_id: int,
                                sets: Sequence[OptionSetData]) -> dict[str, int]:
        ids = {}
        for s in sets:
            set_id = conn.execute(insert(option_sets).values(
                menu_id=menu_id, name=s.name, display_name=s.display_name, required=s.required,
                multiple=s.multiple, min_select=s.min_select, max_select=s.max_select,
            ).returning(option_sets.c.id)).scalar_one()
            ids[s.name] = int(set_id)
            if s.options:
                conn.execute(insert(option_set_options), [
                    {"option_set_id": set_id, "name": n, "price": p, "position": i}
                    for i, (n, p) in enumerate(s.options)])
        return ids

    def _insert_category_txn(self, conn: Connection, menu_id: int, position: int, category: CategoryData,
                             set_ids: Mapping[str, int]) -> None:
        category_id = conn.execute(insert(menu_categories).values(menu_id=menu_id, name=category.name,
                                                                  position=position)
                                   .returning(menu_categories.c.id)).scalar_one()
        for i, item in enumerate(category.items):
            item_id = conn.execute(insert(menu_items).values(
                menu_id=menu_id, category_id=category_id, name=item.name, price=item.price,
                description=item.description, item_type=item.item_type, tags=list(item.tags), position=i,
            ).returning(menu_items.c.id)).scalar_one()
            if item.image_urls:
                conn.execute(insert(item_images), [_image_row(item_id, u, item.cdn_images.get(u))
                                                   for u in item.image_urls])
            links = sorted({set_ids[n] for n in item.option_sets if n in set_ids})
            if links:
                conn.execute(insert(menu_item_option_sets), [{"item_id": item_id, "option_set_id": s}
                                                             for s in links])

    def menu_items(self, menu_id: int) -> list[dict[str, Any]]:
        """Items with category name, tags and image URLs (for show/export and the tests)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(menu_items, menu_categories.c.name.label("category"))
                                .join(menu_categories, menu_categories.c.id == menu_items.c.category_id)
                                .where(menu_items.c.menu_id == menu_id)
                                .order_by(menu_categories.c.position, menu_items.c.position)).mappings().all()
            images = conn.execute(select(item_images.c.item_id, item_images.c.source_url)
                                  .where(item_images.c.item_id.in_([r["id"] for r in rows]))).all()
        by_item: dict[int, list[str]] = {}
        for item_id, url in images:
            by_item.setdefault(item_id, []).append(url)
        return [dict(r) | {"images": by_item.get(r["id"], [])} for r in rows]

    def record_cdn_token(self, image_id: int, token: str) -> None:
        """Remember the CDN upload started for this image, before polling it (a retry resumes it)."""
        with self.engine.begin() as conn:
            conn.execute(update(item_images).where(item_images.c.id == image_id).values(cdn_token=token))

    def record_cdn_image(self, image_id: int, *, uuid: str, url: str, filename: str) -> None:
        """The image is on the CDN: its file id, URL and filename (the upload token is done with)."""
        with self.engine.begin() as conn:
            conn.execute(update(item_images).where(item_images.c.id == image_id)
                         .values(cdn_id=uuid, cdn_url=url, cdn_filename=filename, cdn_token=None))

    # -------------------------------------------------------------- company search --------------

    def save_search(self, job_id: int, restaurant_id: int, *, queries: Mapping[str, Any],
                    name_results: list[dict[str, Any]], address_results: list[dict[str, Any]],
                    candidates: list[dict[str, Any]], status: SearchStatus) -> None:
        """Insert or replace the job's search (a re-search overwrites and clears the selection)."""
        values = {"queries": dict(queries), "name_results": name_results, "address_results": address_results,
                  "candidates": candidates, "status": status.value, "searched_at": _now(),
                  "selected_company_number": None, "selected_at": None}
        with self.engine.begin() as conn:
            done = conn.execute(update(company_search_candidates)
                                .where(company_search_candidates.c.job_id == job_id).values(values))
            if done.rowcount == 0:
                conn.execute(insert(company_search_candidates)
                             .values(job_id=job_id, restaurant_id=restaurant_id, **values))

    def search(self, job_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(company_search_candidates)
                               .where(company_search_candidates.c.job_id == job_id)).mappings().first()
        return dict(row) if row else None

    def record_selection(self, job_id: int, status: SearchStatus, company_number: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(company_search_candidates).where(company_search_candidates.c.job_id == job_id)
                         .values(status=status.value, selected_company_number=company_number,
                                 selected_at=_now()))

    # -------------------------------------------------------------- job config ------------------

    def set_job_config(self, job_id: int, config: Mapping[str, Any]) -> None:
        """Store the (already encrypted) registration config on the job."""
        with self.engine.begin() as conn:
            done = conn.execute(update(jobs).where(jobs.c.id == job_id).values(config=dict(config),
                                                                               updated_at=_now()))
            if done.rowcount == 0:
                raise NotFound(f"job {job_id} does not exist")

    def batch_defaults(self, batch_id: int) -> dict[str, Any]:
        """The manifest's ``defaults:`` of the batch ({} when none)."""
        with self.engine.connect() as conn:
            query = select(batches.c.manifest).where(batches.c.id == batch_id)
            manifest = conn.execute(query).scalar_one_or_none()
        defaults = manifest.get("defaults") if isinstance(manifest, Mapping) else None
        return dict(defaults or {})

    def batch_manifest_path(self, batch_id: int) -> str | None:
        """Where the batch's manifest was read from (relative menu files are found next to it)."""
        with self.engine.connect() as conn:
            query = select(batches.c.manifest_path).where(batches.c.id == batch_id)
            value = conn.execute(query).scalar_one_or_none()
        return str(value) if value else None

    def job_config(self, job_id: int) -> dict[str, Any]:
        with self.engine.connect() as conn:
            value = conn.execute(select(jobs.c.config).where(jobs.c.id == job_id)).scalar_one_or_none()
        return dict(value or {})

    # -------------------------------------------------------------- export ----------------------

    def batch_export(self, batch_id: int) -> list[dict[str, Any]]:
        """One flat row per job of the batch: restaurant, enrichment, decisions, outcome (no secrets)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(jobs.c.id, jobs.c.status, jobs.c.error, jobs.c.config,
                                       restaurants.c.id.label("restaurant_id"))
                                .join(restaurants, restaurants.c.id == jobs.c.restaurant_id)
                                .where(jobs.c.batch_id == batch_id)
                                .order_by(jobs.c.position)).mappings().all()
            step_rows = conn.execute(select(steps.c.job_id, steps.c.key, steps.c.status, steps.c.result)
                                     .where(steps.c.batch_id == batch_id)).mappings().all()
            decision_rows = conn.execute(select(decisions.c.job_id, decisions.c.step_id, decisions.c.actor,
                                                decisions.c.via, steps.c.key)
                                         .join(steps, steps.c.id == decisions.c.step_id)
                                         .where(decisions.c.batch_id == batch_id)
                                         .order_by(decisions.c.at)).mappings().all()
            searches = {r["job_id"]: dict(r) for r in conn.execute(
                select(company_search_candidates).where(company_search_candidates.c.job_id.in_(
                    [r["id"] for r in rows]))).mappings()}
        by_job: dict[int, dict[str, Any]] = {}
        for step in step_rows:
            by_job.setdefault(step["job_id"], {})[step["key"]] = step
        deciders: dict[int, dict[str, str]] = {}
        for d in decision_rows:
            deciders.setdefault(d["job_id"], {})[d["key"]] = f"{d['actor']} via {d['via']}"
        return [export_row(self.restaurant(r["restaurant_id"]), dict(r), by_job.get(r["id"], {}),
                           deciders.get(r["id"], {}), searches.get(r["id"])) for r in rows]


def _result(job_steps: Mapping[str, Any], key: str) -> dict[str, Any]:
    step = job_steps.get(key)
    return dict(step["result"] or {}) if step is not None and isinstance(step["result"], Mapping) else {}


def export_row(restaurant: Mapping[str, Any], job: Mapping[str, Any], job_steps: Mapping[str, Any],
               deciders: Mapping[str, str], search: Mapping[str, Any] | None) -> dict[str, Any]:
    """The export row of one job (pure). Only non-secret config fields are copied."""
    branding, company = restaurant.get("branding") or {}, restaurant.get("company") or {}
    menus = restaurant.get("menus") or [{}]
    config = job.get("config") or {}
    registered = _result(job_steps, "register_restaurant")
    return {
        "job_id": job["id"], "restaurant": restaurant.get("name"), "address": restaurant.get("address"),
        "city": restaurant.get("city"), "status": job.get("status"), "error": job.get("error") or "",
        "menu_items": menus[0].get("items", 0), "option_sets": menus[0].get("option_sets", 0),
        "primary_color": branding.get("primary_color"), "secondary_color": branding.get("secondary_color"),
        "theme": branding.get("theme"), "logo": branding.get("logo_standard") or branding.get("logo_url"),
        "candidates": len((search or {}).get("candidates") or []),
        "company_choice": (search or {}).get("status", ""),
        "company_name": company.get("company_name"), "company_number": company.get("company_number"),
        "nzbn": company.get("nzbn"), "gst_number": company.get("gst_number"),
        "contact_name": company.get("contact_name"), "contact_email": company.get("contact_email"),
        "contact_phone": company.get("contact_phone"),
        "select_company_by": deciders.get("select_company", ""),
        "configure_registration_by": deciders.get("configure_registration", ""),
        "subdomain": (config.get("restaurant") or {}).get("subdomain"),
        "registration_mode": (config.get("restaurant") or {}).get("registration_mode"),
        "platform_restaurant_id": registered.get("restaurant_id"),
        "failed_steps": " ".join(sorted(k for k, s in job_steps.items() if s["status"] == "failed")),
        "steps": {k: s["status"] for k, s in sorted(job_steps.items())},
    }
