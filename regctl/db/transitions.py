"""Transitions people and time cause: cancel, retry, answer a decision, lease expiry and release.

Each is a ``*_txn(conn, …)`` function run inside one transaction by the store; every change of a
step's status is checked against the engine's transition table and appended to step_events.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update

from regctl.db.batch_status import refresh_batches_txn
from regctl.db.connect import insert_ignoring_conflicts
from regctl.db.progress import lock_jobs_txn, resolve_jobs_txn, write_events_txn
from regctl.db.records import Event
from regctl.db.schema import batches, decisions, jobs, steps
from regctl.engine.graph import StepNode, skipped_by_failure
from regctl.engine.states import JobStatus, StepStatus, check_transition
from regctl.errors import NotFound, UsageError

__all__ = [
    "answer_step_txn",
    "cancel_txn",
    "reclaim_expired_txn",
    "release_leases_txn",
    "retry_failed_txn",
    "retry_job_txn",
]

S = StepStatus
MAX_RECOVERIES = 3  # runs a step may lose with its supervisor before it fails (apart from retries)
_FINISHED_JOBS = (
    JobStatus.COMPLETED.value,
    JobStatus.COMPLETED_WITH_WARNINGS.value,
    JobStatus.CANCELLED.value,
)


def _notify(conn: Connection, payload: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify('regctl', :p)"), {"p": payload})


def _event(r: Any, actor: str, old: str, new: str, message: str | None) -> Event:
    return Event(r.id, r.job_id, r.batch_id, r.organisation_id, actor, old, new, r.attempts, message)


_set_status = (
    update(steps)
    .where(steps.c.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"),
        finished_at=bindparam("b_finished"),
        next_attempt_at=bindparam("b_next"),
        error=bindparam("b_error"),
        lease_owner=None,
        lease_expires_at=None,
    )
)


def _step_rows(conn: Connection, where: Any) -> Sequence[Any]:
    return conn.execute(
        select(
            steps.c.id,
            steps.c.job_id,
            steps.c.batch_id,
            steps.c.organisation_id,
            steps.c.key,
            steps.c.status,
            steps.c.attempts,
            steps.c.max_attempts,
            steps.c.recoveries,
            steps.c.needs,
            steps.c.after,
            steps.c.note,
            steps.c.critical,
            steps.c.lease_owner,
        )
        .where(where)
        .order_by(steps.c.id)
    ).all()


def _cancelled_jobs(conn: Connection, job_ids: set[int]) -> set[int]:
    return set(
        conn.execute(
            select(jobs.c.id).where(jobs.c.id.in_(job_ids), jobs.c.status == JobStatus.CANCELLED.value)
        ).scalars()
    )


# ------------------------------------------------------------------ cancel ---------------------


def cancel_txn(
    conn: Connection, *, actor: str, now: float, batch_id: int | None = None, job_id: int | None = None
) -> int:
    """Cancel a batch or a job: nothing of it is claimed any more; running steps are signalled.

    Returns the number of steps cancelled now plus those running (they end cancelled within grace).
    """
    scope = jobs.c.batch_id == batch_id if batch_id is not None else jobs.c.id == job_id
    ids = list(conn.execute(select(jobs.c.id).where(scope)).scalars())
    if not ids:
        raise NotFound(f"no such {'batch' if batch_id is not None else 'job'}: {batch_id or job_id}")
    locked = lock_jobs_txn(conn, ids)
    live = [j for j, row in locked.items() if row.status not in _FINISHED_JOBS]
    conn.execute(
        update(jobs)
        .where(jobs.c.id.in_(live))
        .values(status=JobStatus.CANCELLED.value, active=None, finished_at=now, updated_at=now)
    )
    rows = _step_rows(
        conn,
        steps.c.job_id.in_(live)
        & steps.c.status.in_([S.PENDING.value, S.READY.value, S.ACTION_REQUIRED.value, S.BLOCKED.value]),
    )
    if rows:
        conn.execute(
            _set_status,
            [
                {
                    "b_id": r.id,
                    "b_status": S.CANCELLED.value,
                    "b_finished": now,
                    "b_next": None,
                    "b_error": None,
                }
                for r in rows
            ],
        )
    write_events_txn(conn, [_event(r, actor, r.status, S.CANCELLED.value, "cancelled") for r in rows], now)
    running = conn.execute(
        select(steps.c.id).where(steps.c.job_id.in_(live), steps.c.status == S.RUNNING.value)
    ).all()
    if batch_id is not None:
        conn.execute(update(batches).where(batches.c.id == batch_id).values(cancelled_at=now, updated_at=now))
    refresh_batches_txn(conn, {row.batch_id for row in locked.values()}, now)
    _notify(conn, "cancel")
    return len(rows) + len(running)


# ------------------------------------------------------------------ retry ----------------------


def _dependents(rows: Sequence[Any], start: str, *, relations: tuple[str, ...] = ("needs", "after")
                ) -> set[str]:
    """``start`` and every step that needs or comes after it (by ``relations``), transitively."""
    found, frontier = {start}, [start]
    while frontier:
        key = frontier.pop()
        for r in rows:
            linked = [k for rel in relations for k in (getattr(r, rel) or ())]
            if r.key not in found and key in linked:
                found.add(r.key)
                frontier.append(r.key)
    return found


_NOT_RUN = (S.PENDING.value, S.READY.value, S.RUNNING.value)  # nothing to retry: it has not run (yet)
_RAN = (S.COMPLETED.value, S.FAILED.value, S.SKIPPED.value, S.CANCELLED.value)


def _retry_targets(rows: Sequence[Any], from_step: str | None) -> list[Any]:
    if from_step is not None:
        if from_step not in {r.key for r in rows}:
            raise NotFound(f"the job has no step {from_step!r}")
        keys = _dependents(rows, from_step)
        return [r for r in rows if r.key in keys and r.status not in _NOT_RUN]

    def stuck(r: Any) -> bool:
        node = StepNode(r.id, r.key, S(r.status), (), (), None, bool(r.critical), r.note)
        return r.status in (S.FAILED, S.BLOCKED, S.CANCELLED) or skipped_by_failure(node)

    targets = {r.key for r in rows if stuck(r)}
    # an `after:` step that ran past a failure runs again after the retried step (issue 13, finding 8)
    later = {k for key in targets for k in _dependents(rows, key, relations=("after",))}
    return [r for r in rows if r.key in targets or (r.key in later and r.status in _RAN)]


def _budgets(conn: Connection, batch_id: int) -> dict[str, int]:
    pipeline = conn.execute(select(batches.c.pipeline).where(batches.c.id == batch_id)).scalar_one()
    return {s["key"]: int(s.get("retries") or 3) for s in pipeline or []}


def retry_job_txn(
    conn: Connection, job_id: int, *, actor: str, now: float, from_step: str | None = None
) -> int:
    """Give the job's failed/blocked/cancelled steps (or ``from_step`` and its dependents) a new try."""
    if not lock_jobs_txn(conn, [job_id]):
        raise NotFound(f"no such job: {job_id}")
    rows = _step_rows(conn, steps.c.job_id == job_id)
    targets = _retry_targets(rows, from_step)
    if not targets:
        return 0
    budget = _budgets(conn, rows[0].batch_id)
    for r in targets:
        check_transition(r.status, S.PENDING)
    conn.execute(
        update(steps)
        .where(steps.c.id == bindparam("b_id"))
        .values(
            status=S.PENDING.value,
            max_attempts=bindparam("b_max"),
            note=None,
            error=None,
            result=None,
            request=None,
            finished_at=None,
            next_attempt_at=None,
        ),
        [{"b_id": r.id, "b_max": r.attempts + budget.get(r.key, 3)} for r in targets],
    )
    _reopen_job(conn, job_id, rows[0].batch_id, now)
    events = [_event(r, actor, r.status, S.PENDING.value, "retry") for r in targets]
    progress = resolve_jobs_txn(conn, lock_jobs_txn(conn, [job_id]), actor=actor, now=now, refresh=False)
    write_events_txn(conn, events + progress.events, now)
    refresh_batches_txn(conn, [rows[0].batch_id], now)
    _notify(conn, "batch")  # the job is pending again: admission decides when it runs
    return len(targets)


