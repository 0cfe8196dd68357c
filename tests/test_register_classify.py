"""How a browser step's unexpected exceptions become step errors (SPEC §2: the wire failing retries)."""

from __future__ import annotations

import httpx

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.browser_step import classify


def test_a_refused_connection_is_retryable() -> None:
    assert isinstance(classify(httpx.ConnectError("refused"), "configure_website"), RetryableStepError)


def test_an_unexpected_bug_is_permanent() -> None:
    assert isinstance(classify(ValueError("bad"), "configure_website"), PermanentStepError)
