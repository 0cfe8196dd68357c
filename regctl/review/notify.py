"""Webhook notifications: a Slack-compatible ``{"text": …}`` when a batch waits, finishes or fails.

A manifest opts in with ``notify: {webhook: URL}`` (``${ENV_NAME}`` allowed, since webhook URLs are
secrets). The engine calls :func:`notify_batch_event` at those three moments. Delivery happens in a
background thread, retried with exponential backoff; nothing here ever blocks or fails the run, and
the URL never reaches a log line (Slack webhook URLs carry their token in the path).
"""

from __future__ import annotations

import enum
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from regctl.db.decisions import notify_target_txn

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["BatchEvent", "event_for_transition", "message_for", "notify_batch_event",
           "notify_batch_transition", "post_in_background", "webhook_url"]

log = logging.getLogger(__name__)

JSON = dict[str, Any]
ATTEMPTS = 5
BACKOFF_BASE = 0.5  # seconds before the 2nd attempt; doubles each time
BACKOFF_CAP = 8.0
TIMEOUT = 5.0
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class BatchEvent(enum.StrEnum):
    WAITING = "waiting"  # the batch has started waiting on decisions
    FINISHED = "finished"  # every job ended (completed, possibly with warnings)
    FAILED = "failed"  # the batch ended with failed jobs


def webhook_url(notify: JSON | None) -> str | None:
    """The webhook URL of a ``notify`` mapping, ``${ENV}``/``${ENV:-default}`` expanded; None if unset."""
    raw = (notify or {}).get("webhook")
    if not raw:
        return None
    url = _ENV_REF.sub(lambda m: os.environ.get(m.group(1)) or m.group(2) or "", str(raw))
    return url if url.startswith(("http://", "https://")) else None


def message_for(event: BatchEvent, batch_name: str, waiting: int) -> str:
    """The one-line text posted for ``event``."""
    if event is BatchEvent.WAITING:
        noun = "decision" if waiting == 1 else "decisions"
        return (f"regctl: batch {batch_name} is waiting on {waiting} {noun}. "
                f"Answer with `regctl review {batch_name}`.")
    if event is BatchEvent.FINISHED:
        return f"regctl: batch {batch_name} finished."
    return f"regctl: batch {batch_name} failed: some jobs need attention (`regctl status {batch_name}`)."


def event_for_transition(old: str | None, new: str) -> BatchEvent | None:
    """The event (if any) a batch's stored status moving from ``old`` to ``new`` is worth."""
    if new == old:
        return None
    if new == "waiting":
        return BatchEvent.WAITING
    if new in ("completed", "completed_with_warnings"):
        return BatchEvent.FINISHED
    if new == "failed":
        return BatchEvent.FAILED
    return None


def notify_batch_transition(store: Store, batch_id: int, old: str | None,
                            new: str) -> threading.Thread | None:
    """For the engine, after the transaction that changed a batch's status committed."""
    event = event_for_transition(old, new)
    return notify_batch_event(store, batch_id, event) if event is not None else None


def notify_batch_event(store: Store, batch_id: int, event: BatchEvent | str) -> threading.Thread | None:
    """Post the batch's event to its webhook in the background; returns the thread (None: nothing sent).

    Never raises: a notification problem is logged (without the URL) and the run carries on.
    """
    try:
        with store.engine.connect() as conn:
            target = notify_target_txn(conn, batch_id)
        if target is None:
            return None
        name, notify, waiting = target
        url = webhook_url(notify)
        if url is None:
            return None
        return post_in_background(url, {"text": message_for(BatchEvent(event), name, waiting)})
    except Exception:  # a notification must never fail the run
        log.warning("notification for batch %s (%s) not sent", batch_id, event, exc_info=True)
        return None


def post_in_background(url: str, payload: JSON, *, sleep: Callable[[float], None] = time.sleep,
                       attempts: int = ATTEMPTS) -> threading.Thread:
    """Start a daemon thread that posts ``payload`` to ``url``, retrying with backoff."""
    thread = threading.Thread(target=_deliver, args=(url, payload, sleep, attempts),
                              name="regctl-notify", daemon=True)
    thread.start()
    return thread


def _deliver(url: str, payload: JSON, sleep: Callable[[float], None], attempts: int) -> bool:
    for attempt in range(1, attempts + 1):
        if _post_once(url, payload):
            return True
        if attempt < attempts:
            sleep(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)))
    log.warning("notification not delivered after %d attempts", attempts)
    return False


def _post_once(url: str, payload: JSON) -> bool:
    try:
        response = httpx.post(url, json=payload, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        log.info("notification attempt failed: %s", type(exc).__name__)
        return False
    if response.status_code >= 300:
        log.info("notification attempt refused: HTTP %d", response.status_code)
        return False
    return True
