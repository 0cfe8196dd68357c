"""Batch-level movement: admitting jobs under max_parallel_restaurants, and the batch's status.

Both take the batch row lock (``FOR UPDATE`` on PostgreSQL; SQLite serialises writers), which is
why the store runs them last in a transaction. A batch's status is re-derived from its jobs only
when no job is active any more (typically once, at the end); until then it is simply running.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from regctl.db.progress import Progress, lock_jobs_txn, resolve_jobs_txn, start_jobs_txn
from regctl.db.schema import batches, jobs
from regctl.engine.states import BatchStatus, JobStatus, derive_batch_status

__all__ = ["BATCH_TRANSITIONS", "admit_jobs_txn", "refresh_batches_txn"]

# Key in ``conn.info`` under which a transaction collects (batch_id, old, new) status changes;
# Store.transact hands them to its listeners once the transaction has committed.
BATCH_TRANSITIONS = "regctl.batch_transitions"


def _pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


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


def _max_parallel(execution: dict[str, Any]) -> int:
    if (execution or {}).get("mode") == "sequential":
        return 1
    return int((execution or {}).get("max_parallel_restaurants") or 10)


def _room(conn: Connection, batch_id: int) -> int:
    lock = select(batches.c.execution).where(batches.c.id == batch_id, batches.c.cancelled_at.is_(None))
    if conn.dialect.name == "postgresql":
        lock = lock.with_for_update()
    execution = conn.execute(lock).scalar_one_or_none()
    if execution is None:
        return 0
    running = conn.execute(
        select(func.count()).where(jobs.c.batch_id == batch_id, jobs.c.status == JobStatus.RUNNING.value)
    ).scalar_one()
    return max(0, _max_parallel(execution) - int(running))


def admit_jobs_txn(conn: Connection, *, actor: str, now: float, batch_id: int | None = None) -> Progress:
    """Start pending jobs while their batch has room under max_parallel_restaurants."""
    pending = select(jobs.c.batch_id).where(jobs.c.status == JobStatus.PENDING.value).distinct()
    if batch_id is not None:
        pending = pending.where(jobs.c.batch_id == batch_id)
    admitted: list[int] = []
    for (bid,) in conn.execute(pending).all():
        room = _room(conn, bid)
        if room:
            ids = (
                conn.execute(
                    select(jobs.c.id)
                    .where(jobs.c.batch_id == bid, jobs.c.status == JobStatus.PENDING.value)
                    .order_by(jobs.c.position)
                    .limit(room)
                )
                .scalars()
                .all()
            )
            conn.execute(
                update(jobs).where(jobs.c.id.in_(ids)).values(status=JobStatus.RUNNING.value, updated_at=now)
            )
            admitted.extend(ids)
    if not admitted:
        return Progress()
    locked = lock_jobs_txn(conn, admitted)
    started, settled = start_jobs_txn(conn, locked, actor=actor, now=now)
    rest = {job_id: job for job_id, job in locked.items() if job_id not in settled}
    progress = resolve_jobs_txn(conn, rest, actor=actor, now=now, refresh=False)
    progress.events = started.events + progress.events
    progress.newly_ready += started.newly_ready
    progress.changed_batches |= {job.batch_id for job in locked.values()}  # the caller refreshes them
    return progress
