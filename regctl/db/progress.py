"""How work moves: record step outcomes, unlock dependents, admit jobs, refresh job/batch status.

All of it runs inside the caller's transaction (``*_txn(conn, …)``) so a supervisor records a
whole batch of outcomes, unlocks the dependents and claims the next steps in ONE transaction.
Lock order, everywhere: job rows (by id) → step rows → the batch row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from regctl.db.records import Event, StepOutcome
from regctl.db.schema import batches, jobs, restaurants, step_events, steps
from regctl.engine.graph import StepNode, evaluate_condition, resolve, skipped_by_failure
from regctl.engine.states import (
    BatchStatus,
    JobStatus,
    StepStatus,
    derive_batch_status,
    derive_job_status,
)

__all__ = ["Progress", "admit_jobs_txn", "lock_jobs_txn", "record_outcomes_txn", "resolve_jobs_txn",
           "write_events_txn"]

FINISHED_JOB = frozenset({JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_WARNINGS, JobStatus.CANCELLED})


@dataclass
class Progress:
    """What a transaction changed, so the caller knows whether to claim/admit/notify."""

    newly_ready: int = 0
    jobs_left_running: int = 0  # jobs that stopped holding a max_parallel_restaurants slot
    events: list[Event] = field(default_factory=list)


def write_events_txn(conn: Connection, events: Sequence[Event], now: float) -> None:
    if events:
        conn.execute(step_events.insert(), [e.row(now) for e in events])


def lock_jobs_txn(conn: Connection, job_ids: Iterable[int]) -> dict[int, Any]:
    """Lock the job rows (in id order, so concurrent transactions cannot deadlock on them)."""
    ids = sorted(set(job_ids))
    if not ids:
        return {}
    stmt = select(jobs.c.id, jobs.c.batch_id, jobs.c.organisation_id, jobs.c.status,
                  jobs.c.restaurant_id, jobs.c.config).where(jobs.c.id.in_(ids)).order_by(jobs.c.id)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return {r.id: r for r in conn.execute(stmt).all()}


_outcome_update = (
    update(steps).where(steps.c.id == bindparam("b_id"))
    .values(status=bindparam("b_status"), result=bindparam("b_result"), error=bindparam("b_error"),
            next_attempt_at=bindparam("b_next"), finished_at=bindparam("b_finished"),
            attempts=steps.c.attempts - bindparam("b_give_back"), request=bindparam("b_request"),
            lease_owner=None, lease_expires_at=None)
)


def _still_ours(conn: Connection, outcomes: Sequence[StepOutcome], supervisor_id: str) -> dict[int, Any]:
    ids = [o.step_id for o in outcomes]
    stmt = select(steps.c.id, steps.c.attempts, steps.c.batch_id, steps.c.organisation_id).where(
        steps.c.id.in_(ids), steps.c.status == StepStatus.RUNNING.value,
        steps.c.lease_owner == supervisor_id).order_by(steps.c.id)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return {r.id: r for r in conn.execute(stmt).all()}


def _final_status(o: StepOutcome, job_status: str) -> StepStatus:
    """A step of a cancelled job that did not complete ends cancelled, whatever it raised."""
    if job_status == JobStatus.CANCELLED and o.status != StepStatus.COMPLETED:
        return StepStatus.CANCELLED
    return o.status


def record_outcomes_txn(conn: Connection, outcomes: Sequence[StepOutcome], *, supervisor_id: str,
                        now: float, locked: dict[int, Any]) -> list[Event]:
    """Write outcomes whose lease is still ours (a reclaimed step's late result is dropped)."""
    ours = _still_ours(conn, outcomes, supervisor_id) if outcomes else {}
    params, events = [], []
    for o in outcomes:
        row = ours.get(o.step_id)
        if row is None or row.attempts != o.attempt:
            continue
        status = _final_status(o, locked[o.job_id].status)
        finished = now if status not in (StepStatus.READY, StepStatus.ACTION_REQUIRED) else None
        params.append({"b_id": o.step_id, "b_status": status.value, "b_result": o.result,
                       "b_error": o.error, "b_next": o.next_attempt_at if status == StepStatus.READY else None,
                       "b_finished": finished, "b_give_back": int(o.give_back_attempt),
                       "b_request": o.request})
        events.append(Event(o.step_id, o.job_id, row.batch_id, row.organisation_id, supervisor_id,
                            StepStatus.RUNNING.value, status.value, o.attempt, o.message or o.error))
    if params:
        conn.execute(_outcome_update, params)
    return events


class _ConditionData:
    """The data a `when:` expression sees, loaded only if some step has a condition."""

    def __init__(self, conn: Connection, job: Any) -> None:
        self.conn, self.job = conn, job
        self._base: dict[str, Any] | None = None

    def for_step(self, params: dict[str, Any]) -> dict[str, Any]:
        if self._base is None:
            rest = self.conn.execute(select(restaurants).where(restaurants.c.id == self.job.restaurant_id))
            done = self.conn.execute(select(steps.c.key, steps.c.result).where(
                steps.c.job_id == self.job.id, steps.c.status == StepStatus.COMPLETED.value))
            self._base = {"restaurant": dict(rest.one()._mapping), "config": self.job.config or {},
                          "results": {r.key: r.result or {} for r in done}}
        return {**self._base, "params": params}


_NODE_COLS = (steps.c.id, steps.c.job_id, steps.c.key, steps.c.status, steps.c.needs, steps.c.after,
              steps.c.when, steps.c.critical, steps.c.note, steps.c.params, steps.c.batch_id,
              steps.c.organisation_id, steps.c.attempts)

_relation_update = (
    update(steps).where(steps.c.id == bindparam("b_id"), steps.c.status == StepStatus.PENDING.value)
    .values(status=bindparam("b_status"), note=bindparam("b_note"), next_attempt_at=bindparam("b_next"),
            finished_at=bindparam("b_finished"))
)


def _load_nodes(conn: Connection, job_ids: Sequence[int]) -> dict[int, list[Any]]:
    rows = conn.execute(select(*_NODE_COLS).where(steps.c.job_id.in_(job_ids))
                        .order_by(steps.c.job_id, steps.c.position)).all()
    by_job: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        by_job[r.job_id].append(r)
    return by_job


def _node(r: Any) -> StepNode:
    return StepNode(id=r.id, key=r.key, status=StepStatus(r.status), needs=tuple(r.needs or ()),
                    after=tuple(r.after or ()), when=r.when, critical=bool(r.critical), note=r.note)


def _resolve_job(conn: Connection, job: Any, rows: list[Any], actor: str, now: float,
                 out: tuple[list[dict[str, Any]], list[Event]]) -> list[StepNode]:
    nodes = [_node(r) for r in rows]
    by_id = {r.id: r for r in rows}
    data = _ConditionData(conn, job)

    def condition(node: StepNode) -> bool:
        return evaluate_condition(node.when or "", data.for_step(by_id[node.id].params or {}))

    for ch in resolve(nodes, condition):
        r = by_id[ch.step_id]
        final = ch.new in (StepStatus.SKIPPED, StepStatus.FAILED)
        out[0].append({"b_id": ch.step_id, "b_status": ch.new.value, "b_note": ch.note,
                       "b_next": now if ch.new == StepStatus.READY else None,
                       "b_finished": now if final else None})
        out[1].append(Event(ch.step_id, job.id, r.batch_id, r.organisation_id, actor, ch.old.value,
                            ch.new.value, r.attempts, ch.note))
    return nodes


def _set_job_status(conn: Connection, job: Any, nodes: list[StepNode], now: float) -> JobStatus | None:
    if job.status in (JobStatus.PENDING, JobStatus.CANCELLED):
        return None  # not admitted yet / cancelled: the status is not derived from steps
    new = derive_job_status((n.status, n.critical, skipped_by_failure(n)) for n in nodes)
    if new == job.status:
        return None
    finished = new in FINISHED_JOB
    conn.execute(update(jobs).where(jobs.c.id == job.id).values(
        status=new.value, updated_at=now, finished_at=now if finished else None,
        active=None if finished else True))
    return new


def resolve_jobs_txn(conn: Connection, locked: dict[int, Any], *, actor: str, now: float) -> Progress:
    """Unlock/skip/block pending steps of these (locked) jobs; store the derived job/batch status."""
    progress = Progress()
    if not locked:
        return progress
    by_job = _load_nodes(conn, list(locked))
    out: tuple[list[dict[str, Any]], list[Event]] = ([], [])
    changed_batches: set[int] = set()
    for job_id, job in locked.items():
        nodes = _resolve_job(conn, job, by_job.get(job_id, []), actor, now, out)
        new = _set_job_status(conn, job, nodes, now)
        if new is not None:
            changed_batches.add(job.batch_id)
            progress.jobs_left_running += int(new != JobStatus.RUNNING)
    if out[0]:
        conn.execute(_relation_update, out[0])
    progress.newly_ready = sum(1 for p in out[0] if p["b_status"] == StepStatus.READY.value)
    progress.events = out[1]
    refresh_batches_txn(conn, changed_batches, now)
    return progress


def refresh_batches_txn(conn: Connection, batch_ids: Iterable[int], now: float) -> None:
    """Re-derive each batch's status from its jobs (locking the batch row first)."""
    for batch_id in sorted(set(batch_ids)):
        lock = select(batches.c.status, batches.c.cancelled_at, batches.c.started_at).where(
            batches.c.id == batch_id)
        if conn.dialect.name == "postgresql":
            lock = lock.with_for_update()
        batch = conn.execute(lock).one()
        counts = conn.execute(select(jobs.c.status, func.count()).where(jobs.c.batch_id == batch_id)
                              .group_by(jobs.c.status)).all()
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
    running = conn.execute(select(func.count()).where(
        jobs.c.batch_id == batch_id, jobs.c.status == JobStatus.RUNNING.value)).scalar_one()
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
            ids = conn.execute(select(jobs.c.id).where(jobs.c.batch_id == bid,
                               jobs.c.status == JobStatus.PENDING.value)
                               .order_by(jobs.c.position).limit(room)).scalars().all()
            conn.execute(update(jobs).where(jobs.c.id.in_(ids)).values(
                status=JobStatus.RUNNING.value, updated_at=now))
            admitted.extend(ids)
    if not admitted:
        return Progress()
    locked = lock_jobs_txn(conn, admitted)
    progress = resolve_jobs_txn(conn, locked, actor=actor, now=now)
    refresh_batches_txn(conn, {job.batch_id for job in locked.values()}, now)
    return progress
