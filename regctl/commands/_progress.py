"""Live progress of one batch while something else (the supervisor) works on it.

A :class:`ProgressWatcher` thread reads the batch from the database — the same view any other
terminal would see — and either refreshes a rich ``Live`` in place (a terminal) or prints one plain
line per step transition (piped, or ``--no-progress``). It reads on a timer and whenever the
supervisor pokes it, never more than ten times a second.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from rich.live import Live

from regctl.commands._common import console
from regctl.db.views import batch_progress
from regctl.plain_text import changed_steps
from regctl.render import progress_view

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["ProgressWatcher", "follow"]

MIN_INTERVAL = 0.1  # seconds between two reads, however often the supervisor pokes
IDLE_INTERVAL = 0.5  # seconds between reads when nothing pokes
READ_SHARE = 4  # wait at least this many times as long as the last read took


class ProgressWatcher:
    """Shows a batch's progress until :meth:`close`; ``live`` picks in-place refresh over lines."""

    def __init__(self, store: Store, batch_id: int, *, live: bool) -> None:
        self.store = store
        self.batch_id = batch_id
        self.live = live
        self._poked = threading.Event()
        self._closing = threading.Event()
        self._seen: dict[tuple[int, str], str] = {}
        self._thread = threading.Thread(target=self._loop, name="regctl-progress", daemon=True)
        self._live: Live | None = None

    def __enter__(self) -> ProgressWatcher:
        if self.live:
            self._live = Live(console=console(), auto_refresh=False, transient=False)
            self._live.start()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def poke(self) -> None:
        """Something changed: read again soon (the supervisor's on_progress hook)."""
        self._poked.set()

    def close(self) -> None:
        """Stop the thread, then draw the final state once more."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._poked.set()
        self._thread.join(timeout=5)
        self.refresh()
        if self._live is not None:
            self._live.stop()

    def refresh(self) -> None:
        view = batch_progress(self.store, self.batch_id)
        if self._live is not None:
            width = console().size.width
            self._live.update(progress_view(view, max_rows=_rows_that_fit(), width=width), refresh=True)
            return
        self._seen, lines = changed_steps(self._seen, view)
        for line in lines:
            click.echo(line)

    def _loop(self) -> None:
        while not self._closing.is_set():
            started = time.monotonic()
            with contextlib.suppress(Exception):  # the view is best effort; the run itself goes on
                self.refresh()
            # A big batch costs more to read: keep the watcher's share of the database small.
            pause = max(MIN_INTERVAL, READ_SHARE * (time.monotonic() - started))
            self._poked.wait(max(IDLE_INTERVAL, pause))
            self._poked.clear()
            self._closing.wait(pause)


def _rows_that_fit() -> int:
    height = console().size.height
    return max(5, height - 6)


def follow(store: Store, batch_id: int, work: Callable[[Callable[[], None]], Any], *, live: bool) -> Any:
    """Run ``work(poke)`` while watching the batch; returns what ``work`` returns."""
    with ProgressWatcher(store, batch_id, live=live) as watcher:
        return work(watcher.poke)
