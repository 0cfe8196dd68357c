"""Create a batch from a manifest — or resume the batch of that name — in one transaction.

Idempotent: restaurants are adopted by (organisation, key), jobs by (batch, restaurant), so the
same manifest twice never duplicates anything. Every step of every job is created up front, pending;
a supervisor admits jobs (max_parallel_restaurants) and their root steps become ready.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, update

from regctl.db.schema import batches, jobs, restaurants, steps
from regctl.db.tenancy import refuse_foreign_organisation_txn
from regctl.engine.states import BatchStatus, JobStatus, StepStatus
from regctl.errors import UsageError
from regctl.pipeline import StepSpec

if TYPE_CHECKING:
    from regctl.manifest import Manifest

__all__ = ["RESTAURANT_COLUMNS", "restaurant_key", "submit_batch_txn"]

RESTAURANT_COLUMNS = (
    "name",
    "address",
    "city",
    "phone",
    "email",
    "website",
    "ubereats_url",
    "menu_file",
    "opening_hours",
    "cuisines",
)


def _norm(text: str | None) -> str:
    return re.sub(r"[^0-9a-z]+", " ", (text or "").lower()).strip()


# Street-type words and their usual abbreviations (NZ Post / Australia Post address standards):
# "12 Great North Road" and "12 great north rd" are one restaurant.
_STREET_WORDS = {
    "road": "rd", "street": "st", "avenue": "ave", "av": "ave", "drive": "dr", "place": "pl",
    "lane": "ln", "terrace": "tce", "crescent": "cres", "court": "ct", "highway": "hwy",
    "boulevard": "blvd", "parade": "pde", "square": "sq", "close": "cl", "way": "wy",
}


def _norm_address(text: str | None) -> str:
    return " ".join(_STREET_WORDS.get(word, word) for word in _norm(text).split())


def restaurant_key(name: str, address: str | None) -> str:
    """Stable identity of a restaurant within an organisation: normalised name + address (case,
    spaces, punctuation and street-type spelling — "Road"/"Rd" — do not matter)."""
    return f"{_norm(name)}|{_norm_address(address)}"


def _restaurant_row(org: str, data: dict[str, Any], now: float) -> dict[str, Any]:
    extra = dict(data.get("extra") or {})
    extra.update({k: v for k, v in data.items() if k not in RESTAURANT_COLUMNS and k != "extra"})
    row = {c: data.get(c) for c in RESTAURANT_COLUMNS}
    return {
        **row,
        "organisation_id": org,
        "key": restaurant_key(data["name"], data.get("address")),
        "extra": extra,
        "updated_at": now,
    }


def _upsert_restaurants(
    conn: Connection, org: str, listed: Sequence[dict[str, Any]], now: float
) -> list[int]:
    """Adopt existing restaurants (refreshing the manifest's fields), create the others; ids in order."""
    rows = [_restaurant_row(org, r, now) for r in listed]
    existing = dict(
        conn.execute(
            select(restaurants.c.key, restaurants.c.id).where(
                restaurants.c.organisation_id == org, restaurants.c.key.in_([r["key"] for r in rows])
            )
        ).all()
    )
    for row in rows:
        if row["key"] in existing:
            conn.execute(
                update(restaurants)
                .where(restaurants.c.id == existing[row["key"]])
                .values(**{k: v for k, v in row.items() if v is not None and k != "key"})
            )
    fresh = [{**r, "created_at": now} for r in rows if r["key"] not in existing]
    fresh = list({r["key"]: r for r in fresh}.values())
    if fresh:
        made = conn.execute(
            restaurants.insert().returning(restaurants.c.key, restaurants.c.id, sort_by_parameter_order=True),
            fresh,
        )
        existing.update(dict(made.all()))
    return [existing[r["key"]] for r in rows]


def _find_or_create_batch(conn: Connection, m: Manifest, actor: str, now: float) -> tuple[int, bool]:
    found = conn.execute(
        select(batches.c.id, batches.c.cancelled_at).where(
            batches.c.organisation_id == m.organisation, batches.c.name == m.batch
        )
    ).first()
    if found is not None:
        return found.id, False
    row = {
        "name": m.batch,
        "organisation_id": m.organisation,
        "target": m.target,
        "status": BatchStatus.PENDING.value,
        "manifest_path": str(m.source) if m.source else None,
        "manifest": m.raw or {"batch": m.batch},
        "pipeline": m.pipeline.to_json(),
        "execution": dataclasses.asdict(m.execution),
        "policies": m.policies,
        "notify": m.notify,
        "created_by": actor,
        "created_at": now,
        "updated_at": now,
    }
    return conn.execute(batches.insert().returning(batches.c.id), row).scalar_one(), True


def _refuse_active_elsewhere(conn: Connection, batch_id: int, restaurant_ids: list[int]) -> None:
    clash = conn.execute(
        select(restaurants.c.name, batches.c.name)
        .select_from(
            jobs.join(restaurants, restaurants.c.id == jobs.c.restaurant_id).join(
                batches, batches.c.id == jobs.c.batch_id
            )
        )
        .where(jobs.c.restaurant_id.in_(restaurant_ids), jobs.c.active.is_(True), jobs.c.batch_id != batch_id)
    ).first()
    if clash is not None:
        raise UsageError(
            f"restaurant {clash[0]!r} already has an active job in batch {clash[1]!r}; "
            "finish or cancel that job first"
        )


def _step_rows(job_id: int, batch_id: int, org: str, specs: Sequence[StepSpec]) -> list[dict[str, Any]]:
    return [
        {
            "job_id": job_id,
            "batch_id": batch_id,
            "organisation_id": org,
            "key": s.key,
            "uses": s.uses,
            "kind": s.kind,
            "status": StepStatus.PENDING.value,
            "position": i,
            "needs": list(s.needs),
            "after": list(s.after),
            "when": s.when,
            "critical": s.critical,
            "params": s.params,
            "resources": s.resources,
            "max_attempts": max(1, s.retries),
            "timeout": s.timeout,
            "limited": bool(s.resources),
            "attempts": 0,
        }
        for i, s in enumerate(specs)
    ]


def _create_jobs(
    conn: Connection, batch_id: int, m: Manifest, restaurant_ids: list[int], now: float
) -> tuple[int, int]:
    have = set(conn.execute(select(jobs.c.restaurant_id).where(jobs.c.batch_id == batch_id)).scalars())
    missing = [(pos, rid) for pos, rid in enumerate(restaurant_ids) if rid not in have]
    missing = list({rid: (pos, rid) for pos, rid in reversed(missing)}.values())[::-1]
    _refuse_active_elsewhere(conn, batch_id, [rid for _, rid in missing])
    if not missing:
        return 0, len(have)
    rows = [
        {
            "batch_id": batch_id,
            "restaurant_id": rid,
            "organisation_id": m.organisation,
            "position": pos,
            "status": JobStatus.PENDING.value,
            "active": True,
            "config": {},
            "created_at": now,
            "updated_at": now,
        }
        for pos, rid in missing
    ]
    ids = conn.execute(jobs.insert().returning(jobs.c.id, sort_by_parameter_order=True), rows).scalars().all()
    # a resumed batch keeps the pipeline it was created with: every job of a batch has the same steps
    stored = conn.execute(select(batches.c.pipeline).where(batches.c.id == batch_id)).scalar_one()
    specs = [StepSpec.from_json(s) for s in stored]
    step_rows = [s for jid in ids for s in _step_rows(jid, batch_id, m.organisation, specs)]
    if step_rows:
        conn.execute(steps.insert(), step_rows)
    return len(ids), len(have)


def _cancelled(conn: Connection, batch_id: int) -> bool:
    return conn.execute(select(batches.c.cancelled_at).where(batches.c.id == batch_id)).scalar() is not None


def submit_batch_txn(conn: Connection, m: Manifest, *, actor: str, now: float) -> tuple[int, bool, int, int]:
    """``(batch_id, created, jobs_created, jobs_existing)``; raises UsageError before writing on a clash."""
    refuse_foreign_organisation_txn(conn, m.organisation)
    batch_id, created = _find_or_create_batch(conn, m, actor, now)
    restaurant_ids = _upsert_restaurants(conn, m.organisation, m.restaurants, now)
    made, existing = _create_jobs(conn, batch_id, m, restaurant_ids, now)
    if made and _cancelled(conn, batch_id):  # raising rolls the whole submission back
        raise UsageError(
            f"batch {m.batch!r} was cancelled and takes no new jobs: give the manifest a new `batch:` "
            f"name, or reopen its jobs first with `regctl retry job:ID`"
        )
    total = made + existing
    conn.execute(update(batches).where(batches.c.id == batch_id).values(total_jobs=total, updated_at=now))
    if made and not created:  # new jobs in a finished batch make it runnable again
        conn.execute(
            update(batches)
            .where(batches.c.id == batch_id, batches.c.cancelled_at.is_(None))
            .values(status=BatchStatus.RUNNING.value, finished_at=None)
        )
    return batch_id, created, made, existing
