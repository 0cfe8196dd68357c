"""The SQL of the ``decisions`` table (the audit of every answer), and the few reads review needs.

Each write has a ``_txn(conn)`` form so the engine's ``answer_step`` can insert the decision row in
the same transaction that finishes the step: the unique (step_id, attempt) constraint makes the
first answer win on both dialects, and the loser learns who won from :func:`decision_for_step_txn`.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from regctl.db.progress import lock_jobs_txn, resolve_jobs_txn, write_events_txn
from regctl.db.records import Event
from regctl.db.schema import batches, decisions, jobs, step_events, steps
from regctl.engine.graph import SKIPPED_BY_PERSON
from regctl.errors import DecisionError, NotFound

__all__ = [
    "DecisionKind",
    "DecisionRecord",
    "Via",
    "decision_for_step",
    "decision_for_step_txn",
    "decision_row",
    "decisions_for_job",
    "decisions_for_job_txn",
    "insert_decision_txn",
    "manual_outcome_txn",
    "notify_target_txn",
    "replace_request_txn",
    "step_decision_lock",
    "waiting_since",
]

JSON = dict[str, Any]


class DecisionKind(enum.StrEnum):
    ANSWER = "answer"  # an answer to an action_required step's request
    COMPLETE = "complete"  # a person did the step by hand (regctl complete)
    SKIP = "skip"  # a person declared the step not needed (regctl skip)


class Via(enum.StrEnum):
    REVIEW = "review"  # interactive `regctl review`
    DECIDE = "decide"  # `regctl decide JOB STEP --json`
    COMPLETE = "complete"  # `regctl complete`
    SKIP = "skip"  # `regctl skip`
    POLICY = "policy"  # a manifest policy, applied by the supervisor
    APPLY_TO_ALL = "apply-to-all"  # copied from another restaurant's answer in `regctl review`


@dataclass(frozen=True)
class DecisionRecord:
    """One row of the audit: who answered which step, when, what, and through which command."""

    id: int
    step_id: int
    job_id: int
    batch_id: int
    kind: DecisionKind
    answer: JSON | None
    note: str | None
    actor: str
    via: Via
    attempt: int
    at: float

    def to_json(self) -> JSON:
        return {"id": self.id, "step_id": self.step_id, "job_id": self.job_id, "batch_id": self.batch_id,
                "kind": self.kind.value, "answer": self.answer, "note": self.note, "actor": self.actor,
                "via": self.via.value, "attempt": self.attempt, "at": self.at}


def decision_row(*, kind: DecisionKind, actor: str, via: Via, answer: JSON | None = None,
                 note: str | None = None, at: float | None = None) -> JSON:
    """The ``decision`` dict handed to ``store.answer_step`` (ids and attempt are added there)."""
    return {"kind": kind.value, "answer": answer, "note": note, "actor": actor, "via": via.value,
            "at": time.time() if at is None else at}


def insert_decision_txn(conn: Connection, *, step_id: int, job_id: int, batch_id: int,
                        organisation_id: str, attempt: int, decision: JSON) -> bool:
    """Insert the decision; False (and nothing written) when the step's attempt is already answered."""
    values = {"step_id": step_id, "job_id": job_id, "batch_id": batch_id,
              "organisation_id": organisation_id, "attempt": attempt,
              "kind": decision["kind"], "answer": decision.get("answer"), "note": decision.get("note"),
              "actor": decision["actor"], "via": decision["via"], "at": decision.get("at", time.time())}
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(decisions).values(**values).on_conflict_do_nothing(
        index_elements=[decisions.c.step_id, decisions.c.attempt]).returning(decisions.c.id)
    return conn.execute(stmt).scalar_one_or_none() is not None


def decision_for_step_txn(conn: Connection, step_id: int,
                          attempt: int | None = None) -> DecisionRecord | None:
    """The decision of ``attempt`` (or the latest one) of a step."""
    query = select(decisions).where(decisions.c.step_id == step_id)
    if attempt is not None:
        query = query.where(decisions.c.attempt == attempt)
    row = conn.execute(query.order_by(decisions.c.attempt.desc()).limit(1)).mappings().first()
    return _record(row) if row is not None else None


def decisions_for_job_txn(conn: Connection, job_id: int) -> list[DecisionRecord]:
    """Every decision of a job, oldest first (the audit ``regctl show JOB`` lists)."""
    query = select(decisions).where(decisions.c.job_id == job_id).order_by(decisions.c.at, decisions.c.id)
    return [_record(row) for row in conn.execute(query).mappings()]


def notify_target_txn(conn: Connection, batch_id: int) -> tuple[str, JSON | None, int] | None:
    """(batch name, its manifest ``notify`` mapping, decisions it waits on), or None if no such batch."""
    row = conn.execute(select(batches.c.name, batches.c.notify).where(batches.c.id == batch_id)).first()
    if row is None:
        return None
    waiting = conn.execute(select(func.count()).select_from(steps).where(
        steps.c.batch_id == batch_id, steps.c.status == "action_required")).scalar_one()
    return str(row.name), row.notify, int(waiting)


def waiting_since(conn: Connection, step_ids: list[int]) -> dict[int, float]:
    """When each step last started waiting for a decision (its last move to action_required)."""
    if not step_ids:
        return {}
    rows = conn.execute(select(step_events.c.step_id, func.max(step_events.c.at))
                        .where(step_events.c.step_id.in_(step_ids),
                               step_events.c.to_status == "action_required")
                        .group_by(step_events.c.step_id)).all()
    return {int(step_id): float(at) for step_id, at in rows}


