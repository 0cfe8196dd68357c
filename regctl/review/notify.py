"""Webhook notifications: a Slack-compatible ``{"text": …}`` when a batch waits, finishes or fails.

A manifest opts in with ``notify: {webhook: URL}`` (``${ENV_NAME}`` allowed, since webhook URLs are
secrets; stored unexpanded). The engine calls :func:`notify_batch_event` at those three moments.
Delivery happens in a background thread, retried with exponential backoff, each post under an
overall deadline; the command waits for it at exit (bounded). Each delivery or failure is recorded
as a batch event. Nothing here fails the run, and the URL never reaches a log line or the
database in clear (Slack webhook URLs carry their token in the path).
"""

from __future__ import annotations

import atexit
import enum
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from regctl.bounds import address_problem, webhook_problem
from regctl.db.decisions import notify_target_txn
from regctl.db.notices import record_notification_txn
from regctl.secrets import expand_references

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["BatchEvent", "drain", "event_for_transition", "message_for", "notify_batch_event",
           "notify_batch_transition", "post_in_background", "webhook_url"]

log = logging.getLogger(__name__)

JSON = dict[str, Any]
ATTEMPTS = 5
BACKOFF_BASE = 0.5  # seconds before the 2nd attempt; doubles each time
BACKOFF_CAP = 8.0
TIMEOUT = 5.0  # per read (httpx)
POST_DEADLINE = 15.0  # one post in all, whatever the server does
DRAIN_WAIT = 30.0  # how long a command waits at exit for posts still under way


class BatchEvent(enum.StrEnum):
    WAITING = "waiting"  # the batch has started waiting on decisions
    FINISHED = "finished"  # every job ended (completed, possibly with warnings)
    FAILED = "failed"  # the batch ended with failed jobs


def webhook_url(notify: JSON | None) -> str | None:
    """The webhook URL of a ``notify`` mapping, ``${ENV}``/``${ENV:-default}`` expanded in memory only
    (the database keeps the reference); None if unset or not an acceptable webhook (regctl.bounds)."""
    raw = (notify or {}).get("webhook")
    if not raw:
        return None
    url = str(expand_references(str(raw)))
    if "${" in url or webhook_problem(url, allow_private=_allows_private(notify)) is not None:
        return None
    return url


def _allows_private(notify: JSON | None) -> bool:
    return bool((notify or {}).get("allow_private_addresses"))


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

    Never raises: a notification problem is logged (without the URL), recorded as a batch event,
    and the run carries on. The command waits for the post before it exits (:func:`drain`).
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
        text = message_for(BatchEvent(event), name, waiting)
        done = _recorder(store, batch_id, str(event))
        return post_in_background(url, {"text": text}, allow_private=_allows_private(notify), on_done=done)
    except Exception:  # a notification must never fail the run
        log.warning("notification for batch %s (%s) not sent", batch_id, event, exc_info=True)
        return None


def _recorder(store: Store, batch_id: int, event: str) -> Callable[[bool, str], None]:
    def record(delivered: bool, how: str) -> None:
        try:
            store.transact(lambda c: record_notification_txn(c, batch_id, event, delivered, how))
        except Exception:  # the store may be closed by now; the log line stays
            log.info("notification outcome for batch %s not recorded", batch_id)

    return record


_pending: set[threading.Thread] = set()
_pending_lock = threading.Lock()


def post_in_background(url: str, payload: JSON, *, sleep: Callable[[float], None] = time.sleep,
                       attempts: int = ATTEMPTS, allow_private: bool = True,
                       on_done: Callable[[bool, str], None] | None = None) -> threading.Thread:
    """Start a thread that posts ``payload`` to ``url``, retrying with backoff; :func:`drain` (run at
    exit) waits for it, so a command that ends right after a batch finished still delivers."""
    thread = threading.Thread(target=_deliver, args=(url, payload, sleep, attempts, allow_private, on_done),
                              name="regctl-notify", daemon=True)
    with _pending_lock:
        _pending.add(thread)
    thread.start()
    return thread


def drain(timeout: float = DRAIN_WAIT) -> int:
    """Wait (at most ``timeout`` seconds in all) for posts still under way; returns how many remain."""
    deadline = time.monotonic() + timeout
    with _pending_lock:
        threads = list(_pending)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with _pending_lock:
        _pending.difference_update(t for t in threads if not t.is_alive())
        return len(_pending)


def _deliver(url: str, payload: JSON, sleep: Callable[[float], None], attempts: int, allow_private: bool,
             on_done: Callable[[bool, str], None] | None) -> bool:
    how = "not attempted"
    try:
        for attempt in range(1, attempts + 1):
            ok, how = _post_once(url, payload, allow_private)
            if ok:
                if on_done:
                    on_done(True, f"delivered ({how}, attempt {attempt})")
                return True
            if attempt < attempts:
                sleep(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)))
        log.warning("notification not delivered after %d attempts", attempts)
        if on_done:
            on_done(False, f"not delivered after {attempts} attempts (last: {how})")
        return False
    finally:
        with _pending_lock:
            _pending.discard(threading.current_thread())


def _post_once(url: str, payload: JSON, allow_private: bool) -> tuple[bool, str]:
    """One post under an overall deadline (httpx's timeout is per read: a slow-drip server could hold
    a post for ever), to a public address unless allowed; (delivered, what happened)."""
    if not allow_private:
        refused = _resolves_private(url)
        if refused:
            return False, refused
    outcome: list[tuple[bool, str]] = []
    worker = threading.Thread(target=lambda: outcome.append(_post(url, payload)), daemon=True)
    worker.start()
    worker.join(POST_DEADLINE)
    if not outcome:
        log.info("notification attempt abandoned after %.0f s", POST_DEADLINE)
        return False, f"no answer within {POST_DEADLINE:.0f} s"
    return outcome[0]


def _post(url: str, payload: JSON) -> tuple[bool, str]:
    import httpx  # here, not at the top: the engine imports this module on every batch transition

    try:
        response = httpx.post(url, json=payload, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        log.info("notification attempt failed: %s", type(exc).__name__)
        return False, type(exc).__name__
    if response.status_code >= 300:
        log.info("notification attempt refused: HTTP %d", response.status_code)
        return False, f"HTTP {response.status_code}"
    return True, f"HTTP {response.status_code}"


def _resolves_private(url: str) -> str | None:
    """Why the webhook's host resolves to an address we do not post to (DNS can point a public-looking
    name at 169.254.169.254), else None."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return None  # unresolvable: httpx reports the failure
    for info in infos:
        problem = address_problem(str(info[4][0]))
        if problem:
            return f"the webhook host resolves to a non-public address ({problem.split(' is ')[-1]})"
    return None


atexit.register(drain)  # a command that ends right after a batch finished still delivers its post
