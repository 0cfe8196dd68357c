"""The start fence: no step starts after `regctl cancel` returns, and every start is on record first.

A supervisor's turn *records* its claimed steps as running (attempt spent, lease taken) and commits
BEFORE their code begins, so a supervisor killed at any moment leaves a record of every run it
began (a reclaim counts it as a recovery). What keeps a cancel from slipping in between that commit
and the code beginning is this fence, a readers–writer lock across processes:

- a claiming turn holds it **shared** from before its transaction begins until the claimed steps'
  code has begun (a few milliseconds);
- `cancel` holds it **exclusively** around its transaction.

So a cancel waits for starts already committed to begin (it then finds them running and signals
them), and a claim waiting behind a cancel sees the cancelled jobs. Both sides take the fence
before any row lock, so the two never wait on each other in a circle.

PostgreSQL: an advisory lock (``pg_try_advisory_lock_shared`` on a connection of the supervisor's
own, ``pg_advisory_xact_lock`` inside the cancel); PostgreSQL refuses a new shared request while an
exclusive one waits, so a busy supervisor cannot starve a cancel, and a turn that is refused claims
nothing this time instead of waiting (its database thread, which also renews its leases, stays free
even while a cancel waits for a stopped holder). SQLite: ``flock`` on a file beside the database
(``<database>-fence``), behind a gate (``<database>-fence-gate``) a cancel holds exclusively while
it waits and works: flock would grant new shared locks ahead of a waiting exclusive one, and busy
supervisors starved cancels for seconds. Both are released by the operating system or the server
when the holder dies, so a kill -9 never leaves the fence held. An in-memory SQLite database has no
fence (no other process can reach it).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from sqlalchemy import URL, Connection, Engine, text

__all__ = ["FENCE_KEY", "StartFence"]

log = logging.getLogger(__name__)

FENCE_KEY = 0x7265_6763_6673  # "regcfs": one advisory lock key per database
_SHARED = text("SELECT pg_try_advisory_lock_shared(:k)")
_UNSHARE = text("SELECT pg_advisory_unlock_shared(:k)")
_EXCLUSIVE = text("SELECT pg_advisory_xact_lock(:k)")
_HELD = text(  # this session holds only the fence
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ShareLock' AND granted"
    " AND pid = pg_backend_pid()"
)
LOOK_AFTER = 0.05  # seconds: a shared hold older than this is checked before its steps begin


def _sqlite_file(url: URL) -> str | None:
    """The database file of a SQLite URL (None: in memory), also in URI form
    (``sqlite:///file:/path/regctl.db?uri=true``, whose ``database`` is ``file:/path/regctl.db``)."""
    database = url.database
    if database and database.startswith("file:") and url.query.get("uri") in ("true", "1", "True"):
        if url.query.get("mode") == "memory":
            return None
        database = unquote(urlsplit(database).path)
    return None if not database or database == ":memory:" else database


def _lock_at(fd: int | None, path: str, how: int) -> tuple[int, bool]:
    """``flock(how)`` the file at ``path`` through ``fd`` (opened when None; reopened when the file
    was deleted or replaced since): the descriptor, and False when LOCK_NB found the lock taken."""
    while True:
        if fd is None:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, how)
        except BlockingIOError:
            return fd, False
        if _is_at(fd, path):
            return fd, True
        os.close(fd)  # a cancel would lock the file now at the path
        fd = None


def _is_at(fd: int, path: str) -> bool:
    """Whether the open file ``fd`` is still the file at ``path`` (not deleted or replaced since)."""
    try:
        here, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


