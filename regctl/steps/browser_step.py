"""The shared shape of a browser step: one Chromium per supervisor, a fresh context per step.

A browser step is an ``async def flow(ctx, page) -> dict`` registered with :func:`browser_step_type`,
which declares the ``{"browser": 1}`` resource slot, so the engine bounds concurrent contexts by the
manifest's ``limits.browser``. Around the flow this module:

- launches (once per supervisor and event loop, kept in ``ctx.shared``) or reuses the browser, and
  relaunches it after a crash;
- opens a fresh context (viewport 1280×800, en-NZ, Pacific/Auckland) with tracing on;
- watches ``ctx.cancelled`` and closes the context within the grace period when it turns true;
- on failure saves a full-page screenshot and the Playwright trace under ``ctx.data_dir``, records
  both as artifacts, and turns Playwright's errors into retryable/permanent step errors;
- routes the page's portal-drift warnings (a locator found only by its fallback, see
  regctl.steps.portal.locate) into the step's result as ``portal_drift`` — ``regctl show`` prints
  them with the results and ``regctl status BATCH`` lists them under the batch.

``REGCTL_HEADED=1`` and ``REGCTL_SLOW_MO=<ms>`` show a run in a visible, slowed-down browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.browser import CONTEXT_OPTIONS, BrowserOptions, launch
from regctl.errors import Cancelled, ConfigError, PermanentStepError, RetryableStepError, StepError
from regctl.steps.base import SHARED_CLOSERS, StepContext
from regctl.steps.portal.locate import set_drift_hook
from regctl.steps.registry import step_type

__all__ = ["BROWSER_RESOURCES", "DRIFT_KEY", "Flow", "browser_step_type", "close_shared_browser",
           "run_in_browser"]

log = logging.getLogger(__name__)

JSON = dict[str, Any]
Flow = Callable[[StepContext, Page], Awaitable[JSON]]

BROWSER_RESOURCES = {"browser": 1}
SHARED_KEY = "regctl.browser"
CANCEL_POLL_S = 0.2
CLOSE_GRACE_S = 5.0
DEFAULT_ACTION_TIMEOUT_MS = 20_000  # well under every browser step's own timeout (≥ 120 s)
DRIFT_KEY = "portal_drift"  # result key of the drift warnings a step saw


# ---------------------------------------------------------------- the shared browser ----------

class _Holder:
    """The browser of one supervisor event loop (Playwright objects are bound to their loop)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None


def _holder(ctx: StepContext) -> _Holder:
    holders: dict[int, _Holder] = ctx.shared.setdefault(SHARED_KEY, {})
    loop_id = id(asyncio.get_running_loop())
    if loop_id not in holders:
        holders[loop_id] = _Holder()
        closers = ctx.shared.setdefault(SHARED_CLOSERS, [])
        if close_shared_browser not in closers:
            closers.append(close_shared_browser)
    return holders[loop_id]


def _options_from_env() -> BrowserOptions:
    headed = os.environ.get("REGCTL_HEADED", "") not in ("", "0", "false")
    return BrowserOptions(headless=not headed, slow_mo_ms=float(os.environ.get("REGCTL_SLOW_MO", "0") or 0))


async def _shared_browser(ctx: StepContext) -> Browser:
    holder = _holder(ctx)
    async with holder.lock:
        if holder.browser is not None and holder.browser.is_connected():
            return holder.browser
        if holder.playwright is None:
            holder.playwright = await async_playwright().start()
        holder.browser = await launch(holder.playwright, _options_from_env())
        return holder.browser


async def close_shared_browser(shared: dict[str, Any]) -> None:
    """Close this loop's browser and Playwright (the supervisor calls it when it stops; tests too)."""
    holders: dict[int, _Holder] = shared.get(SHARED_KEY, {})
    holder = holders.pop(id(asyncio.get_running_loop()), None)
    if holder is None:
        return
    if holder.browser is not None:
        with contextlib.suppress(PlaywrightError):
            await holder.browser.close()
    if holder.playwright is not None:
        await holder.playwright.stop()


# ---------------------------------------------------------------- one step --------------------

async def _watch_cancel(ctx: StepContext, work: asyncio.Task[JSON]) -> JSON:
    while not work.done():
        if ctx.cancelled:
            work.cancel()
            with contextlib.suppress(BaseException):
                await work
            raise Cancelled(f"{ctx.step_key} cancelled")
        await asyncio.wait({work}, timeout=CANCEL_POLL_S)
    return work.result()


