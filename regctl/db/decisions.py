"""The SQL of the ``decisions`` table (the audit of every answer), and the few reads review needs.

Each write has a ``_txn(conn)`` form so the engine's ``answer_step`` can insert the decision row in
the same transaction that finishes the step: the unique (step_id, attempt) constraint makes the
first answer win on both dialects, and the loser learns who won from :func:`decision_for_step_txn`.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from regctl.db.schema import batches, decisions, steps

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
    "notify_target_txn",
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
        index_elements=[decisions.c.step_id, decisions.c.attempt])
    return conn.execute(stmt).rowcount == 1


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
