"""How work moves: record step outcomes, unlock dependents, derive and store job status.

All of it runs inside the caller's transaction (``*_txn(conn, …)``) so a supervisor records a
whole batch of outcomes, unlocks the dependents and claims the next steps in ONE transaction.
Lock order, everywhere: job rows (by id) → step rows → the batch row.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, tuple_, update

from regctl.db.batch_status import refresh_batches_txn
from regctl.db.records import Event, StepOutcome
from regctl.db.schema import batches, jobs, restaurants, step_events, steps
from regctl.db.sqlbits import InIds, in_array, in_list, per_dialect
from regctl.db.tenancy import rls_active
from regctl.engine.graph import StepNode, evaluate_condition, resolve, skipped_by_failure
from regctl.engine.states import (
    JobStatus,
    StepStatus,
    derive_job_status,
)

__all__ = [
    "Progress",
    "Recorded",
    "lock_jobs_txn",
    "record_outcomes_txn",
    "resolve_jobs_txn",
    "start_jobs_txn",
    "unlock_sole_dependents_txn",
    "write_events_txn",
]

FINISHED_JOB = frozenset({JobStatus.COMPLETED, JobStatus.COMPLETED_WITH_WARNINGS, JobStatus.CANCELLED})


@dataclass
class Progress:
    """What a transaction changed, so the caller knows whether to claim/admit/notify."""

    newly_ready: int = 0
    jobs_left_running: int = 0  # jobs that stopped holding a max_parallel_restaurants slot
    events: list[Event] = field(default_factory=list)
    changed_batches: set[int] = field(default_factory=set)  # to refresh at the end of the transaction


def _pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


_insert_events = step_events.insert()
_EVENT_COLUMNS = (
    "step_id",
    "job_id",
    "batch_id",
    "organisation_id",
    "actor",
    "from_status",
    "to_status",
    "attempt",
    "message",
    "at",
)
_COPY_EVENTS = f"COPY step_events ({', '.join(_EVENT_COLUMNS)}) FROM STDIN"


def write_events_txn(conn: Connection, events: Sequence[Event], now: float) -> None:
    """Append events in bulk: COPY on PostgreSQL as the tables' owner, else one executemany."""
    if not events:
        return
    rows = [e.row(now) for e in events]
    if not _pg(conn) or rls_active(conn):  # PostgreSQL refuses COPY FROM where policies apply
        conn.execute(_insert_events, rows)
        return
    with conn.connection.driver_connection.cursor() as cur, cur.copy(_COPY_EVENTS) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(tuple(row[c] for c in _EVENT_COLUMNS))


def update_grouped_txn(
    conn: Connection, by_id: Any, by_ids: dict[bool, Any], params: list[dict[str, Any]]
) -> None:
    """Apply per-step updates, one statement per group of identical values (``b_id`` aside).

    ``by_id`` updates ``WHERE id = :b_id``; ``by_ids`` the same with ``id IN :ids``. Completions of a
    busy batch mostly share their values, so a cycle usually costs one UPDATE instead of one per row.
    """
    groups: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for p in params:
        values = {k: v for k, v in p.items() if k != "b_id"}
        key = json.dumps(values, sort_keys=True, default=str)
        groups.setdefault(key, (values, []))[1].append(p["b_id"])
    if len(groups) == len(params) > 1:
        conn.execute(by_id, params)
        return
    for values, ids in groups.values():
        conn.execute(by_ids[_pg(conn)], {**values, "ids": ids})


# Hot statements are built once per dialect (regctl.db.sqlbits) and reused every cycle.
def _lock_jobs(ids: InIds) -> Any:
    cols = (jobs.c.id, jobs.c.batch_id, jobs.c.organisation_id, jobs.c.status, jobs.c.restaurant_id)
    return select(*cols).where(ids(jobs.c.id)).order_by(jobs.c.id)


def _ours(ids: InIds) -> Any:
    return (
        select(steps.c.id, steps.c.attempts, steps.c.batch_id, steps.c.organisation_id, steps.c.key)
        .where(
            ids(steps.c.id),
            steps.c.status == StepStatus.RUNNING.value,
            steps.c.lease_owner == bindparam("sid"),
        )
        .order_by(steps.c.id)
    )


