"""Page faults reach the portal through the real server: a loader that never clears, a failing CSV import."""

from __future__ import annotations

import importlib.util

import httpx
import pytest

from regctl.sandbox.faults import CSV_IMPORT_FAILURE_TEXT
from regctl.sandbox.server import SandboxHandle
from regctl.sandbox.world import EXISTING_ACCOUNT_PASSWORD

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("regctl.sandbox.portal") is None, reason="portal pages not present"
)


def _logged_in(sandbox: SandboxHandle) -> tuple[httpx.Client, str, str]:
    """A logged-in client, the dashboard it landed on, and the pre-registered restaurant's id."""
    email = sandbox.state()["accounts"][0]["email"]
    client = sandbox.client("admin_portal", follow_redirects=True)
    answer = client.post("/login", data={"email": email, "password": EXISTING_ACCOUNT_PASSWORD})
    assert answer.status_code == 200
    (owned,) = sandbox.state()["portal"]["restaurants"].values()
    return client, answer.text, owned[0]["id"]


def test_loader_never_clears_once_then_clears(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"portal.dashboard": {"loader_never_clears": True, "times": 1}}})
    client, stuck, _ = _logged_in(sandbox)
    try:
        healthy = client.get("/").text
    finally:
        client.close()
    # the page's client keeps .cover-loader.active while data-loader-stuck is true (portal_spa.js)
    assert 'class="cover-loader active"' in stuck and 'data-loader-stuck="true"' in stuck
    assert 'data-loader-stuck="false"' in healthy


def test_csv_import_fails_with_the_portal_error_text(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"portal.menu_import": {"csv_import_fails": True}}})
    client, _, rid = _logged_in(sandbox)
    try:
        answer = client.post(
            f"/restaurant/{rid}/menus/import",
            files={"file": ("menu.csv", b"menuName,categoryName,dishName,dishPrice\n", "text/csv")},
        )
    finally:
        client.close()
    assert answer.status_code == 400 and CSV_IMPORT_FAILURE_TEXT in answer.text
    (owned,) = sandbox.state()["portal"]["restaurants"].values()
    assert owned[0]["menus"] == []
