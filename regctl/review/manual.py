"""Manual outcomes: a person completed a step by hand in the portal, or declared it not needed.

``regctl complete`` / ``regctl skip`` record it like a decision (who, when, the note, which
command) and the job carries on: the steps that need it proceed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from regctl.db.decisions import (
    DecisionKind,
    DecisionRecord,
    Via,
    decision_for_step,
    decision_row,
    manual_outcome_txn,
)
from regctl.errors import UsageError
from regctl.review.decisions import ensure_exists

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["record_manual_outcome"]


def record_manual_outcome(store: Store, job_id: int, step_key: str, kind: DecisionKind, *, note: str,
                          actor: str) -> DecisionRecord:
    """Complete or skip ``step_key`` of job ``job_id`` by hand; the audit row it wrote."""
    if kind is DecisionKind.ANSWER:
        raise UsageError("a manual outcome is complete or skip")
    if not note.strip():
        raise UsageError("--note: say what was done by hand (or why the step is not needed)")
    step_id = ensure_exists(store, job_id, step_key)
    via = Via.COMPLETE if kind is DecisionKind.COMPLETE else Via.SKIP
    decision = decision_row(kind=kind, actor=actor, via=via, note=note.strip())
    store.transact(lambda conn: manual_outcome_txn(conn, step_id, decision, now=time.time()))
    recorded = decision_for_step(store.engine, step_id)
    assert recorded is not None
    return recorded
