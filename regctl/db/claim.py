"""Claiming ready steps: ONE atomic statement per dialect.

PostgreSQL: ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`` so any number
of supervisors share work without waiting on each other. SQLite: the same statement without the
locking clause; its writers are serialised by ``BEGIN IMMEDIATE``. The statements are built once
(bind parameters only) so a claim costs no SQL compilation. Oldest ready first (``next_attempt_at``,
the moment a step became due): batches share supervisors fairly, and a wide batch of chains runs
breadth-first, which packs the slots to the end instead of leaving a tail of late chains.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    String,
    Update,
    and_,
    bindparam,
    insert,
    literal,
    null,
    select,
    update,
)

from regctl.db.records import ClaimedStep
from regctl.db.schema import jobs, step_events, steps
from regctl.db.sqlbits import per_dialect
from regctl.engine.states import JobStatus, StepStatus

__all__ = ["ADMITTED", "claim_ids_txn", "claim_ready_txn", "claims_log_events"]

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
    steps.c.recoveries,
)
_LEASE: dict[str, Any] = {
    "status": StepStatus.RUNNING.value,
    "attempts": steps.c.attempts + 1,
    "lease_owner": bindparam("sid"),
    "lease_expires_at": bindparam("until"),
    "started_at": bindparam("now"),
    "next_attempt_at": None,
}


# A step starts only in a running (admitted) job: a job answered out of `waiting` or retried is
# `pending` again until admission finds it room under max_parallel_restaurants.
# A correlated scalar subquery (one primary-key lookup per candidate), not EXISTS: PostgreSQL turns
# EXISTS into a join whose plan follows the statistics, and a freshly submitted batch has none yet
# (estimated 1 ready step: a nested loop over every running job per step, 27 ms a claim at 500 jobs).
ADMITTED = (
    select(jobs.c.status).where(jobs.c.id == steps.c.job_id).scalar_subquery() == JobStatus.RUNNING.value
)


def _claim_statement(*, postgres: bool, one_batch: bool) -> Update:
    due = and_(
        steps.c.status == StepStatus.READY.value,
        steps.c.next_attempt_at <= bindparam("now"),
        steps.c.limited.is_(False),
        ADMITTED,
    )
    if one_batch:
        due = and_(due, steps.c.batch_id == bindparam("batch"))
    pick = select(steps.c.id).where(due).order_by(steps.c.next_attempt_at, steps.c.id).limit(bindparam("n"))
    if postgres:
        pick = pick.with_for_update(skip_locked=True)
    return update(steps).where(steps.c.id.in_(pick.scalar_subquery())).values(**_LEASE).returning(*_RETURNED)


def _logged(claim: Update) -> Any:
    """PostgreSQL: the claim and its ``ready → running`` events in ONE statement (a DML CTE)."""
    claimed = claim.cte("claimed")
    columns = ["step_id", "job_id", "batch_id", "organisation_id", "actor", "from_status", "to_status",
               "attempt", "message", "at"]
    rows = select(
        claimed.c.id,
        claimed.c.job_id,
        claimed.c.batch_id,
        claimed.c.organisation_id,
        bindparam("sid", type_=String),
        literal(StepStatus.READY.value, String),
        literal(StepStatus.RUNNING.value, String),
        claimed.c.attempts,
        null(),
        bindparam("now", type_=Float),
    )
    return select(claimed).add_cte(insert(step_events).from_select(columns, rows).cte("logged"))


_CLAIM = {
    (pg, one): _claim_statement(postgres=pg, one_batch=one) for pg in (False, True) for one in (False, True)
}
_CLAIM_LOGGED = {one: _logged(_claim_statement(postgres=True, one_batch=one)) for one in (False, True)}
_CLAIM_IDS = per_dialect(
    lambda ids: (
        update(steps)
        .where(ids(steps.c.id), steps.c.status == StepStatus.READY.value, ADMITTED)
        .values(**_LEASE)
        .returning(*_RETURNED)
    )
)


def _claimed(rows: Sequence[Any]) -> list[ClaimedStep]:
    return [
        ClaimedStep(
            r.id,
            r.job_id,
            r.batch_id,
            r.organisation_id,
            r.key,
            r.uses,
            r.kind,
            r.params or {},
            r.attempts,
            r.max_attempts,
            r.timeout,
            r.recoveries,
        )
        for r in sorted(rows, key=lambda r: r.id)
    ]


def claims_log_events(conn: Connection) -> bool:
    """Whether ``claim_ready_txn(…, log_events=True)`` writes the claims' events itself (PostgreSQL)."""
    return conn.dialect.name == "postgresql"


def claim_ready_txn(
    conn: Connection,
    *,
    supervisor_id: str,
    limit: int,
    now: float,
    lease_until: float,
    batch_id: int | None = None,
    log_events: bool = False,
) -> list[ClaimedStep]:
    """Lease up to ``limit`` due, ready steps that need no resource slot.

    With ``log_events`` where :func:`claims_log_events`, the same statement (a DML CTE) also writes
    their ``ready → running`` events, actor ``supervisor_id``, at ``now``.
    """
    if limit <= 0:
        return []
    one = batch_id is not None
    postgres = conn.dialect.name == "postgresql"
    stmt = _CLAIM_LOGGED[one] if log_events and postgres else _CLAIM[(postgres, one)]
    params = {"sid": supervisor_id, "until": lease_until, "now": now, "n": limit, "batch": batch_id}
    return _claimed(conn.execute(stmt, params).all())


def claim_ids_txn(
    conn: Connection, ids: Sequence[int], *, supervisor_id: str, now: float, lease_until: float
) -> list[ClaimedStep]:
    """Lease exactly these steps if still ready (used after a resource-slot check)."""
    if not ids:
        return []
    params = {"ids": list(ids), "sid": supervisor_id, "until": lease_until, "now": now}
    return _claimed(conn.execute(_CLAIM_IDS[conn.dialect.name == "postgresql"], params).all())
