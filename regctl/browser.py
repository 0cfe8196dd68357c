"""Launching Chromium through Playwright (async API) the one way regctl does it.

Debian's (or Playwright's) Chromium from :func:`regctl.browser_setup.find_chromium`, headless by
default, with the flags a shared, offline machine needs; a fresh context per use (viewport 1280×800,
locale en-NZ, timezone Pacific/Auckland); tracing on demand, saved only when the work fails, so a
failure leaves a screenshot and a trace behind and a success leaves nothing.

The engine's browser steps (regctl.steps.browser_step) share one browser per supervisor; tests and
tools use :func:`browser_session` + :func:`fresh_page` directly.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from regctl.errors import ConfigError

__all__ = [
    "CHROMIUM_ARGS",
    "CONTEXT_OPTIONS",
    "BrowserOptions",
    "browser_session",
    "fresh_page",
    "launch",
]

CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-blink-features=AutomationControlled")
# The prior system's bot-detection workaround (real-portal-pages.md §3.1, RWY:53-54, BC): the real admin
# portal answers the default headless user agent ("HeadlessChrome") with a page that has no form [R].
USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")
CONTEXT_OPTIONS: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, "locale": "en-NZ",
                                   "timezone_id": "Pacific/Auckland", "user_agent": USER_AGENT}
DEFAULT_TIMEOUT_MS = 15_000
# Maps a sandbox domain other than *.localhost to the sandbox, e.g. "MAP *.pumpd.test 127.0.0.1:8765"
# (``regctl sandbox serve`` prints the value). *.localhost needs nothing: Chromium resolves it to loopback.
HOST_RULES_ENV = "REGCTL_HOST_RESOLVER_RULES"


@dataclass(frozen=True)
class BrowserOptions:
    headless: bool = True
    slow_mo_ms: float = 0.0  # pause between actions, to watch a headed run
    executable: str | None = None  # default: find_chromium()
    default_timeout_ms: float = DEFAULT_TIMEOUT_MS


def _launch_kwargs(options: BrowserOptions) -> dict[str, Any]:
    from regctl.browser_setup import find_chromium

    executable = options.executable or find_chromium()
    if executable is None:
        raise ConfigError("no Chromium found: install Debian's 'chromium' package or set REGCTL_CHROMIUM")
    args = [a for a in CHROMIUM_ARGS if options.headless or a != "--headless"]
    rules = os.environ.get(HOST_RULES_ENV, "")
    if rules:
        args.append(f"--host-resolver-rules={rules}")
    return {"executable_path": executable, "headless": options.headless, "slow_mo": options.slow_mo_ms,
            "args": args}


async def launch(playwright: Playwright, options: BrowserOptions | None = None) -> Browser:
    """Launch Chromium with regctl's flags on an already-started Playwright."""
    return await playwright.chromium.launch(**_launch_kwargs(options or BrowserOptions()))


@contextlib.asynccontextmanager
async def browser_session(options: BrowserOptions | None = None) -> AsyncIterator[Browser]:
    """Playwright + one browser for the duration of the block; both closed afterwards."""
    async with async_playwright() as playwright:
        browser = await launch(playwright, options)
        try:
            yield browser
        finally:
            with contextlib.suppress(PlaywrightError):
                await browser.close()


@contextlib.asynccontextmanager
async def fresh_page(browser: Browser, *, artifacts_dir: Path | None = None,
                     timeout_ms: float = DEFAULT_TIMEOUT_MS) -> AsyncIterator[Page]:
    """A page in a new context. With ``artifacts_dir``, tracing runs and a failure saves
    ``failure.png`` and ``trace.zip`` there before the error propagates."""
    context = await browser.new_context(**CONTEXT_OPTIONS)
    context.set_default_timeout(timeout_ms)
    if artifacts_dir is not None:
        await context.tracing.start(screenshots=True, snapshots=True)
    page = await context.new_page()
    try:
        yield page
    except BaseException:
        if artifacts_dir is not None:
            await _save_failure(page, artifacts_dir)
        raise
    finally:
        with contextlib.suppress(PlaywrightError):
            await context.close()


async def _save_failure(page: Page, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PlaywrightError):
        await page.screenshot(path=str(folder / "failure.png"), full_page=True)
    with contextlib.suppress(PlaywrightError):
        await page.context.tracing.stop(path=str(folder / "trace.zip"))
