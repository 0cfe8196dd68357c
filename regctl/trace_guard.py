"""Keep credentials out of Playwright traces.

A trace records DOM snapshots (with the value typed into a password field) and the network (with
the login request's body). :func:`credential_entry` wraps the moments a flow types a password and
submits it: tracing is stopped — and what it held discarded — before the first keystroke, every
password field is emptied afterwards, and tracing starts again, so a failure later in the step
still leaves a trace, but one without the secret. The pre-login part of the trace (opening the
login page) is given up for this. docs/security.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

__all__ = ["credential_entry"]

_CLEAR_PASSWORDS = "els => els.forEach(e => { e.value = ''; e.removeAttribute('value'); })"


@contextlib.asynccontextmanager
async def credential_entry(page: Any) -> AsyncIterator[None]:
    """Within the block nothing is traced; afterwards password fields are empty and tracing resumes."""
    from playwright.async_api import Error as PlaywrightError

    tracing = page.context.tracing
    try:
        await tracing.stop()  # discards the chunk recorded so far (it had no path to go to)
        was_tracing = True
    except PlaywrightError:  # tracing was not started for this context
        was_tracing = False
    try:
        yield
    finally:
        with contextlib.suppress(PlaywrightError):
            await page.locator("input[type=password]").evaluate_all(_CLEAR_PASSWORDS)
        if was_tracing:
            with contextlib.suppress(PlaywrightError):
                await tracing.start(screenshots=False, snapshots=True)
