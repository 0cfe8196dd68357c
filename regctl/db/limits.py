"""Limits shared by every supervisor through the database: named rate limits and resource slots.

Rate limits are sliding windows (``taken`` holds recent take times) updated under a row lock.
Resource slots (execution.limits, e.g. ``browser: 3``) bound the running steps of EVERY batch that
declare that resource (a browser is a machine's, not a batch's); the claiming batch's limit applies.
The check and the claim happen under an advisory lock (PostgreSQL; SQLite serialises writers).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Connection, select, text, update

from regctl.db.claim import ADMITTED, claim_ids_txn
from regctl.db.connect import insert_ignoring_conflicts
from regctl.db.records import ClaimedStep
from regctl.db.schema import batches, rate_limits, steps
from regctl.engine.states import StepStatus

__all__ = ["claim_limited_txn", "take_rate_limit_txn"]

SLOTS_LOCK = 0x7265_6763  # the advisory lock key ("regc") serialising resource-slot claims on PostgreSQL


def _mine(organisation: str, name: str) -> Any:
    return (rate_limits.c.organisation_id == organisation) & (rate_limits.c.name == name)


def _lock_limit(conn: Connection, organisation: str, name: str) -> Any:
    stmt = select(rate_limits).where(_mine(organisation, name))
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return conn.execute(stmt).first()


def _ensure_limit(conn: Connection, organisation: str, name: str, default: tuple[int, float]) -> Any:
    row = _lock_limit(conn, organisation, name)
    if row is None:
        values = {"organisation_id": organisation, "name": name, "capacity": default[0], "window": default[1],
                  "taken": []}
        conn.execute(insert_ignoring_conflicts(conn, rate_limits, values))
        row = _lock_limit(conn, organisation, name)
    return row


def take_rate_limit_txn(
    conn: Connection,
    organisation: str,
    name: str,
    *,
    now: float,
    default: tuple[int, float],
    override: tuple[int, float] | None = None,
) -> float:
    """Take one token of the organisation's limit ``name``; 0.0 on success, else the seconds until one
    is free (nothing taken). Limits are per organisation: one tenant never spends another's.

    The recent takes are shared by every batch of the organisation; ``override`` (a manifest's
    ``execution.rate_limits``) bounds this batch's takes only, and never changes the stored setting
    other batches use.
    """
    row = _ensure_limit(conn, organisation, name, default)
    capacity, window = override or (row.capacity, row.window)
    keep = max(capacity, row.capacity)
    recent = sorted(t for t in (row.taken or []) if t > now - max(window, row.window))
    inside = [t for t in recent if t > now - window]
    if len(inside) >= capacity:
        return float(max(0.001, inside[-capacity] + window - now))
    recent.append(now)
    conn.execute(update(rate_limits).where(_mine(organisation, name)).values(taken=recent[-keep:]))
    return 0.0


def _in_use(conn: Connection) -> Counter[str]:
    """Resources held by running steps of EVERY batch: a slot (``browser: 1``) bounds the installation."""
    used: Counter[str] = Counter()
    for (res,) in conn.execute(
        select(steps.c.resources).where(steps.c.status == StepStatus.RUNNING.value, steps.c.limited)
    ):
        used.update(res or {})
    return used


def _fits(need: dict[str, int], used: Counter[str], limits: dict[str, int]) -> bool:
    return all(used[r] + n <= limits[r] for r, n in need.items() if r in limits)


def _pick_for_batch(
    conn: Connection, batch_id: int, candidates: list[Any], room: int, used: Counter[str]
) -> list[int]:
    """Pick what fits this batch's limits, counting (in ``used``) what every batch holds."""
    execution = conn.execute(select(batches.c.execution).where(batches.c.id == batch_id)).scalar_one()
    limits = dict((execution or {}).get("limits") or {})
    picked: list[int] = []
    for c in candidates:
        need = dict(c.resources or {})
        if len(picked) < room and _fits(need, used, limits):
            used.update(need)
            picked.append(c.id)
    return picked


def claim_limited_txn(
    conn: Connection,
    *,
    supervisor_id: str,
    limit: int,
    now: float,
    lease_until: float,
    batch_id: int | None = None,
) -> list[ClaimedStep]:
    """Lease due ready steps that declare resources, as far as each batch's slots allow."""
    if limit <= 0:
        return []
    due = select(steps.c.id, steps.c.batch_id, steps.c.resources).where(
        steps.c.status == StepStatus.READY.value, steps.c.next_attempt_at <= now, steps.c.limited, ADMITTED
    )
    if batch_id is not None:
        due = due.where(steps.c.batch_id == batch_id)
    due = due.order_by(steps.c.id).limit(limit * 4)
    if conn.execute(due).first() is None:
        return []
    if conn.dialect.name == "postgresql":  # slots are global: one claimer counts them at a time
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SLOTS_LOCK})
    by_batch: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(due).all():  # again, under the lock
        by_batch[row.batch_id].append(row)
    picked: list[int] = []
    used = _in_use(conn)
    for bid in sorted(by_batch):
        picked += _pick_for_batch(conn, bid, by_batch[bid], limit - len(picked), used)
    return claim_ids_txn(conn, picked, supervisor_id=supervisor_id, now=now, lease_until=lease_until)
