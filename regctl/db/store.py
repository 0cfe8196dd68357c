"""The store: every read and write of the engine tables, as intent-named methods.

Each public method runs one transaction (retried on a deadlock or a busy SQLite file); the work
itself lives in ``*_txn(conn, …)`` functions (here and in claim/progress/submit/limits/queries) so
several compose in one transaction. Only this package touches SQL.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from sqlalchemy import Connection, Engine, exc, func, select, text, update

from regctl.db import queries
from regctl.db.batch_status import BATCH_TRANSITIONS, refresh_batches_txn
from regctl.db.fence import StartFence
from regctl.db.schema import jobs, steps, supervisors
from regctl.engine.states import StepStatus
from regctl.errors import UsageError

if TYPE_CHECKING:
    from regctl.db.plan import Plan
    from regctl.db.records import ClaimedStep, StepOutcome
    from regctl.manifest import Manifest

# The write side (claim, admission, progress, plan, submit, transitions, limits) is imported by the
# methods that write, not here: the read commands (`regctl status`) open a Store too, and a fresh
# process should not pay for the engine's modules to print a table (issue 15).

__all__ = ["NOTIFY_CHANNEL", "Cycle", "Store", "connection_lost", "describe_db_error", "until_answered"]

log = logging.getLogger(__name__)

T = TypeVar("T")
NOTIFY_CHANNEL = "regctl"
_ATTEMPTS = 8
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 10.0  # seconds between tries while the database connection is lost
LOST_CLAIM = "released: claim lost with the connection"


@dataclass
class Cycle:
    """What one record-and-claim transaction did."""

    claimed: list[ClaimedStep] = field(default_factory=list)
    recorded: int = 0
    jobs_finished: int = 0
    admitted: int = 0  # steps made ready by admitting jobs; claimed by the next turn, not this one
    refused: bool = False  # the start fence was refused (PostgreSQL: a cancel holds or awaits it): no claim


def _transient(error: exc.DBAPIError) -> bool:
    code = getattr(error.orig, "sqlstate", None)
    return code in ("40P01", "40001") or "database is locked" in str(error.orig)


# SQLSTATE classes/codes meaning "the connection or the server went away" (PostgreSQL).
_LOST_STATES = ("08", "57P01", "57P02", "57P03")


def connection_lost(error: BaseException) -> bool:
    """True when ``error`` means the database connection was lost (server restart, backend killed).

    Such errors are transient: the same work succeeds once the database answers again. Other
    errors (bad SQL, constraint violations, a missing SQLite table) are not.
    """
    if not isinstance(error, exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    code = getattr(error.orig, "sqlstate", None)
    if code is not None:
        return any(code.startswith(state) for state in _LOST_STATES)
    # psycopg reports a refused or dropped connection as OperationalError without a SQLSTATE
    return isinstance(error, exc.OperationalError) and type(error.orig).__module__.startswith("psycopg")


def until_answered(call: Callable[[], T], *, give_up_after: float = 300.0) -> T:
    """``call()``, called again with backoff (BACKOFF_FIRST doubling to BACKOFF_MAX s) while the
    connection is lost (the supervisor's own calls back off the same way, on its event loop).

    For reads outside a supervisor's loop that must survive a database restart, e.g. the summary a
    supervisor prints when it stops. Other errors, and a loss longer than ``give_up_after``
    seconds, are raised.
    """
    delay, deadline, warned = BACKOFF_FIRST, time.monotonic() + give_up_after, False
    while True:
        try:
            return call()
        except Exception as error:
            if not connection_lost(error) or time.monotonic() + delay > deadline:
                raise
            if not warned:
                log.warning("database connection lost (%s); retrying", describe_db_error(error))
                warned = True
        time.sleep(delay)
        delay = min(delay * 2, BACKOFF_MAX)


def describe_db_error(error: BaseException) -> str:
    """A one-line description of a database error without SQL parameters or connection strings."""
    orig = getattr(error, "orig", None) or error
    first = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__name__}: {first[:200]}"


ANALYZE_AFTER_JOBS = 50  # a submission creating this many jobs refreshes the planner's statistics
_OWNS_STEPS = text(
    "SELECT pg_has_role((SELECT relowner FROM pg_class"
    " WHERE oid = 'registration_job_steps'::regclass), 'USAGE')"
)

# the ``start`` hook of Store.cycle: starts the claimed steps and returns once their code has begun
Starter: TypeAlias = "Callable[[list[ClaimedStep]], None]"


def notify_txn(conn: Connection, payload: str) -> None:
    """Wake idle supervisors (PostgreSQL; SQLite supervisors poll)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": NOTIFY_CHANNEL, "p": payload})


class Store(queries.Reads):
    """The database of one regctl installation (SQLite file or PostgreSQL)."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        # Called as listener(store, batch_id, old_status, new_status) after a commit that changed a
        # batch's status (e.g. the webhook notifications). A listener must not raise.
        self.batch_listeners: list[Callable[[Store, int, str | None, str], object]] = []

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()

    def transact(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(conn)`` in one transaction, retrying deadlocks and busy-file errors."""
        for attempt in range(_ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    conn.info.pop(BATCH_TRANSITIONS, None)  # left over from a rolled-back attempt
                    result = work(conn)
                    changes = conn.info.pop(BATCH_TRANSITIONS, None)
            except exc.DBAPIError as error:
                if attempt == _ATTEMPTS - 1 or not _transient(error):
                    raise
                time.sleep(0.01 * 2**attempt)
                continue
            if changes:
                self._announce(changes)
            return result
        raise AssertionError("unreachable")

    def _announce(self, changes: list[tuple[int, str | None, str]]) -> None:
        for batch_id, old, new in changes:
            for listener in self.batch_listeners:
                try:
                    listener(self, batch_id, old, new)
                except Exception:  # a listener (a notification) must never fail the run
                    log.warning("batch %s status listener failed", batch_id, exc_info=True)

    # ------------------------------------------------------------ batches ----------------------

    def submit_batch(
        self, manifest: Manifest, *, actor: str, accept_changes: bool = False
    ) -> tuple[int, bool, int, int]:
        """Create or resume the manifest's batch. Pipeline, execution or policy changes to an existing
        batch raise UsageError (nothing written) unless ``accept_changes``."""

        from regctl.db.plan import accept_changes_txn, plan_txn
        from regctl.db.submit import submit_batch_txn

        def work(conn: Connection) -> tuple[int, bool, int, int]:
            plan = plan_txn(conn, manifest)
            if plan.refused_changes and not plan.cancelled:
                if not accept_changes:
                    raise UsageError(
                        f"the manifest changes the pipeline, execution or policies of batch "
                        f"{manifest.batch!r}: see `regctl plan MANIFEST`; run with --accept-changes to apply "
                        f"them, or give the manifest a new `batch:` name"
                    )
                accept_changes_txn(conn, manifest, now=time.time())
            made = submit_batch_txn(conn, manifest, actor=actor, now=time.time())
            notify_txn(conn, "batch")
            return made

        made = self.transact(work)
        if made[2] >= ANALYZE_AFTER_JOBS:
            self._analyze()
        return made

    def _analyze(self) -> None:
        """Refresh the planner's statistics of the engine tables after a large submission (PostgreSQL,
        as their owner; best effort). Autovacuum would, within a minute or so — meanwhile plans made
        for the tables as they were (say, empty) read every pending step on each turn."""
        if not self.is_postgres:
            return
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                owner = conn.execute(_OWNS_STEPS).scalar()
                if owner:
                    conn.execute(text(f"ANALYZE {jobs.name}, {steps.name}"))
        except exc.DBAPIError as error:
            log.info("statistics not refreshed after the submission: %s", describe_db_error(error))

    def plan(self, manifest: Manifest) -> Plan:
        """What running ``manifest`` would change (read-only)."""
        from regctl.db.plan import plan_txn

        with self._read() as conn:
            return plan_txn(conn, manifest)

    def cancel(self, *, actor: str, batch_id: int | None = None, job_id: int | None = None) -> int:
        """Cancel a batch or job; returns once every step that started before it is running (the
        start fence: :mod:`regctl.db.fence`), so none of its steps starts afterwards."""

        from regctl.db.transitions import cancel_txn

        def work(conn: Connection) -> int:
            StartFence.exclusive_txn(conn)  # PostgreSQL: first, before any row lock
            return cancel_txn(conn, actor=actor, batch_id=batch_id, job_id=job_id, now=time.time())

        with StartFence(self.engine).exclusive():  # SQLite: around the whole transaction
            return self.transact(work)

    def retry_job(self, job_id: int, *, actor: str, from_step: str | None = None) -> int:
        from regctl.db.transitions import retry_job_txn

        return self.transact(
            lambda c: retry_job_txn(c, job_id, actor=actor, from_step=from_step, now=time.time())
        )

    def retry_failed(self, batch_id: int, *, actor: str) -> int:
        from regctl.db.transitions import retry_failed_txn

        return self.transact(lambda c: retry_failed_txn(c, batch_id, actor=actor, now=time.time()))

    # ------------------------------------------------------------ the supervisor cycle ---------

    def cycle(
        self,
        outcomes: Sequence[StepOutcome],
        *,
        supervisor_id: str,
        claim: int,
        lease: float,
        batch_id: int | None = None,
        admit: bool = False,
        keep: Collection[int] | None = None,
        start: Starter | None = None,
        fence: StartFence | None = None,
    ) -> Cycle:
        """Record outcomes, unlock dependents, admit jobs and claim up to ``claim`` steps: ONE transaction.

        ``keep``: when given (after a lost connection, when an earlier claim may have committed
        unseen), every step we hold a lease on except these is handed back before claiming.
        ``start``: called with the claimed steps once the transaction has committed (they are on
        record as running, their attempt spent); it returns once their code has begun. With a
        ``fence`` (the supervisor's :class:`~regctl.db.fence.StartFence`) a claiming turn holds it
        shared from before the transaction until then, so a `cancel` (which holds it exclusively)
        returns only after those steps began, and no step starts after `regctl cancel` returned.
        """
        if not (claim > 0 and start is not None):
            return self.transact(
                lambda c: self._cycle_txn(c, outcomes, supervisor_id, claim, lease, batch_id, admit, keep)
            )
        with fence.starting() if fence is not None else contextlib.nullcontext(True) as held:
            if not held:  # a cancel holds the fence or waits for it (PostgreSQL): claim next turn
                claim = 0
            cycle = self.transact(
                lambda c: self._cycle_txn(c, outcomes, supervisor_id, claim, lease, batch_id, admit, keep)
            )
            cycle.refused = not held
            start(cycle.claimed)
        return cycle

    def _cycle_txn(
        self,
        conn: Connection,
        outcomes: Sequence[StepOutcome],
        sid: str,
        claim: int,
        lease: float,
        batch_id: int | None,
        admit: bool,
        keep: Collection[int] | None = None,
    ) -> Cycle:
        from regctl.db.admission import admit_jobs_txn
        from regctl.db.progress import (
            lock_jobs_txn,
            record_outcomes_txn,
            resolve_jobs_txn,
            unlock_sole_dependents_txn,
            write_events_txn,
        )
        from regctl.db.records import Event
        from regctl.db.transitions import release_leases_txn

        now = time.time()
        events: list[Event] = []
        ready = finished = 0
        changed: set[int] = set()
        if outcomes:
            locked = lock_jobs_txn(conn, {o.job_id for o in outcomes})
            written = record_outcomes_txn(conn, outcomes, supervisor_id=sid, now=now, locked=locked)
            fast, settled = unlock_sole_dependents_txn(conn, locked, written, actor=sid, now=now)
            rest = {job_id: job for job_id, job in locked.items() if job_id not in settled}
            progress = resolve_jobs_txn(conn, rest, actor=sid, now=now, refresh=False)
            events = written.events + fast.events + progress.events
            ready, finished = fast.newly_ready + progress.newly_ready, progress.jobs_left_running
            changed |= progress.changed_batches
        recorded = len(events)
        started = 0
        if admit or finished:
            admitted = admit_jobs_txn(conn, actor=sid, now=now, batch_id=batch_id)
            events += admitted.events
            ready += admitted.newly_ready
            started = admitted.newly_ready
            changed |= admitted.changed_batches
        if keep is not None:
            release_leases_txn(conn, sid, now=now, keep=keep, reason=LOST_CLAIM)
        # Admitting jobs is batch set-up (a few ms per hundred restaurants): commit it on its own and
        # claim in the next transaction, so claims never wait on it and every supervisor, woken by
        # the NOTIFY below, competes for the new steps on equal terms.
        claimed, unlogged = ([], []) if started else self._claim_txn(conn, sid, claim, now, lease, batch_id)
        events += [
            Event(
                c.id,
                c.job_id,
                c.batch_id,
                c.organisation_id,
                sid,
                StepStatus.READY.value,
                StepStatus.RUNNING.value,
                c.attempt,
            )
            for c in unlogged
        ]
        write_events_txn(conn, events, now)
        refresh_batches_txn(conn, changed, now)  # last: the batch row lock is held only to commit
        if ready > len(claimed):
            notify_txn(conn, "ready")
        return Cycle(claimed=claimed, recorded=recorded, jobs_finished=finished, admitted=started)

    @staticmethod
    def _claim_txn(
        conn: Connection, sid: str, limit: int, now: float, lease: float, batch_id: int | None
    ) -> tuple[list[ClaimedStep], list[ClaimedStep]]:
        """The steps claimed, and those of them whose events are still to be written."""
        from regctl.db.claim import claim_ready_txn, claims_log_events
        from regctl.db.limits import claim_limited_txn

        until, logged = now + lease, claims_log_events(conn)
        claimed = claim_ready_txn(
            conn, supervisor_id=sid, limit=limit, now=now, lease_until=until, batch_id=batch_id,
            log_events=logged,
        )
        unlogged = [] if logged else list(claimed)
        if len(claimed) < limit:
            limited = claim_limited_txn(
                conn, supervisor_id=sid, limit=limit - len(claimed), now=now, lease_until=until,
                batch_id=batch_id,
            )
            claimed, unlogged = claimed + limited, unlogged + limited
        return claimed, unlogged

    # ------------------------------------------------------------ leases and supervisors -------

    def register_supervisor(
        self, sid: str, *, host: str, pid: int, concurrency: int, batch_id: int | None = None
    ) -> None:
        now = time.time()
        self.transact(
            lambda c: c.execute(
                supervisors.insert().values(
                    id=sid,
                    host=host,
                    pid=pid,
                    concurrency=concurrency,
                    started_at=now,
                    heartbeat_at=now,
                    batch_id=batch_id,
                )
            )
        )

    def heartbeat(
        self, sid: str, *, lease: float, held: Collection[int] = ()
    ) -> tuple[list[int], list[int]]:
        """Renew our leases. Returns our running steps whose job was cancelled, and those of ``held``
        (the steps we run) whose lease is no longer ours (another supervisor reclaimed it)."""

        def work(conn: Connection) -> tuple[list[int], list[int]]:
            now = time.time()
            conn.execute(update(supervisors).where(supervisors.c.id == sid).values(heartbeat_at=now))
            ours = (steps.c.lease_owner == sid) & (steps.c.status == StepStatus.RUNNING.value)
            conn.execute(update(steps).where(ours).values(lease_expires_at=now + lease))
            rows = conn.execute(
                select(steps.c.id, jobs.c.status).join(jobs, jobs.c.id == steps.c.job_id).where(ours)
            ).all()
            cancelled = [r.id for r in rows if r.status == "cancelled"]
            still = {r.id for r in rows}
            return cancelled, [step_id for step_id in held if step_id not in still]

        return self.transact(work)

    def stop_supervisor(self, sid: str) -> int:
        """Give back the leases we still hold (not a failed attempt) and mark us stopped."""

        from regctl.db.transitions import release_leases_txn

        def work(conn: Connection) -> int:
            released = release_leases_txn(conn, sid, now=time.time())
            conn.execute(update(supervisors).where(supervisors.c.id == sid).values(stopped_at=time.time()))
            return released

        return self.transact(work)

    def reclaim_expired(self, *, actor: str) -> int:
        from regctl.db.transitions import reclaim_expired_txn

        return self.transact(lambda c: reclaim_expired_txn(c, actor=actor, now=time.time()))

    def next_lease_expiry(self, sid: str) -> float | None:
        """When the first lease held by another supervisor runs out (``time.time()`` seconds), if any.

        A supervisor reclaims at that moment instead of at its next heartbeat, so the steps of a
        supervisor that died just before ``regctl resume`` started run as soon as their lease allows.
        """
        held_by_others = (
            steps.c.status == StepStatus.RUNNING.value,
            steps.c.lease_owner != sid,
        )
        with self._read() as conn:
            return conn.execute(select(func.min(steps.c.lease_expires_at)).where(*held_by_others)).scalar()

    # ------------------------------------------------------------ decisions --------------------

    def answer_step(
        self, step_id: int, attempt: int, result: dict[str, Any] | None, decision: dict[str, Any]
    ) -> bool:
        """Finish an action_required step with its decision row, atomically; first answer wins.

        ``decision``: ``{"kind": "answer"|"complete"|"skip", "answer": …, "note": …, "actor": …,
        "via": …}``. Returns False (writing nothing) when the step was already answered or is no longer
        waiting at that attempt. Unlocks the dependents and wakes supervisors.
        """
        from regctl.db.transitions import answer_step_txn

        return self.transact(
            lambda c: answer_step_txn(c, step_id, attempt, result, decision, now=time.time())
        )

    # ------------------------------------------------------------ limits -----------------------

    def take_rate_limit(
        self, organisation: str, name: str, *, default: tuple[int, float],
        override: tuple[int, float] | None = None,
    ) -> float:
        """Take one token of the organisation's ``name``: 0.0 if taken, else seconds until one is free."""
        from regctl.db.limits import take_rate_limit_txn

        return self.transact(
            lambda c: take_rate_limit_txn(c, organisation, name, now=time.time(), default=default,
                                          override=override)
        )

    def renew_lease(self, step_id: int, supervisor_id: str, *, lease: float) -> None:
        """A step's own heartbeat: extend its lease if we still hold it."""
        self.transact(
            lambda c: c.execute(
                update(steps)
                .where(
                    steps.c.id == step_id,
                    steps.c.lease_owner == supervisor_id,
                    steps.c.status == StepStatus.RUNNING.value,
                )
                .values(lease_expires_at=time.time() + lease)
            )
        )
