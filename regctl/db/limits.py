"""Limits shared by every supervisor through the database: named rate limits and resource slots.

Rate limits are sliding windows (``taken`` holds recent take times) updated under a row lock.
Resource slots (execution.limits, e.g. ``browser: 3``) bound the running steps of a batch that
declare that resource; the check and the claim happen under the batch row lock.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Connection, select, update

from regctl.db.claim import claim_ids_txn
from regctl.db.connect import insert_ignoring_conflicts
from regctl.db.records import ClaimedStep
from regctl.db.schema import batches, rate_limits, steps
from regctl.engine.states import StepStatus

__all__ = ["claim_limited_txn", "take_rate_limit_txn"]


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
    conn: Connection, organisation: str, name: str, *, now: float, default: tuple[int, float]
) -> float:
    """Take one token of the organisation's limit ``name``; 0.0 on success, else the seconds until one
    is free (nothing taken). Limits are per organisation: one tenant never spends another's."""
    row = _ensure_limit(conn, organisation, name, default)
    recent = sorted(t for t in (row.taken or []) if t > now - row.window)
    if len(recent) >= row.capacity:
        return float(max(0.001, recent[-row.capacity] + row.window - now))
    recent.append(now)
    conn.execute(update(rate_limits).where(_mine(organisation, name)).values(taken=recent[-row.capacity :]))
    return 0.0


def _in_use(conn: Connection, batch_id: int) -> Counter[str]:
    used: Counter[str] = Counter()
    for (res,) in conn.execute(
        select(steps.c.resources).where(
            steps.c.batch_id == batch_id, steps.c.status == StepStatus.RUNNING.value, steps.c.limited
        )
    ):
        used.update(res or {})
    return used


def _fits(need: dict[str, int], used: Counter[str], limits: dict[str, int]) -> bool:
    return all(used[r] + n <= limits[r] for r, n in need.items() if r in limits)


def _pick_for_batch(conn: Connection, batch_id: int, candidates: list[Any], room: int) -> list[int]:
    lock = select(batches.c.execution).where(batches.c.id == batch_id)
    if conn.dialect.name == "postgresql":
        lock = lock.with_for_update()
    limits = dict((conn.execute(lock).scalar_one() or {}).get("limits") or {})
    used, picked = _in_use(conn, batch_id), list[int]()
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
        steps.c.status == StepStatus.READY.value, steps.c.next_attempt_at <= now, steps.c.limited
    )
    if batch_id is not None:
        due = due.where(steps.c.batch_id == batch_id)
    by_batch: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(due.order_by(steps.c.id).limit(limit * 4)).all():
        by_batch[row.batch_id].append(row)
    picked: list[int] = []
    for bid in sorted(by_batch):
        picked += _pick_for_batch(conn, bid, by_batch[bid], limit - len(picked))
    return claim_ids_txn(conn, picked, supervisor_id=supervisor_id, now=now, lease_until=lease_until)
