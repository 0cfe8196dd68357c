"""regctl.browser: the context every page object runs in, and failure artifacts on demand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures_browser import BrowserRunner

from regctl.browser import BrowserOptions, _launch_kwargs, fresh_page

pytestmark = pytest.mark.browser


def test_a_fresh_page_is_new_zealand_sized_and_closed_after(browser: BrowserRunner) -> None:
    async def probe() -> Any:
        async with fresh_page(browser.browser) as page:
            await page.set_content("<p>hi</p>")
            return await page.evaluate("""() => [navigator.language,
                Intl.DateTimeFormat().resolvedOptions().timeZone, innerWidth, innerHeight]""")

    assert browser.submit(probe()) == ["en-NZ", "Pacific/Auckland", 1280, 800]
    assert len(browser.browser.contexts) == 0  # closed afterwards


def test_a_failure_leaves_a_screenshot_and_a_trace(browser: BrowserRunner, tmp_path: Path) -> None:
    async def failing() -> None:
        async with fresh_page(browser.browser, artifacts_dir=tmp_path) as page:
            await page.set_content("<h1>about to fail</h1>")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        browser.submit(failing())
    assert (tmp_path / "failure.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "trace.zip").read_bytes()[:2] == b"PK"


def test_a_success_leaves_no_artifacts(browser: BrowserRunner, tmp_path: Path) -> None:
    async def fine() -> None:
        async with fresh_page(browser.browser, artifacts_dir=tmp_path) as page:
            await page.set_content("<h1>fine</h1>")

    browser.submit(fine())
    assert list(tmp_path.iterdir()) == []


def test_headed_runs_drop_the_headless_flag() -> None:
    headed = _launch_kwargs(BrowserOptions(headless=False, slow_mo_ms=250, executable="/bin/true"))
    assert "--headless" not in headed["args"] and headed["slow_mo"] == 250 and not headed["headless"]
    assert "--headless" in _launch_kwargs(BrowserOptions(executable="/bin/true"))["args"]