_LOCK_JOBS = {False: _lock_jobs(in_list), True: _lock_jobs(in_array).with_for_update()}
_OURS = {False: _ours(in_list), True: _ours(in_array).with_for_update()}


def lock_jobs_txn(conn: Connection, job_ids: Iterable[int]) -> dict[int, Any]:
    """Lock the job rows (in id order, so concurrent transactions cannot deadlock on them)."""
    ids = sorted(set(job_ids))
    if not ids:
        return {}
    return {r.id: r for r in conn.execute(_LOCK_JOBS[_pg(conn)], {"ids": ids}).all()}


_outcome_values = dict(
    status=bindparam("b_status"),
    result=bindparam("b_result"),
    error=bindparam("b_error"),
    next_attempt_at=bindparam("b_next"),
    finished_at=bindparam("b_finished"),
    attempts=steps.c.attempts - bindparam("b_give_back"),
    request=bindparam("b_request"),
    lease_owner=None,
    lease_expires_at=None,
)
_outcome_update = update(steps).where(steps.c.id == bindparam("b_id")).values(**_outcome_values)
_outcomes_update = per_dialect(lambda ids: update(steps).where(ids(steps.c.id)).values(**_outcome_values))


def _still_ours(conn: Connection, outcomes: Sequence[StepOutcome], supervisor_id: str) -> dict[int, Any]:
    ids = [o.step_id for o in outcomes]
    return {r.id: r for r in conn.execute(_OURS[_pg(conn)], {"ids": ids, "sid": supervisor_id}).all()}


def _final_status(o: StepOutcome, job_status: str) -> StepStatus:
    """A step of a cancelled job that did not complete ends cancelled, whatever it raised."""
    if job_status == JobStatus.CANCELLED and o.status != StepStatus.COMPLETED:
        return StepStatus.CANCELLED
    return o.status


@dataclass
class Recorded:
    """The outcomes a transaction wrote: their events, and per job the keys of the steps now completed."""

    events: list[Event] = field(default_factory=list)
    completed: dict[int, list[str]] = field(default_factory=dict)
    other: set[int] = field(default_factory=set)  # jobs with an outcome other than completed


def record_outcomes_txn(
    conn: Connection,
    outcomes: Sequence[StepOutcome],
    *,
    supervisor_id: str,
    now: float,
    locked: dict[int, Any],
) -> Recorded:
    """Write outcomes whose lease is still ours (a reclaimed step's late result is dropped)."""
    ours = _still_ours(conn, outcomes, supervisor_id) if outcomes else {}
    params, events, recorded = [], [], Recorded()
    for o in outcomes:
        row = ours.get(o.step_id)
        if row is None or row.attempts != o.attempt:
            continue
        status = _final_status(o, locked[o.job_id].status)
        finished = now if status not in (StepStatus.READY, StepStatus.ACTION_REQUIRED) else None
        params.append(
            {
                "b_id": o.step_id,
                "b_status": status.value,
                "b_result": o.result,
                "b_error": o.error,
                "b_next": o.next_attempt_at if status == StepStatus.READY else None,
                "b_finished": finished,
                "b_give_back": int(o.give_back_attempt),
                "b_request": o.request,
            }
        )
        events.append(
            Event(
                o.step_id,
                o.job_id,
                row.batch_id,
                row.organisation_id,
                supervisor_id,
                StepStatus.RUNNING.value,
                status.value,
                o.attempt,
                o.message or o.error,
            )
        )
        if status == StepStatus.COMPLETED:
            recorded.completed.setdefault(o.job_id, []).append(row.key)
        else:
            recorded.other.add(o.job_id)
    if params:
        update_grouped_txn(conn, _outcome_update, _outcomes_update, params)
    recorded.events = events
    return recorded


