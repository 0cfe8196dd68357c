"""Contract: /_sandbox state, audit, reset, health and the server's loopback-only rule."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

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


@pytest.mark.skipif(
    importlib.util.find_spec("regctl.sandbox.portal") is None, reason="portal pages not present"
)
def test_portal_and_hub_are_mounted(sandbox: SandboxHandle) -> None:
    """Each at the root of its own host (admin.<domain>, manage.<domain>); any domain works."""
    assert sandbox.urls["admin_portal"].startswith("http://admin.pumpd.localhost:")
    assert sandbox.urls["marketing_hub"].startswith("http://manage.pumpd.localhost:")
    with sandbox.client("admin_portal") as portal, sandbox.client("marketing_hub") as hub:
        assert portal.get("/login").status_code == 200
        assert hub.get("/login").status_code == 200
    other = httpx.get(sandbox.url + "/login", headers={"host": "admin.ozorders.test"})
    assert other.status_code == 200 and "password" in other.text
    assert httpx.get(sandbox.url + "/admin/login").status_code == 404  # no path prefixes any more


def test_the_registered_fixture_restaurant_is_in_the_portal(sandbox: SandboxHandle) -> None:
    (owned,) = sandbox.state()["portal"]["restaurants"].values()
    assert owned[0]["name"] == "Burger Shack (Mount Maunganui)" and owned[0]["hours"]


def test_foreground_server_announces_its_url_and_serves() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "regctl.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert httpx.get(url + "/_sandbox/health", timeout=30).json()["ok"] is True
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_foreground_server_refuses_bad_hosts() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "regctl.sandbox", "--host", "10.0.0.1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "loopback only" in result.stderr


def test_calls_record_when_each_endpoint_was_hit(sandbox: SandboxHandle) -> None:
    for _ in range(2):
        httpx.get(sandbox.urls["websites"] + "/")
    calls = httpx.get(sandbox.url + "/_sandbox/calls", params={"name": "sites.list"}).json()
    assert [c["name"] for c in calls] == ["sites.list", "sites.list"] and calls[0]["time"] <= calls[1]["time"]
