"""Batch-level events that belong to no step: a webhook delivered or not (regctl.review.notify).

They are step_events rows with ``step_id = job_id = 0`` and actor ``notify``, so ``regctl status``
and ``--json`` event listings show them beside the steps' own, under the batch's organisation.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, select

from regctl.db.schema import batches, step_events

__all__ = ["record_notification_txn"]


def record_notification_txn(conn: Connection, batch_id: int, event: str, delivered: bool, how: str) -> None:
    organisation = conn.execute(
        select(batches.c.organisation_id).where(batches.c.id == batch_id)
    ).scalar_one_or_none()
    if organisation is None:
        return
    conn.execute(step_events.insert().values(
        step_id=0, job_id=0, batch_id=batch_id, organisation_id=organisation, at=time.time(),
        actor="notify", from_status=None, to_status="notified" if delivered else "notify_failed",
        attempt=0, message=f"webhook ({event}): {how}",
    ))