class _ConditionData:
    """The data a `when:` expression sees, loaded only if some step has a condition."""

    def __init__(self, conn: Connection, job: Any) -> None:
        self.conn, self.job = conn, job
        self._base: dict[str, Any] | None = None

    def for_step(self, params: dict[str, Any]) -> dict[str, Any]:
        if self._base is None:
            rest = self.conn.execute(select(restaurants).where(restaurants.c.id == self.job.restaurant_id))
            config = self.conn.execute(select(jobs.c.config).where(jobs.c.id == self.job.id)).scalar()
            done = self.conn.execute(
                select(steps.c.key, steps.c.result).where(
                    steps.c.job_id == self.job.id, steps.c.status == StepStatus.COMPLETED.value
                )
            )
            self._base = {
                "restaurant": dict(rest.one()._mapping),
                "config": config or {},
                "results": {r.key: r.result or {} for r in done},
            }
        return {**self._base, "params": params}


_NODE_COLS = (
    steps.c.id,
    steps.c.job_id,
    steps.c.key,
    steps.c.status,
    steps.c.note,
    steps.c.batch_id,
    steps.c.organisation_id,
    steps.c.attempts,
)

_relation_values: dict[str, Any] = dict(
    status=bindparam("b_status"),
    note=bindparam("b_note"),
    next_attempt_at=bindparam("b_next"),
    finished_at=bindparam("b_finished"),
)
_PENDING = steps.c.status == StepStatus.PENDING.value
_relation_update = update(steps).where(steps.c.id == bindparam("b_id"), _PENDING).values(**_relation_values)
_relations_update = per_dialect(
    lambda ids: update(steps).where(ids(steps.c.id), _PENDING).values(**_relation_values)
)


_load_rows_stmt = per_dialect(
    lambda ids: select(*_NODE_COLS).where(ids(steps.c.job_id)).order_by(steps.c.job_id, steps.c.position)
)
_load_pipelines_stmt = per_dialect(
    lambda ids: select(batches.c.id, batches.c.pipeline).where(ids(batches.c.id))
)


def _load_rows(conn: Connection, job_ids: Sequence[int]) -> dict[int, list[Any]]:
    """The changing part of each job's steps (status, note); the graph comes from the pipeline."""
    rows = conn.execute(_load_rows_stmt[_pg(conn)], {"ids": list(job_ids)}).all()
    by_job: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        by_job[r.job_id].append(r)
    return by_job


def _load_pipelines(conn: Connection, batch_ids: set[int]) -> dict[int, dict[str, _Spec]]:
    """Each batch's step specs by key: needs, after, when, critical, params (the same for every job).

    A batch's pipeline never changes once created, so it is cached on the database connection
    (``Connection.info`` lives as long as the physical connection to that one database).
    """
    cache: dict[int, dict[str, _Spec]] = conn.info.setdefault("regctl.pipelines", {})
    missing = [b for b in batch_ids if b not in cache]
    if missing:
        rows = conn.execute(_load_pipelines_stmt[_pg(conn)], {"ids": missing})
        cache.update({bid: {s["key"]: _Spec.of(s) for s in pipeline or []} for bid, pipeline in rows})
    return {b: cache[b] for b in batch_ids}


@dataclass(frozen=True)
class _Spec:
    """The static relations of one step key (from the batch's pipeline)."""

    needs: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    when: str | None = None
    critical: bool = True
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, s: dict[str, Any]) -> _Spec:
        return cls(
            tuple(s.get("needs") or ()),
            tuple(s.get("after") or ()),
            s.get("when"),
            bool(s.get("critical", True)),
            dict(s.get("params") or {}),
        )


def _sole_dependents(specs: dict[str, _Spec]) -> dict[str, tuple[str, ...] | None]:
    """Per key, the steps that wait on it ALONE (``needs``/``after`` just that key, no ``when``).

    Completing such a key makes exactly those steps ready, with nothing else to look at. None marks
    a key one of whose dependents has other relations or a condition: only the full resolution
    can tell what happens to it.
    """
    out: dict[str, tuple[str, ...] | None] = {key: () for key in specs}
    for key, spec in specs.items():
        relations = set(spec.needs) | set(spec.after)
        for dep in relations:
            before = out.get(dep, ())
            if before is not None:
                out[dep] = (*before, key) if len(relations) == 1 and not spec.when else None
    return out


