"""PostgreSQL LISTEN in a background thread: NOTIFY on channel ``regctl`` wakes a supervisor.

Notifications are hints, never the source of truth: a supervisor that misses one still polls.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["Listener"]

log = logging.getLogger(__name__)
CHANNEL = "regctl"
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 10.0  # seconds between reconnection attempts


def _describe(error: Exception) -> str:
    """The error's class and first line (libpq messages name host and port, never the password)."""
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first[:200]}"


class Listener:
    def __init__(self, conninfo: str, on_notify: Callable[[str], None]) -> None:
        self._conninfo, self._on_notify = conninfo, on_notify
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="regctl-listen", daemon=True)

    @classmethod
    def start(cls, store: Store, on_notify: Callable[[str], None]) -> Listener | None:
        """Start listening on PostgreSQL; None on SQLite (supervisors poll there)."""
        if not store.is_postgres:
            return None
        url = make_url(store.engine.url).set(drivername="postgresql")
        listener = cls(url.render_as_string(hide_password=False), on_notify)
        listener._thread.start()
        return listener

    def _run(self) -> None:
        """Listen until stopped; a lost connection is retried with backoff (one warning per outage)."""
        delay, lost_since = BACKOFF_FIRST, None
        while not self._stopped.is_set():
            try:
                self._listen(reconnected=lost_since is not None)
                return
            except Exception as error:
                if self._stopped.is_set():
                    return
                if lost_since is None:
                    lost_since = time.monotonic()
                    log.warning("LISTEN connection lost (%s); polling while reconnecting", _describe(error))
                self._stopped.wait(delay)
                delay = min(delay * 2, BACKOFF_MAX)

    def _listen(self, *, reconnected: bool) -> None:
        import psycopg

        with psycopg.connect(self._conninfo, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            if reconnected:
                log.info("LISTEN connection back")
                self._on_notify("")  # notifications sent while we were away are lost: look now
            while not self._stopped.is_set():
                for note in conn.notifies(timeout=0.5):
                    self._on_notify(note.payload)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