def _reopen_job(conn: Connection, job_id: int, batch_id: int, now: float) -> None:
    from sqlalchemy.exc import IntegrityError

    try:
        with conn.begin_nested():
            conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id)
                .values(status=JobStatus.PENDING.value, active=True, finished_at=None, updated_at=now)
            )
    except IntegrityError as exc:
        raise UsageError(f"job {job_id}: its restaurant has another active job; finish that first") from exc
    conn.execute(update(batches).where(batches.c.id == batch_id).values(cancelled_at=None, finished_at=None))


def retry_failed_txn(conn: Connection, batch_id: int, *, actor: str, now: float) -> int:
    failed = (
        conn.execute(
            select(jobs.c.id).where(jobs.c.batch_id == batch_id, jobs.c.status == JobStatus.FAILED.value)
        )
        .scalars()
        .all()
    )
    return sum(retry_job_txn(conn, j, actor=actor, now=now) for j in failed)


# ------------------------------------------------------------------ decisions ------------------


def _insert_decision(conn: Connection, row: Any, attempt: int, decision: dict[str, Any], now: float) -> bool:
    values = {
        "step_id": row.id,
        "job_id": row.job_id,
        "batch_id": row.batch_id,
        "organisation_id": row.organisation_id,
        "kind": decision.get("kind", "answer"),
        "answer": decision.get("answer"),
        "note": decision.get("note"),
        "actor": decision.get("actor", "unknown"),
        "via": decision.get("via", "decide"),
        "attempt": attempt,
        "at": decision.get("at") or now,
    }
    stmt = insert_ignoring_conflicts(conn, decisions, values).returning(decisions.c.id)
    return conn.execute(stmt).scalar_one_or_none() is not None


