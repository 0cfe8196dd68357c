"""Recording a step's artifacts (failure screenshots, Playwright traces, built CSV files).

One small write and one read on the ``artifacts`` table, so `regctl show` can list what a failed
attempt left behind. Steps call it with the facts a StepContext carries (job id, step key, attempt);
the step's row id is looked up here.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from regctl.db.connect import normalise_url
from regctl.db.schema import artifacts, steps

__all__ = ["Artifact", "artifacts_of_job", "record_artifact"]

_engines: dict[str, sa.Engine] = {}


def _open(url: str) -> sa.Engine:
    """An engine for the step's database (psycopg 3 on PostgreSQL; SQLite waits for its lock).

    The URL is the store's as the operator gave it: ``--db demo.db`` (a bare path) means SQLite.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    return sa.create_engine(url, pool_size=2, max_overflow=4)
_lock = threading.Lock()


@dataclass(frozen=True)
class Artifact:
    step_key: str
    attempt: int
    kind: str  # screenshot, trace, csv, …
    path: str
    created_at: float


def _engine(database_url: str) -> sa.Engine:
    with _lock:
        if database_url not in _engines:
            _engines[database_url] = _open(database_url)
        return _engines[database_url]


def record_artifact(database_url: str, *, job_id: int, step_key: str, attempt: int, kind: str,
                    path: Path | str) -> None:
    """Add one artifact row for the step ``step_key`` of ``job_id``; silently nothing if the step is gone.

    The file is made readable by its owner only (0600): a screenshot or trace shows a customer's data.
    """
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    with _engine(database_url).begin() as conn:
        step_id = conn.execute(sa.select(steps.c.id).where(steps.c.job_id == job_id,
                                                           steps.c.key == step_key)).scalar()
        if step_id is None:
            return
        conn.execute(artifacts.insert().values(step_id=step_id, job_id=job_id, attempt=attempt, kind=kind,
                                               path=str(path), created_at=time.time()))


def artifacts_of_job(database_url: str, job_id: int) -> list[Artifact]:
    """Every artifact of a job, oldest first, with the key of the step that made it."""
    query = (sa.select(steps.c.key, artifacts.c.attempt, artifacts.c.kind, artifacts.c.path,
                       artifacts.c.created_at)
             .join(steps, steps.c.id == artifacts.c.step_id)
             .where(artifacts.c.job_id == job_id).order_by(artifacts.c.id))
    with _engine(database_url).connect() as conn:
        return [Artifact(*row) for row in conn.execute(query)]
