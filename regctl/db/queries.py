"""Read-only views of batches, jobs, steps, events and supervisors, for commands and the engine.

Every method returns plain dicts/lists (JSON-able), so ``--json`` output is a dump of them.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from regctl.db.schema import batches, decisions, jobs, restaurants, step_events, steps, supervisors
from regctl.engine.states import StepStatus
from regctl.errors import NotFound, UsageError

__all__ = ["Reads"]

_STEP_BRIEF = (
    steps.c.id,
    steps.c.job_id,
    steps.c.key,
    steps.c.uses,
    steps.c.kind,
    steps.c.status,
    steps.c.attempts,
    steps.c.max_attempts,
    steps.c.error,
    steps.c.note,
    steps.c.started_at,
    steps.c.finished_at,
    steps.c.next_attempt_at,
    steps.c.lease_owner,
)


def _dicts(rows: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in rows]


class Reads:
    """Mixed into :class:`regctl.db.store.Store`."""

    engine: Engine

    def _read(self) -> Connection:
        return self.engine.connect()

    def find_batch(self, ref: str | int) -> dict[str, Any]:
        """A batch by id or by name (the most recent of that name).

        Names are unique per organisation: a name that two organisations use (visible together only to
        the tables' owner) is refused as ambiguous rather than acting on whichever came first.
        """
        cond = batches.c.id == int(ref) if str(ref).isdigit() else batches.c.name == str(ref)
        with self._read() as conn:
            rows = conn.execute(select(batches).where(cond).order_by(batches.c.id.desc())).all()
        if not rows:
            raise NotFound(f"no batch {ref!r}")
        organisations = sorted({r.organisation_id for r in rows})
        if len(organisations) > 1:
            ids = ", ".join(f"{r.id} ({r.organisation_id})" for r in rows)
            raise UsageError(f"batch name {ref!r} is used by {len(organisations)} organisations; "
                             f"name it by id: {ids}")
        return dict(rows[0]._mapping)

    def find_job(self, job_id: int) -> dict[str, Any]:
        with self._read() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        if row is None:
            raise NotFound(f"no job {job_id}")
        return dict(row._mapping)

    def list_batches(self) -> list[dict[str, Any]]:
        cols = (
            batches.c.id,
            batches.c.name,
            batches.c.organisation_id,
            batches.c.target,
            batches.c.status,
            batches.c.total_jobs,
            batches.c.created_at,
            batches.c.finished_at,
        )
        with self._read() as conn:
            out = _dicts(conn.execute(select(*cols).order_by(batches.c.id)))
            counts = conn.execute(
                select(jobs.c.batch_id, jobs.c.status, func.count()).group_by(jobs.c.batch_id, jobs.c.status)
            ).all()
        by_id = {b["id"]: b for b in out}
        for b in out:
            b["jobs_by_status"] = {}
        for bid, status, n in counts:
            by_id[bid]["jobs_by_status"][status] = n
        return out

    def batch_view(self, batch_id: int) -> dict[str, Any]:
        """The batch, a row per job (restaurant name, status) and each job's steps, in order."""
        with self._read() as conn:
            batch = conn.execute(select(batches).where(batches.c.id == batch_id)).first()
            if batch is None:
                raise NotFound(f"no batch {batch_id}")
            job_rows = _dicts(
                conn.execute(
                    select(
                        jobs.c.id,
                        jobs.c.position,
                        jobs.c.status,
                        jobs.c.error,
                        jobs.c.restaurant_id,
                        restaurants.c.name.label("restaurant"),
                    )
                    .join(restaurants, restaurants.c.id == jobs.c.restaurant_id)
                    .where(jobs.c.batch_id == batch_id)
                    .order_by(jobs.c.position)
                )
            )
            step_rows = _dicts(
                conn.execute(
                    select(*_STEP_BRIEF)
                    .where(steps.c.batch_id == batch_id)
                    .order_by(steps.c.job_id, steps.c.position)
                )
            )
        by_job: dict[int, list[dict[str, Any]]] = {j["id"]: [] for j in job_rows}
        for s in step_rows:
            by_job[s["job_id"]].append(s)
        for j in job_rows:
            j["steps"] = by_job[j["id"]]
        return {**dict(batch._mapping), "jobs": job_rows}

    def job_view(self, job_id: int) -> dict[str, Any]:
        """A job with its restaurant, every step (results, errors, requests), events and decisions."""
        job = self.find_job(job_id)
        with self._read() as conn:
            rest = conn.execute(select(restaurants).where(restaurants.c.id == job["restaurant_id"])).one()
            batch = conn.execute(
                select(batches.c.name, batches.c.status).where(batches.c.id == job["batch_id"])
            ).one()
            job["restaurant"] = dict(rest._mapping)
            job["batch"] = {"id": job["batch_id"], "name": batch.name, "status": batch.status}
            job["steps"] = _dicts(
                conn.execute(select(steps).where(steps.c.job_id == job_id).order_by(steps.c.position))
            )
            job["events"] = _dicts(
                conn.execute(
                    select(step_events).where(step_events.c.job_id == job_id).order_by(step_events.c.id)
                )
            )
            job["decisions"] = _dicts(
                conn.execute(select(decisions).where(decisions.c.job_id == job_id).order_by(decisions.c.id))
            )
        return job

    def events(self, *, batch_id: int | None = None, job_id: int | None = None) -> list[dict[str, Any]]:
        stmt = select(step_events).order_by(step_events.c.id)
        if batch_id is not None:
            stmt = stmt.where(step_events.c.batch_id == batch_id)
        if job_id is not None:
            stmt = stmt.where(step_events.c.job_id == job_id)
        with self._read() as conn:
            return _dicts(conn.execute(stmt))

    def batches_with_policies(self, batch_id: int | None = None) -> dict[int, dict[str, Any]]:
        """Policies by batch id, of the live batches whose manifest names any."""
        stmt = select(batches.c.id, batches.c.policies).where(batches.c.cancelled_at.is_(None))
        if batch_id is not None:
            stmt = stmt.where(batches.c.id == batch_id)
        with self._read() as conn:
            return {row.id: dict(row.policies) for row in conn.execute(stmt) if row.policies}

    def waiting_steps(
        self, *, batch_id: int | None = None, job_id: int | None = None, key: str | None = None
    ) -> list[dict[str, Any]]:
        """Steps waiting for a decision.

        Each: step_id, job_id, batch_id, key, uses, attempt, request, restaurant (name), restaurant_id.
        """
        stmt = (
            select(
                steps.c.id.label("step_id"),
                steps.c.job_id,
                steps.c.batch_id,
                steps.c.key,
                steps.c.uses,
                steps.c.attempts.label("attempt"),
                steps.c.request,
                restaurants.c.name.label("restaurant"),
                jobs.c.restaurant_id,
            )
            .join(jobs, jobs.c.id == steps.c.job_id)
            .join(restaurants, restaurants.c.id == jobs.c.restaurant_id)
            .where(steps.c.status == StepStatus.ACTION_REQUIRED.value)
            .order_by(jobs.c.batch_id, jobs.c.position, steps.c.position)
        )
        for col, value in ((steps.c.batch_id, batch_id), (steps.c.job_id, job_id), (steps.c.key, key)):
            if value is not None:
                stmt = stmt.where(col == value)
        with self._read() as conn:
            return _dicts(conn.execute(stmt))

    def step_row(self, step_id: int) -> dict[str, Any]:
        with self._read() as conn:
            row = conn.execute(select(steps).where(steps.c.id == step_id)).first()
        if row is None:
            raise NotFound(f"no step {step_id}")
        return dict(row._mapping)

    def step_id_for(self, job_id: int, key: str) -> int:
        with self._read() as conn:
            found = conn.execute(
                select(steps.c.id).where(steps.c.job_id == job_id, steps.c.key == key)
            ).scalar()
        if found is None:
            raise NotFound(f"job {job_id} has no step {key!r}")
        return int(found)

    def batch_row(self, batch_id: int) -> dict[str, Any]:
        with self._read() as conn:
            row = conn.execute(select(batches).where(batches.c.id == batch_id)).first()
        if row is None:
            raise NotFound(f"no batch {batch_id}")
        return dict(row._mapping)

    def job_data(self, job_id: int) -> dict[str, Any]:
        """``{"restaurant": …, "config": …, "results": {key: result}}`` of a job (what a step sees)."""
        with self._read() as conn:
            job = conn.execute(select(jobs.c.restaurant_id, jobs.c.config).where(jobs.c.id == job_id)).one()
            rest = conn.execute(select(restaurants).where(restaurants.c.id == job.restaurant_id)).one()
            done = conn.execute(
                select(steps.c.key, steps.c.result).where(
                    steps.c.job_id == job_id, steps.c.status == StepStatus.COMPLETED.value
                )
            ).all()
        return {
            "restaurant": dict(rest._mapping),
            "config": job.config or {},
            "results": {k: r or {} for k, r in done},
        }

    def runnable(self, *, batch_id: int | None = None) -> int:
        """Steps that are ready (now or later) or running, plus jobs not yet admitted — never those
        of a cancelled batch, which takes no work (else `resume --all` would wait on them forever)."""
        live = select(batches.c.id).where(batches.c.cancelled_at.is_(None))
        step_q = select(func.count()).where(
            steps.c.status.in_([StepStatus.READY.value, StepStatus.RUNNING.value]), steps.c.batch_id.in_(live)
        )
        job_q = select(func.count()).where(jobs.c.status == "pending", jobs.c.batch_id.in_(live))
        if batch_id is not None:
            step_q, job_q = (
                step_q.where(steps.c.batch_id == batch_id),
                job_q.where(jobs.c.batch_id == batch_id),
            )
        with self._read() as conn:
            return int(conn.execute(step_q).scalar_one()) + int(conn.execute(job_q).scalar_one())

    def live_supervisors(self, *, max_age: float = 60.0) -> list[dict[str, Any]]:
        cutoff = time.time() - max_age
        with self._read() as conn:
            return _dicts(
                conn.execute(
                    select(supervisors)
                    .where(supervisors.c.stopped_at.is_(None), supervisors.c.heartbeat_at >= cutoff)
                    .order_by(supervisors.c.started_at)
                )
            )