def answer_step_txn(
    conn: Connection,
    step_id: int,
    attempt: int,
    result: dict[str, Any] | None,
    decision: dict[str, Any],
    *,
    now: float,
) -> bool:
    """Complete (or skip) a waiting step together with its decision row; False if already answered."""
    found = _step_rows(conn, steps.c.id == step_id)
    if not found:
        raise NotFound(f"no such step: {step_id}")
    locked = lock_jobs_txn(conn, [found[0].job_id])
    row = _step_rows(conn, steps.c.id == step_id)[0]  # re-read under the job lock
    if row.status != S.ACTION_REQUIRED.value or row.attempts != attempt:
        return False
    if not _insert_decision(conn, row, attempt, decision, now):
        return False
    new = S.SKIPPED if decision.get("kind") == "skip" else S.COMPLETED
    conn.execute(
        update(steps)
        .where(steps.c.id == step_id)
        .values(
            status=new.value,
            result=result,
            finished_at=now,
            note="skipped by decision" if new == S.SKIPPED else None,
        )
    )
    actor = str(decision.get("actor", "unknown"))
    progress = resolve_jobs_txn(conn, locked, actor=actor, now=now, refresh=False)
    write_events_txn(
        conn, [_event(row, actor, row.status, new.value, decision.get("via")), *progress.events], now
    )
    refresh_batches_txn(conn, progress.changed_batches, now)
    _notify(conn, "batch")  # the job is pending again unless other steps kept it running: admit it
    return True


# ------------------------------------------------------------------ leases ---------------------