def replace_request_txn(conn: Connection, step_id: int, attempt: int, request: JSON) -> bool:
    """Store a new request on a still-waiting step (select_company's re-search asks again).

    False when the step is no longer waiting at that attempt (someone answered meanwhile).
    """
    stmt = update(steps).where(steps.c.id == step_id, steps.c.attempts == attempt,
                               steps.c.status == "action_required").values(request=request)
    return conn.execute(stmt).rowcount == 1


# A person may finish by hand any step that is not running or already finished.
MANUAL_FROM = frozenset({"pending", "ready", "action_required", "failed", "blocked", "cancelled"})
COMPLETED_BY_PERSON = "completed by hand"  # prefix of the note of a step a person completed


def manual_outcome_txn(conn: Connection, step_id: int, decision: JSON, *, now: float) -> None:
    """Complete or skip a step by hand (``decision["kind"]``), with its audit row; dependents proceed.

    Steps blocked behind it go back to pending so the graph re-resolves them. Raises
    DecisionError (the transaction rolls back) when the step cannot be finished by hand now.
    """
    job_id = conn.execute(select(steps.c.job_id).where(steps.c.id == step_id)).scalar()
    if job_id is None:
        raise NotFound(f"no step {step_id}")
    locked = lock_jobs_txn(conn, [job_id])
    row = conn.execute(select(steps).where(steps.c.id == step_id)).one()
    kind = DecisionKind(decision["kind"])
    if conn.execute(select(jobs.c.status).where(jobs.c.id == job_id)).scalar() == "cancelled":
        raise DecisionError(f"job {job_id} was cancelled; retry it first (`regctl retry {job_id}`) to "
                            f"{'complete' if kind is DecisionKind.COMPLETE else 'skip'} its steps")
    if row.status not in MANUAL_FROM:
        raise DecisionError(f"step {row.key!r} of job {job_id} is {row.status}; it cannot be "
                            f"{'completed' if kind is DecisionKind.COMPLETE else 'skipped'} by hand now")
    if not insert_decision_txn(conn, step_id=step_id, job_id=job_id, batch_id=row.batch_id,
                               organisation_id=row.organisation_id, attempt=row.attempts, decision=decision):
        raise DecisionError(f"step {row.key!r} of job {job_id} was just answered by someone else")
    new, prefix = (("completed", COMPLETED_BY_PERSON) if kind is DecisionKind.COMPLETE
                   else ("skipped", SKIPPED_BY_PERSON))
    note = f"{prefix} by {decision['actor']}: {decision.get('note') or ''}".rstrip(": ")
    conn.execute(update(steps).where(steps.c.id == step_id).values(
        status=new, note=note, error=None, finished_at=now, next_attempt_at=None, lease_owner=None,
        lease_expires_at=None, result={"by_hand": True, "note": decision.get("note")}))
    events = [_event(row, decision["actor"], row.status, new, note), *_unblock_txn(conn, job_id, decision)]
    progress = resolve_jobs_txn(conn, locked, actor=str(decision["actor"]), now=now)
    write_events_txn(conn, events + progress.events, now)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify('regctl', 'ready')"))


def _unblock_txn(conn: Connection, job_id: int, decision: JSON) -> list[Event]:
    blocked = conn.execute(select(steps).where(steps.c.job_id == job_id, steps.c.status == "blocked")).all()
    if blocked:
        conn.execute(update(steps).where(steps.c.id.in_([b.id for b in blocked])).values(
            status="pending", note=None))
    return [_event(b, decision["actor"], "blocked", "pending", "a step it needs was finished by hand")
            for b in blocked]


def _event(row: Any, actor: str, old: str, new: str, message: str) -> Event:
    return Event(row.id, row.job_id, row.batch_id, row.organisation_id, str(actor), old, new, row.attempts,
                 message)


_LOCK_SPACE = 0x7265  # first key of the two-key PostgreSQL advisory locks regctl takes for decisions


@contextlib.contextmanager
def step_decision_lock(engine: Engine, step_id: int) -> Iterator[None]:
    """Hold the right to answer ``step_id`` (blocking) across processes, for apply + answer_step.

    A step type's ``apply`` writes outside the step's transaction (e.g. the job's config), so two
    people answering at once must not both run it: the loser waits here, then finds the step
    answered. PostgreSQL: a session advisory lock per step; SQLite: an exclusive file lock beside
    the database file (all writers share one host there).
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            keys = {"space": _LOCK_SPACE, "step": step_id % 2**31}
            conn.execute(text("SELECT pg_advisory_lock(:space, :step)"), keys)
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:space, :step)"), keys)
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.decide-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def decision_for_step(engine: Engine, step_id: int, attempt: int | None = None) -> DecisionRecord | None:
    with engine.connect() as conn:
        return decision_for_step_txn(conn, step_id, attempt)


def decisions_for_job(engine: Engine, job_id: int) -> list[DecisionRecord]:
    with engine.connect() as conn:
        return decisions_for_job_txn(conn, job_id)


def _record(row: Any) -> DecisionRecord:
    return DecisionRecord(id=int(row["id"]), step_id=int(row["step_id"]), job_id=int(row["job_id"]),
                          batch_id=int(row["batch_id"]), kind=DecisionKind(row["kind"]),
                          answer=row["answer"], note=row["note"], actor=row["actor"], via=Via(row["via"]),
                          attempt=int(row["attempt"]), at=float(row["at"]))