def _sole(conn: Connection, batch_id: int, specs: dict[str, _Spec]) -> dict[str, tuple[str, ...] | None]:
    cache: dict[int, dict[str, tuple[str, ...] | None]] = conn.info.setdefault("regctl.sole", {})
    if batch_id not in cache:
        cache[batch_id] = _sole_dependents(specs)
    return cache[batch_id]


# ``(job_id, key) IN ((…), …)`` uses the (job_id, key) unique index on both databases (zipped
# ``unnest`` arrays on PostgreSQL were planned as a hash join over every pending step: slower).
_MAKE_READY = (
    update(steps)
    .where(tuple_(steps.c.job_id, steps.c.key).in_(bindparam("pairs", expanding=True)), _PENDING)
    .values(status=StepStatus.READY.value, note=None, next_attempt_at=bindparam("now"), finished_at=None)
    .returning(steps.c.id, steps.c.job_id, steps.c.batch_id, steps.c.organisation_id, steps.c.attempts)
)


def unlock_sole_dependents_txn(
    conn: Connection, locked: dict[int, Any], recorded: Recorded, *, actor: str, now: float
) -> tuple[Progress, set[int]]:
    """The common case of :func:`resolve_jobs_txn` in one UPDATE, without loading the jobs' steps.

    A running job whose only news is completed steps, each with dependents that wait on it alone,
    gets exactly those dependents ready and stays running: every other pending step's relations
    are unchanged, and were already settled by the transaction that last changed them. Returns
    the progress and the jobs settled here; the others still need :func:`resolve_jobs_txn`
    (a last step, a condition, a failure, a job not running, a dependent no longer pending).
    """
    pairs: list[tuple[int, str]] = []
    pipelines = _load_pipelines(conn, {locked[j].batch_id for j in recorded.completed})
    for job_id, keys in recorded.completed.items():
        job = locked[job_id]
        if job_id in recorded.other or job.status != JobStatus.RUNNING:
            continue
        sole = _sole(conn, job.batch_id, pipelines[job.batch_id])
        dependents = [sole.get(key) for key in keys]
        if all(dependents):  # neither None (other relations) nor () (perhaps the job's last step)
            pairs += [(job_id, d) for ds in dependents for d in ds or ()]
    return _make_ready_txn(conn, pairs, actor=actor, now=now)


def start_jobs_txn(
    conn: Connection, locked: dict[int, Any], *, actor: str, now: float
) -> tuple[Progress, set[int]]:
    """Just-admitted jobs in one UPDATE: the steps with no relations and no condition become ready.

    Nothing else can move yet (every other step waits on one of those), so a job with such a step
    is settled here and stays running; a pipeline whose first steps have conditions is resolved
    in full by :func:`resolve_jobs_txn`.
    """
    pipelines = _load_pipelines(conn, {job.batch_id for job in locked.values()})
    roots: dict[int, list[str]] = {}
    for batch_id, specs in pipelines.items():
        first = [(key, spec) for key, spec in specs.items() if not (spec.needs or spec.after)]
        roots[batch_id] = [] if any(spec.when for _, spec in first) else [key for key, _ in first]
    pairs = [(job_id, key) for job_id, job in locked.items() for key in roots[job.batch_id]]
    progress, touched = _make_ready_txn(conn, pairs, actor=actor, now=now)
    made = Counter(e.job_id for e in progress.events)
    # settled only where every first step was still pending (a fresh job), else resolved in full
    return progress, {job_id for job_id in touched if made[job_id] == len(roots[locked[job_id].batch_id])}


def _make_ready_txn(
    conn: Connection, pairs: list[tuple[int, str]], *, actor: str, now: float
) -> tuple[Progress, set[int]]:
    """Make these (job, key) steps ready if still pending; the jobs where one was."""
    progress = Progress()
    if not pairs:
        return progress, set()
    rows = conn.execute(_MAKE_READY, {"pairs": pairs, "now": now}).all()
    progress.newly_ready = len(rows)
    ready, pending = StepStatus.READY.value, StepStatus.PENDING.value
    progress.events = [
        Event(r.id, r.job_id, r.batch_id, r.organisation_id, actor, pending, ready, r.attempts) for r in rows
    ]
    return progress, {r.job_id for r in rows}


