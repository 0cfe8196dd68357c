"""A batch's stored status, re-derived from its jobs under the batch row lock.

Taken last in a transaction (the lock order: job rows → step rows → batch row). A batch's status
is re-derived only when no job is active any more (typically once, at the end); until then it is
simply running. Its own module so that progress and admission both use it without an import circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from regctl.db.schema import batches, jobs
from regctl.engine.states import BatchStatus, JobStatus, derive_batch_status

__all__ = ["BATCH_TRANSITIONS", "refresh_batches_txn"]


def _pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


# Key in ``conn.info`` under which a transaction collects (batch_id, old, new) status changes;
# Store.transact hands them to its listeners once the transaction has committed.
BATCH_TRANSITIONS = "regctl.batch_transitions"


_ACTIVE_JOBS = [JobStatus.PENDING.value, JobStatus.RUNNING.value]
_batch_lock = select(batches.c.status, batches.c.cancelled_at, batches.c.started_at).where(
    batches.c.id == bindparam("b")
)
_BATCH_LOCK = {False: _batch_lock, True: _batch_lock.with_for_update()}
_some_active_job = (
    select(jobs.c.id).where(jobs.c.batch_id == bindparam("b"), jobs.c.status.in_(_ACTIVE_JOBS)).limit(1)
)


def _still_running(conn: Connection, batch_id: int, batch: Any) -> bool:
    if batch.cancelled_at is not None or batch.status != BatchStatus.RUNNING:
        return False
    return conn.execute(_some_active_job, {"b": batch_id}).first() is not None


def refresh_batches_txn(conn: Connection, batch_ids: Iterable[int], now: float) -> None:
    """Re-derive each batch's status from its jobs (under the batch row lock).

    While some job is pending or running a started batch is simply running, so the full count of
    job statuses is only taken when that changes (typically once, at the end).
    """
    for batch_id in sorted(set(batch_ids)):
        batch = conn.execute(_BATCH_LOCK[_pg(conn)], {"b": batch_id}).one()
        if _still_running(conn, batch_id, batch):
            continue
        counts = conn.execute(
            select(jobs.c.status, func.count()).where(jobs.c.batch_id == batch_id).group_by(jobs.c.status)
        ).all()
        new = derive_batch_status([s for s, _ in counts], cancelled=batch.cancelled_at is not None)
        if new != batch.status:
            _store_batch_status(conn, batch_id, batch, new, now)


def _store_batch_status(conn: Connection, batch_id: int, batch: Any, new: BatchStatus, now: float) -> None:
    values: dict[str, Any] = {"status": new.value, "updated_at": now}
    if batch.started_at is None and new != BatchStatus.PENDING:
        values["started_at"] = now
    settled = new not in (BatchStatus.PENDING, BatchStatus.RUNNING)
    values["finished_at"] = now if settled else None
    conn.execute(update(batches).where(batches.c.id == batch_id).values(**values))
    conn.info.setdefault(BATCH_TRANSITIONS, []).append((batch_id, batch.status, new.value))