def _lost_run(r: Any, cancelled: set[int], limit: int) -> tuple[S, str]:
    """What a run lost with its supervisor becomes, and why (the attempt itself is given back)."""
    if r.job_id in cancelled:
        return S.CANCELLED, "cancelled (its supervisor was lost)"
    if r.recoveries + 1 > limit:
        return S.FAILED, f"lost its supervisor {r.recoveries + 1} times (held by {r.lease_owner})"
    return S.READY, f"lease expired (held by {r.lease_owner}); recovery {r.recoveries + 1} of {limit}"


# a run lost with its supervisor: _set_status, the attempt given back and one more recovery counted
_recover = _set_status.values(attempts=steps.c.attempts - 1, recoveries=steps.c.recoveries + 1)


def reclaim_expired_txn(conn: Connection, *, actor: str, now: float, limit: int = MAX_RECOVERIES) -> int:
    """Steps whose lease expired were running when their supervisor was lost: a recovery, not an attempt.

    The attempt is given back and ``recoveries`` rises; past ``limit`` recoveries the step fails
    ("lost its supervisor N times"), as DBOS keeps max_recovery_attempts apart from retries.
    """
    expired = (steps.c.status == S.RUNNING.value) & (steps.c.lease_expires_at < now)
    job_ids = set(conn.execute(select(steps.c.job_id).where(expired)).scalars())
    if not job_ids:
        return 0
    locked = lock_jobs_txn(conn, job_ids)  # the lock order: job rows, then step rows
    rows = _step_rows(conn, expired & steps.c.job_id.in_(list(locked)))  # re-read under the job locks
    if not rows:
        return 0
    params, events, failed_jobs = [], [], set()
    cancelled = _cancelled_jobs(conn, {r.job_id for r in rows})
    for r in rows:
        new, why = _lost_run(r, cancelled, limit)
        final = new != S.READY
        params.append(
            {"b_id": r.id, "b_status": new.value, "b_finished": now if final else None,
             "b_next": None if final else now, "b_error": why}
        )
        events.append(_event(r, actor, S.RUNNING.value, new.value, why))
        if final:
            failed_jobs.add(r.job_id)
    conn.execute(_recover, params)
    touched = {j: locked[j] for j in failed_jobs}
    progress = resolve_jobs_txn(conn, touched, actor=actor, now=now, refresh=False)
    write_events_txn(conn, events + progress.events, now)
    refresh_batches_txn(conn, progress.changed_batches, now)
    _notify(conn, "ready")
    return len(rows)


def release_leases_txn(
    conn: Connection,
    supervisor_id: str,
    *,
    now: float,
    keep: Collection[int] = (),
    reason: str = "released: supervisor stopping",
) -> int:
    """A supervisor hands its running steps (but ``keep``) back as ready, without spending the attempt."""
    mine = (steps.c.lease_owner == supervisor_id) & (steps.c.status == S.RUNNING.value)
    rows = _step_rows(conn, mine & steps.c.id.not_in(list(keep)) if keep else mine)
    if not rows:
        return 0
    cancelled = _cancelled_jobs(conn, {r.job_id for r in rows})
    conn.execute(
        update(steps)
        .where(steps.c.id.in_([r.id for r in rows if r.job_id not in cancelled]))
        .values(
            status=S.READY.value,
            lease_owner=None,
            lease_expires_at=None,
            next_attempt_at=now,
            attempts=steps.c.attempts - 1,
        )
    )
    conn.execute(
        update(steps)
        .where(steps.c.id.in_([r.id for r in rows if r.job_id in cancelled]))
        .values(status=S.CANCELLED.value, lease_owner=None, lease_expires_at=None, finished_at=now)
    )
    write_events_txn(
        conn,
        [
            _event(
                r,
                supervisor_id,
                S.RUNNING.value,
                S.CANCELLED.value if r.job_id in cancelled else S.READY.value,
                reason,
            )
            for r in rows
        ],
        now,
    )
    _notify(conn, "ready")
    return len(rows)