class StartFence:
    """The fence of one database (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        database = None if self.postgres else _sqlite_file(engine.url)
        # the real path: SQLite follows symlinks to the one database file, so must the fence (a
        # supervisor given a link and a cancel given the file would otherwise lock different files)
        self.path = None if database is None else f"{os.path.realpath(database)}-fence"
        self._conn: Connection | None = None  # PostgreSQL: the supervisor's fence connection
        self._fd: int | None = None  # SQLite: the supervisor's open fence file
        self._gate: int | None = None  # … and its gate (``<fence>-gate``)
        self._since = 0.0  # time.monotonic() when the shared hold began

    # ------------------------------------------------------------ a supervisor's starts ---------

    @contextlib.contextmanager
    def starting(self) -> Iterator[bool]:
        """Hold the fence shared for one claim-and-start; yields whether it is held (claim only then).

        Does not wait — False while a cancel holds it or waits for it: a cancel can wait long (for a
        holder that was stopped — SIGSTOP, a debugger — until it runs again or dies), and a
        supervisor waiting behind it on its database thread would stop renewing its leases, its
        running steps then reclaimable.
        """
        held = self._acquire_shared()
        try:
            yield held
        finally:
            if held:
                self._release_shared()

    def lost(self) -> bool:
        """PostgreSQL: whether the shared hold ended with its session (pg_terminate_backend,
        idle_session_timeout, a network cut) — the server released the lock, so a cancel may have
        gone through. Asked before claimed steps begin; only a hold older than LOOK_AFTER seconds
        costs a round trip (a start normally takes a few ms, a module import can take seconds)."""
        if not self.postgres or self._conn is None or time.monotonic() - self._since < LOOK_AFTER:
            return self.postgres and self._conn is None
        try:
            if self._conn.execute(_HELD).scalar():
                return False
        except Exception:
            log.warning("start fence: its connection was lost while held", exc_info=True)
        self._drop_connection()
        return True

    def _acquire_shared(self) -> bool:
        self._since = time.monotonic()
        if self.postgres:
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                # refused while an exclusive request waits, too (PostgreSQL checks the wait queue):
                # busy supervisors still cannot starve a cancel
                return bool(self._conn.execute(_SHARED, {"k": FENCE_KEY}).scalar())
            except Exception:
                self._drop_connection()
                raise
        if self.path is not None:
            # flock grants a shared lock while an exclusive one waits (busy supervisors would starve
            # a cancel), so a cancel first holds the gate exclusively; a turn passes it shared, for
            # an instant, and is refused (claims nothing this turn) while a cancel holds it
            self._gate, passed = _lock_at(self._gate, f"{self.path}-gate", fcntl.LOCK_SH | fcntl.LOCK_NB)
            if not passed:
                return False
            try:
                self._fd, _ = _lock_at(self._fd, self.path, fcntl.LOCK_SH)
            finally:
                fcntl.flock(self._gate, fcntl.LOCK_UN)
        return True

    def _release_shared(self) -> None:
        """Never raises: a lost fence connection released the lock with it."""
        if self.postgres and self._conn is not None:
            try:
                self._conn.execute(_UNSHARE, {"k": FENCE_KEY})
            except Exception:
                log.warning("start fence: releasing failed; dropping its connection", exc_info=True)
                self._drop_connection()
        elif self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()
            with contextlib.suppress(Exception):
                conn.close()

    def close(self) -> None:
        """End the fence's own session (not back to the pool: a session lock would outlive us there)."""
        self._drop_connection()
        for fd in (self._fd, self._gate):
            if fd is not None:
                os.close(fd)
        self._fd = self._gate = None

    # ------------------------------------------------------------ a cancel ---------------------

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """SQLite: hold the fence exclusively around a cancel's whole transaction (PostgreSQL takes it
        inside the transaction: :meth:`exclusive_txn`)."""
        if self.path is None:
            yield
            return
        gate, _ = _lock_at(None, f"{self.path}-gate", fcntl.LOCK_EX)  # no new turn passes from now on
        try:
            fd, _ = _lock_at(None, self.path, fcntl.LOCK_EX)  # the turns already past it end
            try:
                yield
            finally:
                os.close(fd)  # releases the lock
        finally:
            os.close(gate)

    @staticmethod
    def exclusive_txn(conn: Connection) -> None:
        """PostgreSQL: take the fence exclusively until this transaction ends (its first statement)."""
        if conn.dialect.name == "postgresql":
            conn.execute(_EXCLUSIVE, {"k": FENCE_KEY})
