"""Fixtures: a headless Chromium through Playwright, and the portal/hub site to drive with it.

Playwright's async objects belong to one event loop, so the session's browser lives on a loop in a
background thread; tests hand it coroutines through ``browser.run(flow)``, each on a fresh page.

``portal_site`` is the sandbox's admin portal and marketing hub: the real sandbox server
(regctl.sandbox.server.running_sandbox) when it exists, else the portal's own routes mounted in a
minimal Starlette app with a small World (loopback, free port, uvicorn in a thread).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

OWNER_EMAIL = "owner@kai-kitchen.example.nz"
OWNER_PASSWORD = "Sandbox-owner-pass-1"


class BrowserRunner:
    """One Chromium on a private event loop; ``run(flow)`` gives ``flow`` a fresh page."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="playwright-loop", daemon=True)
        self.thread.start()
        self._session: AbstractAsyncContextManager[Any] | None = None
        self.browser: Any = None

    def submit(self, coro: Awaitable[T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)  # type: ignore[arg-type]
        return future.result(timeout=120)

    def start(self) -> None:
        from regctl.browser import browser_session

        self._session = browser_session()
        self.browser = self.submit(self._session.__aenter__())

    def run(self, flow: Callable[[Any], Awaitable[T]]) -> T:
        from regctl.browser import fresh_page

        async def on_fresh_page() -> T:
            async with fresh_page(self.browser) as page:
                return await flow(page)

        return self.submit(on_fresh_page())

    def close(self) -> None:
        if self._session is not None:
            self.submit(self._session.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[BrowserRunner]:
    from regctl.browser_setup import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium on this machine")
    runner = BrowserRunner()
    runner.start()
    yield runner
    runner.close()


# ---------------------------------------------------------------- the site to drive -----------

@dataclass
class MiniWorld:
    """The part of the sandbox World the portal needs (used until the sandbox server exists)."""

    portal: Any
    accounts: dict[str, str] = field(default_factory=dict)
    audit_log: list[tuple[str, str, str, str]] = field(default_factory=list)
    faults: Any = None
    onboarding_users: list[tuple[str, str]] = field(default_factory=list)

    def create_onboarding_user(self, name: str, email: str) -> str:
        self.onboarding_users.append((name, email))
        return f"onb-{len(self.onboarding_users)}"

    def check_login(self, email: str, password: str) -> bool:
        return self.accounts.get(email.lower()) == password

    def audit(self, system: str, method: str, path: str, summary: str) -> None:
        self.audit_log.append((system, method, path, summary))


@dataclass
class PortalSite:
    url: str  # server root, e.g. http://127.0.0.1:PORT
    world: MiniWorld

    @property
    def admin_url(self) -> str:
        return f"{self.url}/admin"

    @property
    def hub_url(self) -> str:
        return f"{self.url}/hub"

    @property
    def state(self) -> Any:
        return self.world.portal

    def set_faults(self, specs: dict[str, dict[str, Any]]) -> None:
        from regctl.sandbox.faults import faults_from_dict

        self.world.faults = faults_from_dict({"faults": specs}, seed=1)

    def reset(self) -> None:
        self.world.portal.reset()
        self.world.audit_log.clear()
        self.world.onboarding_users.clear()
        self.world.faults = None
        self.world.accounts = {OWNER_EMAIL: OWNER_PASSWORD}


class _UvicornThread:
    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> _UvicornThread:
        self.thread.start()
        while not self.server.started and self.thread.is_alive():
            threading.Event().wait(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="session")
def portal_site_server() -> Iterator[PortalSite]:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from regctl.sandbox import hub, portal
    from regctl.sandbox.portal_state import PortalState

    world = MiniWorld(portal=PortalState())
    app = Starlette(routes=[Mount("/admin", routes=portal.routes(world)),
                            Mount("/hub", routes=hub.routes(world))])
    with _UvicornThread(app) as server:
        yield PortalSite(url=f"http://127.0.0.1:{server.port}", world=world)


@pytest.fixture()
def portal_site(portal_site_server: PortalSite) -> PortalSite:
    """The portal/hub site, reset to empty with one owner account (OWNER_EMAIL / OWNER_PASSWORD)."""
    portal_site_server.reset()
    return portal_site_server
