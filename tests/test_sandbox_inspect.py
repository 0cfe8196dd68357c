"""Contract: /_sandbox state, audit, reset, health and the server's loopback-only rule."""

from __future__ import annotations

import httpx
import pytest

from regctl.errors import UsageError
from regctl.sandbox.server import SandboxHandle, check_loopback


def test_health_and_index(sandbox: SandboxHandle) -> None:
    assert httpx.get(sandbox.url + "/_sandbox/health").json()["ok"] is True
    urls = httpx.get(sandbox.url + "/").json()["urls"]
    assert urls["company_register"] == sandbox.urls["company_register"]


def test_state_lists_every_part(sandbox: SandboxHandle) -> None:
    state = sandbox.state()
    assert {"accounts", "portal", "onboarding", "cdn", "register", "fixtures", "faults"} <= set(state)
    assert len(state["fixtures"]["restaurants"]) >= 30


def test_reset_forgets_mutations_and_audit(sandbox: SandboxHandle) -> None:
    sandbox.world.audit("test", "POST", "/x", "something")
    assert len(sandbox.audit()) == 1
    sandbox.reset()
    assert sandbox.audit() == []


def test_audit_since_returns_only_newer_entries(sandbox: SandboxHandle) -> None:
    for n in range(3):
        sandbox.world.audit("test", "POST", f"/x/{n}", "call")
    assert [e["seq"] for e in sandbox.audit(since=1)] == [2, 3]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert check_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", ""])
def test_other_hosts_are_refused(host: str) -> None:
    with pytest.raises(UsageError, match="loopback only"):
        check_loopback(host)