def _node(r: Any, spec: _Spec) -> StepNode:
    return StepNode(r.id, r.key, r.status, spec.needs, spec.after, spec.when, spec.critical, r.note)


def _resolve_job(
    conn: Connection,
    job: Any,
    rows: list[Any],
    specs: dict[str, _Spec],
    actor: str,
    now: float,
    out: tuple[list[dict[str, Any]], list[Event]],
) -> list[StepNode]:
    nodes = [_node(r, specs.get(r.key) or _Spec()) for r in rows]
    by_id = {r.id: r for r in rows}
    data = _ConditionData(conn, job)

    def condition(node: StepNode) -> bool:
        return evaluate_condition(node.when or "", data.for_step(specs[node.key].params))

    for ch in resolve(nodes, condition):
        r = by_id[ch.step_id]
        final = ch.new in (StepStatus.SKIPPED, StepStatus.FAILED)
        out[0].append(
            {
                "b_id": ch.step_id,
                "b_status": ch.new.value,
                "b_note": ch.note,
                "b_next": now if ch.new == StepStatus.READY else None,
                "b_finished": now if final else None,
            }
        )
        out[1].append(
            Event(
                ch.step_id,
                job.id,
                r.batch_id,
                r.organisation_id,
                actor,
                ch.old.value,
                ch.new.value,
                r.attempts,
                ch.note,
            )
        )
    return nodes


_job_values: dict[str, Any] = dict(
    status=bindparam("b_status"),
    updated_at=bindparam("b_now"),
    finished_at=bindparam("b_finished"),
    active=bindparam("b_active"),
)
_job_update = update(jobs).where(jobs.c.id == bindparam("b_id")).values(**_job_values)
_jobs_update = per_dialect(lambda ids: update(jobs).where(ids(jobs.c.id)).values(**_job_values))


def _job_status_change(job: Any, nodes: list[StepNode], now: float) -> dict[str, Any] | None:
    """The update of a job whose derived status changed, or None."""
    if job.status in (JobStatus.PENDING, JobStatus.CANCELLED):
        return None  # not admitted yet / cancelled: the status is not derived from steps
    new = derive_job_status((n.status, n.critical, skipped_by_failure(n)) for n in nodes)
    if new == JobStatus.RUNNING and job.status != JobStatus.RUNNING:
        new = JobStatus.PENDING  # answered out of `waiting`: back through admission (the one way in)
    if new == job.status:
        return None
    finished = new in FINISHED_JOB
    return {
        "b_id": job.id,
        "b_status": new.value,
        "b_now": now,
        "b_finished": now if finished else None,
        "b_active": None if finished else True,
    }


def resolve_jobs_txn(
    conn: Connection, locked: dict[int, Any], *, actor: str, now: float, refresh: bool = True
) -> Progress:
    """Unlock/skip/block pending steps of these (locked) jobs and store their derived status.

    With ``refresh`` the batches whose jobs changed status are re-derived here; the supervisor's
    cycle passes ``refresh=False`` and refreshes ``Progress.changed_batches`` itself, last, so the
    batch row lock is held only until its commit.
    """
    progress = Progress()
    if not locked:
        return progress
    by_job = _load_rows(conn, list(locked))
    pipelines = _load_pipelines(conn, {job.batch_id for job in locked.values()})
    out: tuple[list[dict[str, Any]], list[Event]] = ([], [])
    job_changes = []
    for job_id, job in locked.items():
        nodes = _resolve_job(conn, job, by_job.get(job_id, []), pipelines[job.batch_id], actor, now, out)
        change = _job_status_change(job, nodes, now)
        if change is not None:
            job_changes.append(change)
            progress.changed_batches.add(job.batch_id)
            progress.jobs_left_running += int(change["b_status"] != JobStatus.RUNNING)
    if out[0]:
        update_grouped_txn(conn, _relation_update, _relations_update, out[0])
    if job_changes:
        update_grouped_txn(conn, _job_update, _jobs_update, job_changes)
    progress.newly_ready = sum(1 for p in out[0] if p["b_status"] == StepStatus.READY.value)
    progress.events = out[1]
    if refresh and progress.changed_batches:
        refresh_batches_txn(conn, progress.changed_batches, now)
    return progress
