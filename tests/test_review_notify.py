"""Webhook notifications: posted in the background, retried with backoff, never raising."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from review_helpers import waiting_batch

from regctl.db.store import Store
from regctl.review.notify import (
    BatchEvent,
    event_for_transition,
    message_for,
    notify_batch_event,
    post_in_background,
    webhook_url,
)

LOCAL_HOOK = 'notify: {webhook: "${HOOK_URL}", allow_private_addresses: true}'


class Hook:
    """A loopback webhook that refuses the first ``failures`` posts with HTTP 500."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[dict[str, Any]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.received.append(json.loads(body))
                ok = len(hook.received) > hook.failures
                self.send_response(200 if ok else 500)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/T000/B000/secret"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def flaky_hook() -> Iterator[Hook]:
    hook = Hook(failures=2)
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


def test_retries_until_delivered(flaky_hook: Hook) -> None:
    pauses: list[float] = []
    post_in_background(flaky_hook.url, {"text": "hello"}, sleep=pauses.append).join(10)
    assert flaky_hook.received == [{"text": "hello"}] * 3
    assert pauses == [0.5, 1.0]  # exponential backoff between attempts


def test_gives_up_quietly(flaky_hook: Hook, caplog: pytest.LogCaptureFixture) -> None:
    post_in_background(flaky_hook.url, {"text": "x"}, sleep=lambda _: None, attempts=2).join(10)
    assert len(flaky_hook.received) == 2
    assert "not delivered" in caplog.text
    assert "secret" not in caplog.text  # the URL (a credential) is never logged


def test_unreachable_webhook_does_not_raise() -> None:
    thread = post_in_background("http://127.0.0.1:9/", {"text": "x"}, sleep=lambda _: None, attempts=2)
    thread.join(10)
    assert not thread.is_alive()


def test_webhook_url_expands_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_HOOK", "http://127.0.0.1:1/hook")
    local = {"allow_private_addresses": True}
    assert webhook_url({"webhook": "${SLACK_HOOK}", **local}) == "http://127.0.0.1:1/hook"
    assert webhook_url({"webhook": "${SLACK_HOOK}"}) is None  # loopback, and http: not without the opt-in
    assert webhook_url({"webhook": "${MISSING_HOOK_VAR}", **local}) is None
    defaulted = "${MISSING_HOOK_VAR:-http://127.0.0.1:2/x}"
    assert webhook_url({"webhook": defaulted, **local}) == "http://127.0.0.1:2/x"
    slack = "https://hooks.slack.com/services/T/B/x"
    assert webhook_url({"webhook": slack}) == slack
    for refused in ("https://169.254.169.254/latest", "ftp://hooks.example.com/x", "file:///etc/passwd",
                    "https://10.0.0.1/x", "https://[::1]/x", "https://localhost/x"):
        assert webhook_url({"webhook": refused}) is None, refused
    assert webhook_url(None) is None


def test_messages_are_slack_text() -> None:
    assert "waiting on 3 decisions" in message_for(BatchEvent.WAITING, "nz-w48", 3)
    assert "regctl review nz-w48" in message_for(BatchEvent.WAITING, "nz-w48", 3)
    assert "finished" in message_for(BatchEvent.FINISHED, "nz-w48", 0)
    assert "failed" in message_for(BatchEvent.FAILED, "nz-w48", 0)


def _wait_for(hook: Hook, count: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while len(hook.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_engine_posts_when_a_batch_starts_waiting(store: Store, tmp_path: Path, flaky_hook: Hook,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_URL", flaky_hook.url)
    flaky_hook.failures = 0
    waiting_batch(store, tmp_path, extra=LOCAL_HOOK)
    _wait_for(flaky_hook, 1)
    assert flaky_hook.received == [{"text": message_for(BatchEvent.WAITING, "approvals", 2)}]


def test_the_engine_posts_when_a_batch_finishes(store: Store, tmp_path: Path, flaky_hook: Hook,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from regctl.review.decisions import record_decision

    monkeypatch.setenv("HOOK_URL", flaky_hook.url)
    flaky_hook.failures = 0
    batch_id = waiting_batch(store, tmp_path, count=1, extra=LOCAL_HOOK)
    _wait_for(flaky_hook, 1)
    [waiting] = store.waiting_steps(batch_id=batch_id)
    record_decision(store, waiting["step_id"], {"ok": True, "contact": {"email": "a@b.nz"}}, actor="t")
    from regctl.engine import api

    api.supervise(store, until_idle=True, batch_id=batch_id)
    _wait_for(flaky_hook, 2)
    assert [m["text"] for m in flaky_hook.received][1] == message_for(BatchEvent.FINISHED, "approvals", 0)


def test_an_explicit_event_posts_once(store: Store, tmp_path: Path, flaky_hook: Hook,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    batch_id = waiting_batch(store, tmp_path)  # no webhook yet: the engine posts nothing
    monkeypatch.setenv("HOOK_URL", flaky_hook.url)
    flaky_hook.failures = 0
    assert flaky_hook.received == []
    from sqlalchemy import update

    from regctl.db.schema import batches
    with store.engine.begin() as conn:
        conn.execute(update(batches).where(batches.c.id == batch_id)
                     .values(notify={"webhook": "${HOOK_URL}", "allow_private_addresses": True}))
    thread = notify_batch_event(store, batch_id, BatchEvent.WAITING)
    assert thread is not None
    thread.join(10)
    assert flaky_hook.received == [{"text": message_for(BatchEvent.WAITING, "approvals", 2)}]


def test_no_webhook_or_no_batch_sends_nothing(store: Store, tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path)
    assert notify_batch_event(store, batch_id, "finished") is None
    assert notify_batch_event(store, 999_999, "finished") is None
    assert notify_batch_event(store, batch_id, "no-such-event") is None  # logged, never raised


@pytest.mark.parametrize(("old", "new", "event"), [
    ("running", "waiting", BatchEvent.WAITING), ("waiting", "waiting", None),
    ("running", "completed", BatchEvent.FINISHED),
    ("waiting", "completed_with_warnings", BatchEvent.FINISHED),
    ("running", "failed", BatchEvent.FAILED), ("pending", "running", None), ("waiting", "running", None),
    (None, "cancelled", None),
])
def test_which_transitions_notify(old: str | None, new: str, event: BatchEvent | None) -> None:
    assert event_for_transition(old, new) == event
