"""The shared browser-step shape, in a real headless Chromium: artifacts, errors, cancellation."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.async_api import Page
from register_support import StepCtx

from regctl.db import schema
from regctl.db.artifacts import artifacts_of_job
from regctl.errors import Cancelled, PermanentStepError, RetryableStepError
from regctl.steps.base import StepContext
from regctl.steps.browser_step import (
    BROWSER_RESOURCES,
    browser_step_type,
    close_shared_browser,
    run_in_browser,
)
from regctl.steps.registry import lookup

pytestmark = pytest.mark.browser


@pytest.fixture()
def ctx(tmp_path: Path) -> StepCtx:
    url = f"sqlite:///{tmp_path / 'steps.db'}"
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(schema.steps.insert().values(
            id=7, job_id=3, batch_id=1, organisation_id="o", key="demo_step", uses="demo_step",
            kind="automatic", status="running", position=0, needs=[], after=[], critical=True, params={},
            resources={}, max_attempts=3, attempts=1))
    engine.dispose()
    return StepCtx(config={}, data_dir=tmp_path / "data", database_url=url, job_id=3, step_key="demo_step",
                   attempt=2)


def _run(ctx: StepCtx, flow: Any) -> Any:
    async def main() -> Any:
        try:
            return await run_in_browser(ctx, flow)
        finally:
            await close_shared_browser(ctx.shared)

    return asyncio.run(main())


def test_a_flow_returns_its_result(ctx: StepCtx) -> None:
    async def flow(_: StepContext, page: Page) -> dict[str, Any]:
        await page.set_content("<h1>Hello</h1>")
        return {"heading": await page.inner_text("h1")}

    assert _run(ctx, flow) == {"heading": "Hello"}
    assert artifacts_of_job(ctx.database_url, 3) == []


def test_a_page_that_never_gets_ready_is_retryable_with_screenshot_and_trace(ctx: StepCtx) -> None:
    async def flow(_: StepContext, page: Page) -> dict[str, Any]:
        await page.set_content("<div class='cover-loader active'>loading</div>")
        await page.wait_for_selector(".cover-loader:not(.active)", timeout=300)
        return {}

    with pytest.raises(RetryableStepError, match="demo_step: the page did not get ready"):
        _run(ctx, flow)
    found = artifacts_of_job(ctx.database_url, 3)
    assert sorted(a.kind for a in found) == ["screenshot", "trace"]
    assert {a.attempt for a in found} == {2}
    assert all(Path(a.path).is_file() and Path(a.path).stat().st_size > 0 for a in found)


def test_failure_text_raised_by_a_flow_stays_permanent(ctx: StepCtx) -> None:
    async def flow(_: StepContext, page: Page) -> dict[str, Any]:
        await page.set_content("<p class=error>Invalid CSV</p>")
        raise PermanentStepError("import_menu: the portal said: Invalid CSV")

    with pytest.raises(PermanentStepError, match="Invalid CSV"):
        _run(ctx, flow)
    assert len(artifacts_of_job(ctx.database_url, 3)) == 2


def test_cancellation_closes_the_context_promptly(ctx: StepCtx) -> None:
    seen: dict[str, Any] = {}

    async def flow(_: StepContext, page: Page) -> dict[str, Any]:
        seen["context"] = page.context
        await page.set_content("<p>waiting</p>")
        asyncio.get_running_loop().call_later(0.3, lambda: setattr(ctx, "cancel_now", True))
        await asyncio.sleep(30)
        seen["finished"] = True
        return {}

    with pytest.raises(Cancelled):
        _run(ctx, flow)
    assert "finished" not in seen
    assert seen["context"].pages == []  # closed


def test_registered_browser_steps_hold_one_browser_slot() -> None:
    @browser_step_type("test_register.demo_browser_step", timeout=5)
    async def demo(_: StepContext, page: Page) -> dict[str, Any]:
        return {}

    registered = lookup("test_register.demo_browser_step")
    assert dict(registered.resources) == BROWSER_RESOURCES
    assert registered.timeout == 5