def _artifact_dir(ctx: StepContext) -> Path:
    folder = Path(ctx.data_dir) / "artifacts" / f"job-{ctx.job_id}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def _record(ctx: StepContext, kind: str, path: Path) -> None:
    from regctl.db.artifacts import record_artifact

    try:
        await asyncio.to_thread(record_artifact, ctx.database_url, job_id=ctx.job_id, step_key=ctx.step_key,
                                attempt=ctx.attempt, kind=kind, path=path)
    except Exception:
        log.warning("could not record %s artifact %s", kind, path, exc_info=True)


async def _save_failure(ctx: StepContext, context: BrowserContext, page: Page) -> None:
    """Screenshot + trace of the failed attempt, written under the data dir and recorded."""
    stem = _artifact_dir(ctx) / f"{ctx.step_key}-attempt{ctx.attempt}"
    shot, trace = stem.with_suffix(".png"), stem.with_suffix(".trace.zip")
    with contextlib.suppress(PlaywrightError, asyncio.TimeoutError):
        await asyncio.wait_for(page.screenshot(path=str(shot), full_page=True), CLOSE_GRACE_S)
        await _record(ctx, "screenshot", shot)
    with contextlib.suppress(PlaywrightError, asyncio.TimeoutError):
        await asyncio.wait_for(context.tracing.stop(path=str(trace)), CLOSE_GRACE_S)
        await _record(ctx, "trace", trace)


def classify(exc: BaseException, step_key: str) -> BaseException:
    """Playwright's errors as step errors: timeouts and crashes retry; our own errors pass through."""
    if isinstance(exc, StepError | Cancelled | ConfigError):
        return exc
    if isinstance(exc, PlaywrightTimeout):
        first = str(exc).splitlines()[0] if str(exc) else "timeout"
        return RetryableStepError(f"{step_key}: the page did not get ready in time: {first}")
    if isinstance(exc, PlaywrightError):
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return RetryableStepError(f"{step_key}: browser error: {first}")
    if isinstance(exc, httpx.TransportError):  # the wire failed (SPEC §2: retryable)
        return RetryableStepError(f"{step_key}: {type(exc).__name__}: {exc}")
    return PermanentStepError(f"{step_key}: {type(exc).__name__}: {exc}")


def _drifted(ctx: StepContext, seen: list[str], line: str) -> None:
    """Keep one portal-drift warning (once per text) and log it."""
    if line not in seen:
        seen.append(line)
        log.warning("%s: %s", ctx.step_key, line)


async def _close(context: BrowserContext) -> None:
    with contextlib.suppress(PlaywrightError, asyncio.TimeoutError):
        await asyncio.wait_for(context.close(), CLOSE_GRACE_S)


async def run_in_browser(ctx: StepContext, flow: Flow) -> JSON:
    """Run ``flow`` on a fresh page of the shared browser; artifacts on failure; context always closed."""
    ctx.check_cancelled()
    browser = await _shared_browser(ctx)
    context = await browser.new_context(**CONTEXT_OPTIONS)
    context.set_default_timeout(DEFAULT_ACTION_TIMEOUT_MS)
    try:
        # DOM snapshots only: screencast frames cost CPU on every step; a failure takes its own screenshot
        await context.tracing.start(screenshots=False, snapshots=True)
        page = await context.new_page()
        drift: list[str] = []
        set_drift_hook(page, lambda line: _drifted(ctx, drift, line))
        work = asyncio.ensure_future(flow(ctx, page))
        try:
            result = await _watch_cancel(ctx, work)
            return {**result, DRIFT_KEY: drift} if drift else result
        except (Cancelled, asyncio.CancelledError):
            raise
        except Exception as exc:
            if browser.is_connected():
                await _save_failure(ctx, context, page)
            else:
                log.warning("%s: the browser crashed; the next attempt relaunches it", ctx.step_key)
            raise classify(exc, ctx.step_key) from exc
    finally:
        await _close(context)


def browser_step_type(name: str, *, timeout: float, retries: int = 3,
                      description: str = "") -> Callable[[Flow], Flow]:
    """Register ``flow`` as the async step type ``name`` holding one ``browser`` slot."""

    def decorate(flow: Flow) -> Flow:
        @functools.wraps(flow)
        async def run(ctx: StepContext) -> JSON:
            return await run_in_browser(ctx, flow)

        step_type(name, resources=BROWSER_RESOURCES, timeout=timeout, retries=retries,
                  description=description or (flow.__doc__ or "").strip())(run)
        return flow

    return decorate
