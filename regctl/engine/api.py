"""The library façade the commands call (library first, commands thin).

CONTRACT between the engine work (implements) and the CLI/review work (calls). Signatures may
grow keyword arguments; do not change what is here without telling the other side. Every function
takes a :class:`regctl.db.store.Store` (opened by :func:`open_store`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import threading

    from regctl.db.store import Store
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
    "supervise",
    "submit_batch",
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
    raise NotImplementedError


def open_store(url: str | None = None, *, upgrade: bool = False) -> Store:
    """Connect; with ``upgrade`` run migrations first (a new SQLite file is always upgraded)."""
    raise NotImplementedError


def submit_batch(store: Store, manifest: Manifest, *, actor: str) -> BatchRef:
    """Create the batch, its restaurants, jobs and steps — or resume the existing one of that name.

    Idempotent: the same manifest twice never duplicates jobs. A restaurant with an active job in
    another batch is refused with a UsageError naming both.
    """
    raise NotImplementedError


def supervise(store: Store, *, concurrency: int = 16, until_idle: bool = False,
              batch_id: int | None = None, sequential: bool = False,
              on_progress: Callable[[], None] | None = None,
              stop: threading.Event | None = None) -> RunSummary:
    """Claim and run ready steps until stopped (or, with ``until_idle``, until nothing is runnable)."""
    raise NotImplementedError


def cancel(store: Store, *, batch_id: int | None = None, job_id: int | None = None, actor: str) -> int:
    """Stop new claims at once and signal running steps; returns the number of steps cancelled."""
    raise NotImplementedError


def retry_job(store: Store, job_id: int, *, from_step: str | None = None, actor: str) -> int:
    """Make a failed job's failed/blocked (or, with from_step, that step and its dependents) ready."""
    raise NotImplementedError


def retry_failed(store: Store, batch_id: int, *, actor: str) -> int:
    raise NotImplementedError


def resume(store: Store, *, batch_id: int | None = None, concurrency: int = 16) -> RunSummary:
    """The nightly job: reclaim expired leases, make due retries ready, run until idle."""
    raise NotImplementedError


def exit_code(store: Store, batch_id: int) -> int:
    raise NotImplementedError
