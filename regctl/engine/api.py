"""The library façade the commands call (library first, commands thin).

CONTRACT between the engine work (implements) and the CLI/review work (calls). Signatures may
grow keyword arguments; do not change what is here without telling the other side. Every function
takes a :class:`regctl.db.store.Store` (opened by :func:`open_store`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regctl.engine.states import BatchStatus

if TYPE_CHECKING:
    from regctl.db.store import Store
    from regctl.engine.policy import Leases, RetryPolicy
    from regctl.manifest import Manifest

__all__ = [
    "BatchRef",
    "RunSummary",
    "cancel",
    "default_database_url",
    "exit_code",
    "open_store",
    "resume",
    "retry_failed",
    "retry_job",
    "submit_batch",
    "supervise",
]


@dataclass(frozen=True)
class BatchRef:
    id: int
    name: str
    created: bool  # False when the manifest resumed an existing batch
    jobs_created: int
    jobs_existing: int


@dataclass
class RunSummary:
    """What a supervise/run/resume call did, and the state it left."""

    steps_run: int = 0
    steps_completed: int = 0
    steps_failed: int = 0
    waiting_decisions: int = 0
    exit_code: int = 0  # SPEC §6: 0 done, 1 some jobs failed, 3 waiting on decisions, 4 cancelled
    batches: list[dict[str, Any]] = field(default_factory=list)


def default_database_url() -> str:
    """``REGCTL_DATABASE_URL``, else a SQLite file ``regctl.db`` in the working directory."""
    return os.environ.get("REGCTL_DATABASE_URL") or f"sqlite:///{Path.cwd() / 'regctl.db'}"


def _is_new_sqlite(url: str) -> bool:
    from regctl.db.connect import normalise_url

    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return False
    path = url.split(":///", 1)[-1]
    return path in ("", ":memory:") or not Path(path).exists() or Path(path).stat().st_size == 0


def open_store(url: str | None = None, *, upgrade: bool = False, organisation: str | None = None) -> Store:
    """Connect; with ``upgrade`` run migrations first (a new SQLite file is always upgraded).

    A database that is not migrated to the current revision is refused with a ConfigError naming
    ``regctl db upgrade``. Row-level security follows the connected role (docs/security.md).
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from regctl.db import migrate
    from regctl.db.connect import open_engine
    from regctl.db.store import Store
    from regctl.errors import ConfigError

    url = url or default_database_url()
    fresh = _is_new_sqlite(url)
    engine = open_engine(url, organisation=organisation)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        if upgrade or fresh:
            migrate.upgrade(engine)
        elif not migrate.is_current(engine):
            raise ConfigError(
                f"database {engine.url.render_as_string(hide_password=True)} is not migrated; "
                "run `regctl db upgrade`"
            )
    except ProgrammingError as exc:
        engine.dispose()
        if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
            raise
        raise ConfigError(f"database {shown}: this role may not use the regctl tables; the owner lets it "
                          "act for an organisation with `regctl db grant ORGANISATION ROLE`") from None
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise ConfigError(f"database {shown} is unreachable: {reason}") from None
    except Exception:
        engine.dispose()
        raise
    store = Store(engine, url)
    store.batch_listeners.append(_notify_batch_transition)
    return store


def _notify_batch_transition(*args: Any, **kwargs: Any) -> Any:
    """Webhooks of the manifest's ``notify:``; imported on a batch's first transition, not on every
    open (httpx and asyncio are a tenth of a read command's start-up)."""
    from regctl.review.notify import notify_batch_transition

    return notify_batch_transition(*args, **kwargs)


def submit_batch(store: Store, manifest: Manifest, *, actor: str, accept_changes: bool = False) -> BatchRef:
    """Create the batch, its restaurants, jobs and steps — or resume the existing one of that name.

    Idempotent: the same manifest twice never duplicates jobs. A restaurant with an active job in
    another batch is refused with a UsageError naming both; so are a cancelled batch and (unless
    ``accept_changes``) pipeline, execution or policy changes to an existing batch.
    """
    batch_id, created, made, existing = store.submit_batch(
        manifest, actor=actor, accept_changes=accept_changes
    )
    return BatchRef(
        id=batch_id, name=manifest.batch, created=created, jobs_created=made, jobs_existing=existing
    )


def supervise(
    store: Store,
    *,
    concurrency: int = 16,
    until_idle: bool = False,
    batch_id: int | None = None,
    sequential: bool = False,
    on_progress: Callable[[], None] | None = None,
    stop: threading.Event | None = None,
    retry: RetryPolicy | None = None,
    leases: Leases | None = None,
    poll: float | None = None,
) -> RunSummary:
    """Claim and run ready steps until stopped (or, with ``until_idle``, until nothing is runnable)."""
    from regctl.db.store import until_answered
    from regctl.engine.supervisor import Supervisor

    sup = Supervisor(
        store,
        concurrency=1 if sequential else concurrency,
        until_idle=until_idle,
        batch_id=batch_id,
        retry=retry,
        leases=leases,
        stop=stop,
        on_progress=on_progress,
        poll=poll,
    )
    stats = sup.run()
    # the supervisor survives a database restart; so must the summary it ends with
    return until_answered(lambda: _summary(store, batch_id, stats.run, stats.completed, stats.failed))


def _summary(store: Store, batch_id: int | None, run: int, completed: int, failed: int) -> RunSummary:
    waiting = len(store.waiting_steps(batch_id=batch_id))
    summary = RunSummary(
        steps_run=run, steps_completed=completed, steps_failed=failed, waiting_decisions=waiting
    )
    if batch_id is not None:
        row = store.batch_row(batch_id)
        summary.batches = [{"id": row["id"], "name": row["name"], "status": row["status"]}]
        summary.exit_code = exit_code(store, batch_id)
    return summary


def cancel(store: Store, *, batch_id: int | None = None, job_id: int | None = None, actor: str) -> int:
    """Stop new claims at once and signal running steps; returns the number of steps cancelled."""
    if (batch_id is None) == (job_id is None):
        raise ValueError("cancel needs exactly one of batch_id and job_id")
    return store.cancel(actor=actor, batch_id=batch_id, job_id=job_id)


def retry_job(store: Store, job_id: int, *, from_step: str | None = None, actor: str) -> int:
    """Make a failed job's failed/blocked (or, with from_step, that step and its dependents) ready."""
    return store.retry_job(job_id, actor=actor, from_step=from_step)


def retry_failed(store: Store, batch_id: int, *, actor: str) -> int:
    """Retry every failed job of the batch; returns the number of steps given a new try."""
    return store.retry_failed(batch_id, actor=actor)


def resume(store: Store, *, batch_id: int | None = None, concurrency: int = 16) -> RunSummary:
    """The nightly job: reclaim expired leases, make due retries ready, run until idle."""
    store.reclaim_expired(actor="resume")
    return supervise(store, concurrency=concurrency, until_idle=True, batch_id=batch_id)


_EXIT = {
    BatchStatus.COMPLETED: 0,
    BatchStatus.COMPLETED_WITH_WARNINGS: 0,
    BatchStatus.FAILED: 1,
    BatchStatus.WAITING: 3,
    BatchStatus.CANCELLED: 4,
}


def exit_code(store: Store, batch_id: int) -> int:
    """SPEC §6 for a batch: 0 done, 1 some jobs failed, 3 waiting on decisions, 4 cancelled.

    A batch still pending/running (e.g. retries scheduled later) counts as waiting (3).
    """
    status = BatchStatus(store.batch_row(batch_id)["status"])
    return _EXIT.get(status, 3)
