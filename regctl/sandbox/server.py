"""Running the sandbox: in-process on a free loopback port (tests, runs) or in the foreground (CLI).

    with running_sandbox(seed=7, faults="faults.yaml") as sandbox:
        sandbox.url                      # http://127.0.0.1:54321 (the APIs, by path prefix)
        sandbox.urls["company_register"] # http://127.0.0.1:54321/nzbn/v5
        sandbox.urls["admin_portal"]     # http://admin.pumpd.localhost:54321 (a system per host)
        sandbox.client("admin_portal")   # httpx, Host header set (Python does not resolve *.localhost)
        sandbox.state(); sandbox.audit(); sandbox.reset()

It only ever binds a loopback address.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from regctl.errors import UsageError
from regctl.sandbox import credentials
from regctl.sandbox.app import DEFAULT_DOMAIN, HOSTS, PREFIXES, create_app, system_url
from regctl.sandbox.faults import FaultSet, faults_from_dict, load_faults
from regctl.sandbox.routing import DroppedConnection
from regctl.sandbox.world import World

__all__ = ["SandboxHandle", "check_loopback", "running_sandbox", "serve"]

JSON = dict[str, Any]
FaultsArg = FaultSet | str | Path | dict[str, Any] | None


def check_loopback(host: str) -> str:
    """``host`` if it is a loopback address (or ``localhost``); a UsageError otherwise."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise UsageError(f"--host {host}: the sandbox serves on loopback only (127.0.0.1, ::1 or localhost)")


class _QuietDrops(logging.Filter):
    """Hide uvicorn's traceback for connections the fault injector dropped on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return exc is None or not _is_drop(exc)


def _is_drop(exc: BaseException) -> bool:
    if isinstance(exc, DroppedConnection):
        return True
    if isinstance(exc, ExceptionGroup):
        return all(_is_drop(e) for e in exc.exceptions)
    return False


def _resolve_faults(faults: FaultsArg, seed: int | None) -> FaultSet:
    if isinstance(faults, FaultSet):
        if seed is not None:
            faults.seed = seed
        return faults
    if isinstance(faults, dict):
        return faults_from_dict(faults, seed=seed)
    return load_faults(faults, seed=seed)


def _config(world: World, log_level: str, access_log: bool = False) -> uvicorn.Config:
    errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in errors.filters):
        errors.addFilter(_QuietDrops())
    return uvicorn.Config(
        create_app(world),
        log_level=log_level,
        access_log=access_log,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )


def _bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket on ``host:port`` (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP given explicitly: only then does asyncio set TCP_NODELAY on accepted connections.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listen now, not when uvicorn starts: the URL is announced before that, and a client that
        # connects at once must be queued, not refused.
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def _url(host: str, sock: socket.socket) -> str:
    shown = f"[{host}]" if sock.family == socket.AF_INET6 else host
    return f"http://{shown}:{sock.getsockname()[1]}"


@dataclass
class SandboxHandle:
    """A running sandbox: its URLs, its world, and helpers that go through its HTTP inspection API."""

    url: str
    world: World
    urls: dict[str, str] = field(default_factory=dict)
    credentials: dict[str, str] = field(default_factory=credentials.as_env)

    domain: str = DEFAULT_DOMAIN

    def __post_init__(self) -> None:
        self.urls = {system: system_url(self.url, system, self.domain) for system in (*PREFIXES, *HOSTS)}
        self._client = httpx.Client(base_url=self.url, timeout=10.0)

    def client(self, system: str, **options: Any) -> httpx.Client:
        """An httpx client for ``system`` (the portal and hub are reached by Host, as a browser does:
        Python's resolver does not know ``*.localhost``, so this connects to the API address)."""
        url = self.urls[system]
        host = url.split("://", 1)[1].split("/", 1)[0]
        return httpx.Client(base_url=self.url, headers={"host": host}, timeout=10.0, **options)

    def host_resolver_rules(self) -> str:
        """Chromium's ``--host-resolver-rules`` value mapping every host of the domain to this sandbox."""
        return f"MAP *.{self.domain} {self.url.split('://', 1)[1]}"

    def state(self) -> JSON:
        return dict(self._client.get("/_sandbox/state").raise_for_status().json())

    def audit(self, since: int = 0) -> list[JSON]:
        return list(self._client.get("/_sandbox/audit", params={"since": since}).raise_for_status().json())

    def reset(self) -> None:
        self._client.post("/_sandbox/reset").raise_for_status()

    def set_faults(self, document: dict[str, Any]) -> JSON:
        """Replace the active faults (``{}`` lifts them all); see regctl.sandbox.faults."""
        return dict(self._client.put("/_sandbox/faults", json=document).raise_for_status().json())

    def close(self) -> None:
        self._client.close()


@contextmanager
def running_sandbox(
    seed: int | None = None,
    faults: FaultsArg = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log_level: str = "warning",
    fixtures: Path | None = None,
) -> Iterator[SandboxHandle]:
    """Serve a fresh sandbox world in a background thread for the duration of the block
    (``fixtures``: a fixture directory instead of the built-in fixtures)."""
    host = check_loopback(host)
    world = World(faults=_resolve_faults(faults, seed), fixtures=fixtures)
    sock = _bind(host, port)
    server = uvicorn.Server(_config(world, log_level))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="regctl-sandbox", daemon=True
    )
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.01)
    if not server.started:
        sock.close()
        raise RuntimeError("the sandbox server did not start")
    handle = SandboxHandle(url=_url(host, sock), world=world)
    try:
        yield handle
    finally:
        handle.close()
        server.should_exit = True
        thread.join(5)
        sock.close()


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    faults: str | Path | None = None,
    seed: int | None = None,
    log_level: str = "info",
    on_ready: Callable[[str], None] | None = None,
    fixtures: Path | None = None,
) -> None:
    """Serve in the foreground until interrupted (``regctl sandbox serve``); ``on_ready(url)`` first."""
    host = check_loopback(host)
    world = World(faults=_resolve_faults(faults, seed), fixtures=fixtures)
    sock = _bind(host, port)
    config = _config(world, log_level, access_log=log_level in ("info", "debug"))
    if on_ready is not None:
        on_ready(_url(host, sock))
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
