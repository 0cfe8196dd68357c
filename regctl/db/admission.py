"""Admitting jobs under max_parallel_restaurants: the one way into a running job.

Admission locks the candidate job rows, then the batch row (``FOR UPDATE`` on PostgreSQL; SQLite
serialises writers) — the lock order everywhere: job rows → step rows → batch row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update

from regctl.db.batch_status import BATCH_TRANSITIONS, refresh_batches_txn
from regctl.db.progress import Progress, lock_jobs_txn, resolve_jobs_txn, start_jobs_txn
from regctl.db.schema import batches, jobs
from regctl.engine.states import JobStatus

# BATCH_TRANSITIONS and refresh_batches_txn are re-exported
__all__ = ["ADMIT_CHUNK", "BATCH_TRANSITIONS", "admit_jobs_txn", "refresh_batches_txn"]

# Jobs admitted by one transaction, over all batches. Admitting 1,000 restaurants at once made 5,000
# steps ready in one statement and held their rows and events in the supervisor's memory at once
# (its peak RSS); in chunks, the rest follow on the next turns (every 0.25 s while slots are free).
ADMIT_CHUNK = 100


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


def _admit_in_batch(conn: Connection, batch_id: int, now: float, most: int) -> list[int]:
    """Admit this batch's next pending jobs (at most ``most``) while it has room. Lock order: job
    rows, then the batch row."""
    execution = conn.execute(select(batches.c.execution).where(batches.c.id == batch_id)).scalar_one()
    candidates = (
        conn.execute(
            select(jobs.c.id)
            .where(jobs.c.batch_id == batch_id, jobs.c.status == JobStatus.PENDING.value)
            .order_by(jobs.c.position)
            .limit(min(_max_parallel(execution), most))
        )
        .scalars()
        .all()
    )
    locked = lock_jobs_txn(conn, candidates)  # re-read under lock: another transaction may have admitted them
    room = _room(conn, batch_id)
    ids = [j for j in candidates if j in locked and locked[j].status == JobStatus.PENDING][:room]
    if ids:
        admit = update(jobs).where(jobs.c.id.in_(ids))
        conn.execute(admit.values(status=JobStatus.RUNNING.value, updated_at=now))
    return ids


def admit_jobs_txn(conn: Connection, *, actor: str, now: float, batch_id: int | None = None) -> Progress:
    """Start pending jobs while their batch has room under max_parallel_restaurants.

    The one way into a running job: new jobs, and jobs answered out of ``waiting`` or retried
    (which go back to ``pending``), all pass here. At most :data:`ADMIT_CHUNK` jobs a call.
    """
    pending = select(jobs.c.batch_id).where(jobs.c.status == JobStatus.PENDING.value).distinct()
    if batch_id is not None:
        pending = pending.where(jobs.c.batch_id == batch_id)
    admitted: list[int] = []
    for (bid,) in conn.execute(pending).all():
        if len(admitted) >= ADMIT_CHUNK:
            break
        admitted += _admit_in_batch(conn, bid, now, ADMIT_CHUNK - len(admitted))
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
