"""Claiming ready steps: ONE atomic statement per dialect.

PostgreSQL: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`` so any number
of supervisors share work without waiting on each other. SQLite: the same statement without the
locking clause; its writers are serialised by ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, select, update

from regctl.db.records import ClaimedStep
from regctl.db.schema import steps
from regctl.engine.states import StepStatus

__all__ = ["claim_ids_txn", "claim_ready_txn"]

_RETURNED = (
    steps.c.id,
    steps.c.job_id,
    steps.c.batch_id,
    steps.c.organisation_id,
    steps.c.key,
    steps.c.uses,
    steps.c.kind,
    steps.c.params,
    steps.c.attempts,
    steps.c.max_attempts,
    steps.c.timeout,
)


def _lease(supervisor_id: str, now: float, lease_until: float) -> dict[str, Any]:
    return {
        "status": StepStatus.RUNNING.value,
        "attempts": steps.c.attempts + 1,
        "lease_owner": supervisor_id,
        "lease_expires_at": lease_until,
        "started_at": now,
        "next_attempt_at": None,
    }


def _claimed(rows: Sequence[Any]) -> list[ClaimedStep]:
    return [
        ClaimedStep(
            id=r.id,
            job_id=r.job_id,
            batch_id=r.batch_id,
            organisation_id=r.organisation_id,
            key=r.key,
            uses=r.uses,
            kind=r.kind,
            params=r.params or {},
            attempt=r.attempts,
            max_attempts=r.max_attempts,
            timeout=r.timeout,
        )
        for r in sorted(rows, key=lambda r: r.id)
    ]


def claim_ready_txn(
    conn: Connection,
    *,
    supervisor_id: str,
    limit: int,
    now: float,
    lease_until: float,
    batch_id: int | None = None,
) -> list[ClaimedStep]:
    """Lease up to ``limit`` due, ready steps that need no resource slot."""
    if limit <= 0:
        return []
    due = and_(
        steps.c.status == StepStatus.READY.value, steps.c.next_attempt_at <= now, steps.c.limited.is_(False)
    )
    if batch_id is not None:
        due = and_(due, steps.c.batch_id == batch_id)
    pick = select(steps.c.id).where(due).order_by(steps.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    stmt = (
        update(steps)
        .where(steps.c.id.in_(pick.scalar_subquery()))
        .values(**_lease(supervisor_id, now, lease_until))
        .returning(*_RETURNED)
    )
    return _claimed(conn.execute(stmt).all())


def claim_ids_txn(
    conn: Connection, ids: Sequence[int], *, supervisor_id: str, now: float, lease_until: float
) -> list[ClaimedStep]:
    """Lease exactly these steps if still ready (used after a resource-slot check)."""
    if not ids:
        return []
    stmt = (
        update(steps)
        .where(steps.c.id.in_(list(ids)), steps.c.status == StepStatus.READY.value)
        .values(**_lease(supervisor_id, now, lease_until))
        .returning(*_RETURNED)
    )
    return _claimed(conn.execute(stmt).all())
