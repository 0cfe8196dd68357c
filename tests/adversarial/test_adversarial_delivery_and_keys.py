"""Webhooks are delivered before the command exits, a slow-drip server cannot hold a post, each
outcome is a batch event; the key file lives in the data directory, reads never create one, and
doctor fails a key others can read (issue 14 items 4 and 5)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from adversarial_support import HEAD, ONE, STEPS, write

from regctl import secrets
from regctl.commands.doctor import check_secret_key
from regctl.errors import ConfigError
from regctl.review import notify


class SlowHook:
    """A loopback webhook that answers after ``delay`` seconds (a process that exits at once loses it)."""

    def __init__(self, delay: float) -> None:
        self.received: list[dict[str, Any]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(delay)
                hook.received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/T1/B1/hook-secret-token"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def slow_hook() -> Iterator[SlowHook]:
    hook = SlowHook(delay=1.0)
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


def test_a_run_that_ends_as_the_batch_finishes_still_delivers(slow_hook: SlowHook, database_url: str,
                                                               tmp_path: Path) -> None:
    hook = 'notify: {webhook: "${PROBE_HOOK}", allow_private_addresses: true}\n'
    path = write(tmp_path, HEAD + STEPS + hook + ONE)
    env = {**os.environ, "PROBE_HOOK": slow_hook.url, "REGCTL_DATA_DIR": str(tmp_path / "data")}
    entry = "import sys; from regctl.cli import main; main(sys.argv[1:])"
    command = [sys.executable, "-c", entry, "--db", database_url, "run", "--no-progress", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert [m["text"] for m in slow_hook.received] == ["regctl: batch probe finished."]  # before exit
    from regctl.engine.api import open_store

    store = open_store(database_url)
    try:
        told = [e for e in store.events() if e["actor"] == "notify"]
    finally:
        store.close()
    assert [e["to_status"] for e in told] == ["notified"]
    assert told[0]["message"].startswith("webhook (finished): delivered (HTTP 200")
    assert "hook-secret-token" not in repr(told)


class DripServer:
    """Accepts a post and answers one header byte every half second, for ever."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            conn, _ = self.sock.accept()
            with conn:
                conn.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                    if self.stop.wait(0.5):
                        break
                    conn.send(bytes([byte]))


def test_a_slow_drip_server_cannot_hold_a_post(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notify, "POST_DEADLINE", 2.0)
    server = DripServer()
    outcomes: list[tuple[bool, str]] = []
    try:
        thread = notify.post_in_background(server.url, {"text": "x"}, attempts=1,
                                           on_done=lambda ok, how: outcomes.append((ok, how)))
        thread.join(60)  # a liveness bound, far above the deadline: the per-read timeout alone never ends
        assert not thread.is_alive()
        assert outcomes == [(False, "not delivered after 1 attempts (last: no answer within 2 s)")]
    finally:
        server.stop.set()
        server.sock.close()


def test_the_key_file_lives_in_the_data_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(secrets.KEY_ENV, raising=False)
    monkeypatch.delenv(secrets.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    token = secrets.encrypt("s3cret-value")
    key = tmp_path / "data" / "secret.key"
    assert key.is_file() and (key.stat().st_mode & 0o777) == 0o600
    assert not (tmp_path / "regctl-data").exists()
    # a read from another directory with another data dir: refused, and no new key is made
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("REGCTL_DATA_DIR", str(elsewhere / "data"))
    with pytest.raises(ConfigError, match="does not exist"):
        secrets.decrypt(token)
    assert not (elsewhere / "data").exists()
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path / "data"))
    assert secrets.decrypt(token) == "s3cret-value"


def test_doctor_fails_a_key_file_others_can_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(secrets.KEY_ENV, raising=False)
    monkeypatch.delenv(secrets.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path))
    secrets.encrypt("x-secret")
    assert check_secret_key().ok
    (tmp_path / "secret.key").chmod(0o644)
    check = check_secret_key()
    assert not check.ok and "chmod 600" in check.detail
    assert secrets.decrypt(secrets.encrypt("still-works")) == "still-works"  # a warning, not an outage


def test_a_name_that_resolves_to_the_metadata_service_is_not_posted_to(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A public-looking name pointed at 169.254.169.254 by DNS (the resolver is the outside world here)."""
    def resolve(host: str, *_args: Any, **_kwargs: Any) -> list[Any]:
        assert host == "hooks.example.com"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    outcomes: list[tuple[bool, str]] = []
    thread = notify.post_in_background("https://hooks.example.com/x", {"text": "x"}, attempts=1,
                                       allow_private=False,
                                       on_done=lambda ok, how: outcomes.append((ok, how)))
    thread.join(60)
    assert outcomes and not outcomes[0][0] and "link-local" in outcomes[0][1]
