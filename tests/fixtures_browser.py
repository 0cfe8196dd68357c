"""Fixtures: a headless Chromium through Playwright, and the portal/hub site to drive with it.

Playwright's async objects belong to one event loop, so the session's browser lives on a loop in a
background thread; tests hand it coroutines through ``browser.run(flow)``, each on a fresh page.

``portal_site`` is the sandbox (regctl.sandbox.server.running_sandbox, via the ``sandbox`` fixture)
seen from the admin portal and marketing hub, with one owner account registered.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
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
class PortalSite:
    """The sandbox seen from the portal's side: URLs, the in-process World, fault control."""

    handle: Any  # regctl.sandbox.server.SandboxHandle

    @property
    def url(self) -> str:
        return str(self.handle.url)

    @property
    def admin_url(self) -> str:
        return str(self.handle.urls["admin_portal"])

    @property
    def hub_url(self) -> str:
        return str(self.handle.urls["marketing_hub"])

    @property
    def world(self) -> Any:
        return self.handle.world

    @property
    def state(self) -> Any:
        """The World's PortalState (read directly: same process)."""
        return self.world.portal

    def audit_summaries(self, contains: str = "") -> list[str]:
        return [entry.summary for entry in self.world.audit_log if contains in entry.summary]

    def set_faults(self, specs: dict[str, dict[str, Any]]) -> None:
        self.handle.set_faults({"faults": specs})


def _register_owner(world: Any) -> None:
    """The owner account, made the way the platform API makes accounts (start, then verify)."""
    from regctl.sandbox.credentials import ADMIN_CONFIRMATION_CODE

    token = world.register_start(OWNER_EMAIL, "+6495550101", OWNER_PASSWORD)
    world.register_verify(token, ADMIN_CONFIRMATION_CODE, ADMIN_CONFIRMATION_CODE)


@pytest.fixture()
def portal_site(sandbox: Any) -> PortalSite:
    """The sandbox (reset, no faults) plus one portal owner account (OWNER_EMAIL / OWNER_PASSWORD)."""
    _register_owner(sandbox.world)
    return PortalSite(handle=sandbox)
