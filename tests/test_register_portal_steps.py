"""register_restaurant and the settings steps, in real Chromium against the sandbox admin portal."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from register_support import StepCtx, close_browser, run_steps

pytestmark = pytest.mark.browser

CONFIG: dict[str, Any] = {
    "account": {"email": "owner@kai-place.example.nz", "password": "Kai-Place-pass-1",
                "phone": "09 555 0101"},
    "restaurant": {"name": "Kai Place (Ponsonby)", "address": "1 Ponsonby Road, Ponsonby, Auckland",
                   "phone": "09 555 0101",
                   "opening_hours": [{"day": "Monday", "open": "09:00", "close": "17:00"},
                                     {"day": "Friday", "open": "18:00", "close": "02:00"}]},
    "payment": {"include_stripe_link": True},
}
STEPS = ["create_account", "register_restaurant", "configure_services", "configure_payment"]


@pytest.fixture()
def world(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    return sandbox


def _run(tmp_path: Path, keys: list[str], results: dict[str, Any] | None = None) -> dict[str, Any]:
    base = StepCtx(config=CONFIG, data_dir=tmp_path)

    async def main() -> dict[str, Any]:
        try:
            return await run_steps(base, keys, results)
        finally:
            await close_browser(base)

    return asyncio.run(main())


def _portal_restaurants(world: Any) -> list[dict[str, Any]]:
    return list(world.state()["portal"]["restaurants"].get(CONFIG["account"]["email"], []))


def _mutations(world: Any, since: int) -> list[dict[str, Any]]:
    return [e for e in world.audit(since)
            if e.get("method") not in ("GET", "HEAD") and not str(e.get("path")).endswith("/login")]


def test_register_and_configure_then_a_second_run_changes_nothing(world: Any, tmp_path: Path) -> None:
    results = _run(tmp_path, STEPS)
    registered = results["register_restaurant"]
    assert registered["restaurant_id"].startswith("RES") and registered["created"] is True
    assert registered["subdomain"] == "kaiplaceponsonby"
    (shown,) = _portal_restaurants(world)
    assert shown["id"] == registered["restaurant_id"]
    assert shown["address"].startswith("1 Ponsonby Road") and shown["phone"]
    assert {"day": "Friday", "open": "18:00", "close": "23:59"} in shown["hours"]
    assert {"day": "Saturday", "open": "00:00", "close": "02:00"} in shown["hours"]
    services = shown["services"]
    assert services["dine_ins"]["enabled"] is False and services["table_bookings"]["enabled"] is False
    assert services["deliveries"]["min_order"] == 2 and services["deliveries"]["checkout_fields"] == []
    assert services["pickups"]["auto_confirm"] is True and services["pickups"]["max_days_ahead"] == 8
    (stripe,) = shown["payments"]
    assert stripe["enabled"] and stripe["theme"] == "Flat" and stripe["print_label"] == "Paid Online - Pump'd"
    assert "stripe.com" in results["configure_payment"]["stripe_connect_url"]

    state_before, audit_mark = world.state()["portal"], len(world.audit())
    again = _run(tmp_path, STEPS[1:], {"create_account": results["create_account"],
                                       "configure_payment": results["configure_payment"]})
    assert again["register_restaurant"]["adopted"] is True
    assert again["register_restaurant"]["restaurant_id"] == registered["restaurant_id"]
    assert again["configure_services"]["services_changed"] == []
    assert again["configure_payment"]["stripe_saved"] is False
    assert world.state()["portal"] == state_before
    assert _mutations(world, audit_mark) == []


def teardown_module() -> None:
    from register_support import TIMINGS

    print("\nstep timings:", ", ".join(f"{k} {s:.1f}s" for k, s in TIMINGS))
