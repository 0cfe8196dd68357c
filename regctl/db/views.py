"""Fast read-only views for the command line (``regctl status``, the live progress of ``run``).

Same shape as :meth:`regctl.db.queries.Reads.batch_view`, built from plain row tuples instead of
row mappings: about three times faster on big batches, which matters because ``status --watch`` and
the progress view of ``regctl run`` read the whole batch several times a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from regctl.db.schema import batches, jobs, restaurants, steps
from regctl.errors import NotFound

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["batch_progress", "portal_drift"]

_BATCH = (batches.c.id, batches.c.name, batches.c.organisation_id, batches.c.target, batches.c.status,
          batches.c.total_jobs, batches.c.created_at, batches.c.started_at, batches.c.finished_at,
          batches.c.cancelled_at)
_JOB = (jobs.c.id, jobs.c.position, jobs.c.status, jobs.c.error, jobs.c.restaurant_id,
        restaurants.c.name.label("restaurant"))
_STEP = (steps.c.id, steps.c.key, steps.c.status, steps.c.attempts, steps.c.max_attempts, steps.c.error,
         steps.c.note, steps.c.started_at, steps.c.finished_at, steps.c.next_attempt_at)
_JOB_KEYS = tuple(c.name for c in _JOB)
_STEP_KEYS = tuple(c.name for c in _STEP)


def batch_progress(store: Store, batch_id: int) -> dict[str, Any]:
    """The batch (no manifest), a row per job in manifest order, each with its steps in pipeline order."""
    with store.engine.connect() as conn:
        batch = conn.execute(select(*_BATCH).where(batches.c.id == batch_id)).first()
        if batch is None:
            raise NotFound(f"no batch {batch_id}")
        job_rows = conn.execute(select(*_JOB).join(restaurants, restaurants.c.id == jobs.c.restaurant_id)
                                .where(jobs.c.batch_id == batch_id).order_by(jobs.c.position)).all()
        step_rows = conn.execute(select(steps.c.job_id, *_STEP).where(steps.c.batch_id == batch_id)
                                 .order_by(steps.c.job_id, steps.c.position)).all()
    by_job: dict[int, list[dict[str, Any]]] = {}
    for job_id, *values in step_rows:
        by_job.setdefault(job_id, []).append(dict(zip(_STEP_KEYS, values, strict=True)))
    job_list = []
    for row in job_rows:
        job = dict(zip(_JOB_KEYS, row, strict=True))
        job["steps"] = by_job.get(job["id"], [])
        job_list.append(job)
    return {**dict(batch._mapping), "jobs": job_list}


def portal_drift(store: Store, batch_id: int) -> list[dict[str, Any]]:
    """The portal-drift warnings browser steps of the batch recorded in their results
    (``result["portal_drift"]``, regctl.steps.browser_step): job id, step key, the warnings."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(steps.c.job_id, steps.c.key, steps.c.result)
                            .where(steps.c.batch_id == batch_id, steps.c.result.is_not(None))
                            .order_by(steps.c.job_id, steps.c.position)).all()
    return [{"job_id": job_id, "step": key, "warnings": list(result["portal_drift"])}
            for job_id, key, result in rows if isinstance(result, dict) and result.get("portal_drift")]
