"""Fixtures: ``sandbox`` — one in-process sandbox server per test session, reset before each test.

    def test_something(sandbox):          # a SandboxHandle, freshly reset
        httpx.get(sandbox.urls["company_register"] + "/entities", ...)
        assert sandbox.state()["accounts"] == [...]

``sandbox_session`` is the session-scoped server itself (no reset), for read-only tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from regctl.sandbox.server import SandboxHandle, running_sandbox


@pytest.fixture(scope="session")
def sandbox_session() -> Iterator[SandboxHandle]:
    with running_sandbox(seed=0) as handle:
        yield handle


@pytest.fixture
def sandbox(sandbox_session: SandboxHandle) -> SandboxHandle:
    """The session's sandbox, reset to the fixtures and with every fault lifted."""
    sandbox_session.set_faults({})
    sandbox_session.reset()
    return sandbox_session
