"""PostgreSQL LISTEN in a background thread: NOTIFY on channel ``regctl`` wakes a supervisor.

Notifications are hints, never the source of truth: a supervisor that misses one still polls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["Listener"]

log = logging.getLogger(__name__)
CHANNEL = "regctl"


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
        import psycopg

        try:
            with psycopg.connect(self._conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                while not self._stopped.is_set():
                    for note in conn.notifies(timeout=0.5):
                        self._on_notify(note.payload)
        except Exception:  # the supervisor keeps polling without it
            log.warning("LISTEN connection lost; falling back to polling", exc_info=True)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
