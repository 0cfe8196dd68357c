"""The held-out client (heldout_client.py, written from the reference on the REAL portal and hub) against
`regctl sandbox serve`, with admin.<domain> and manage.<domain> mapped to its port (issue 11).

The server and the client run as separate processes, as they would for the people holding the client
out: the test only starts `regctl sandbox serve`, runs the client, and then reads the sandbox's
inspection API (`/_sandbox/state`, docs/sandbox.md) to check that every flow's effects landed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# ~2 minutes on an idle machine; the whole client runs in one test, so the default 300 s is too tight
# when the suite shares two cores.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1200)]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DOMAIN = "pumpd.test"  # any domain: the client maps admin./manage. to the port itself


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def get_json(url: str, method: str = "GET", body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no Chromium on this machine")
    port = free_port()
    env = dict(os.environ, REGCTL_SANDBOX_DOMAIN=DOMAIN)
    log = tmp_path_factory.mktemp("heldout") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/regctl"), "sandbox", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    api = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                get_json(api + "/_sandbox/health")
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(f"regctl sandbox serve exited: {log.read_text()}") from None
                time.sleep(0.1)
        yield api
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_client(api: str, flows: list[str]) -> dict[str, dict[str, Any]]:
    out = subprocess.run(
        [
            sys.executable,
            str(HERE / "heldout_client.py"),
            "--api",
            api,
            "--domain",
            DOMAIN,
            "--flows",
            ",".join(flows),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    results = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            results[r["flow"]] = r
    assert results, f"the client printed no result: {out.stdout[-2000:]} {out.stderr[-2000:]}"
    return results


def failures(results: dict[str, dict[str, Any]]) -> list[str]:
    return [
        f"{name}: fails at {r.get('step')!r}: {r.get('error')}" for name, r in results.items() if not r["ok"]
    ]


def restaurant(api: str, res_id: str) -> dict[str, Any]:
    state = get_json(api + "/_sandbox/state")
    for owned in state["portal"]["restaurants"].values():
        for r in owned:
            if r["id"] == res_id:
                found: dict[str, Any] = r
                return found
    raise AssertionError(f"{res_id} is not in the sandbox's state")


def test_every_onboarding_flow_goes_through(served: str) -> None:
    from heldout_client import FLOWS, ITEM_TAGS, MENU, OPTION_SETS  # type: ignore[import-not-found]

    results = run_client(served, FLOWS)
    assert set(results) == set(FLOWS), results
    assert not failures(results), "\n".join(failures(results))

    # The effects: what each flow typed is what the sandbox's portal now holds.
    res_id = results["create_restaurant"]["facts"]["restaurant_id"]
    r = restaurant(served, res_id)
    assert r["phone"] == "+6493761234" and r["map_source"] == "google"
    assert r["address"].startswith("171 Queen Street")
    assert [(h["day"], h["open"], h["close"]) for h in r["hours"]][2:4] == [
        ("Wednesday", "12:00", "14:00"),
        ("Wednesday", "17:00", "21:30"),
    ]  # [R] SES:8 two slots on one day
    assert "New Zealand" in r["locale"] and "Auckland" in r["timezone"] and r["currency"] == "NZD"
    assert r["tax_in_prices"] is True  # one click on a toggle that starts Off (LR:659)
    items = {i["name"] for m in r["menus"] for c in m["categories"] for i in c["items"]}
    assert items == {dish for dishes in MENU.values() for dish, _, _ in dishes}
    sets = {s["name"]: s for s in r["option_sets"]}
    for spec in OPTION_SETS:
        got = sets[spec["name"]]
        assert got["required"] == spec["required"] and got["select_multiple"] == spec["multiple"]
        assert (got["min_options"], got["max_options"]) == (spec["min"], spec["max"])
        assert [(o["name"], o["price"]) for o in got["options"]] == list(spec["options"])
        assert sorted(got["items"]) == sorted(spec["items"])
    tags = {t["name"]: t for t in r["item_tags"]}
    for name, colour, tagged in ITEM_TAGS:
        assert tags[name]["colour"].lower() == colour.lower() and tags[name]["items"] == tagged
    web = r["website"]
    assert web["theme"] == "dark" and web["primary_colour"].upper() == "#E63946"
    assert web["heading_font"] == web["body_font"] == "Gabarito"
    assert web["nav_logo_url"] and web["header_enabled"] and web["header_logo_url"] and web["favicon_url"]
    assert web["item_layout"] == "card" and web["custom_head"].startswith("<script>")
    assert results["website"]["facts"]["store_url"].startswith(f"http://{r['subdomain']}.{DOMAIN}")
    deliveries = r["services"]["deliveries"]
    assert (
        deliveries["min_order"] == 2.0
        and deliveries["map_picker"]
        and deliveries["delivery_provider"] == "uber"
    )
    assert deliveries["checkout_fields"] == [] and not r["services"]["dine_ins"]["enabled"]
    assert not r["services"]["table_bookings"]["enabled"]
    stripe = [p for p in r["payments"] if p["kind"] == "stripe"]
    assert stripe and stripe[0]["currency"] == "NZD" and stripe[0]["print_label"] == "Paid Online - Pump'd"
    assert "stripe.com" in results["payments"]["facts"]["Final URL"]  # RR:2720-2726 keeps only such URLs
    assert r["integrations"], "the Uber Delivery Management form was not saved"
    assert [(t["name"], t["rate"]) for t in r["taxes"]] == [("GST", 15.0)]
    assert [(p["name"], p["auto_print"]) for p in r["printers"]] == [("Receipt", True)]
    assert [w["url"] for w in r["webhooks"]] == ["https://example.nz/hook"]
    receipt = r["system"]["receipt_printing"]  # SY:945-1002: Receipt Logo tab, custom logo uploaded
    assert receipt["receipt_logo_mode"] == "custom" and receipt["receipt_logo_url"]
    assert results["system"]["facts"]["sound"] == "Plucky"  # SY:1028, the 6th option
    assert results["csv_rejected"]["facts"]["error"]
    # [R] RWY:40 Uploadcare's CSS on every admin page; §3.3 every h4 on the dashboard is a restaurant name
    assert results["bot_detection"]["facts"]["user_agent_headless"] is True
    assert results["login"]["facts"] == {
        "uploadcare_css": True,
        "h4_outside_list": 0,
        "dashboard_network_idle": False,
    }


def test_the_stripe_form_without_connect_and_an_account_with_two_restaurants(served: str) -> None:
    """§2 #1: the second live version of the Payments form (no Connect block, rows one up); §3.3 the
    fuzzy pick among two restaurants; §15 "Restaurant Access" shown for two and both picked (AK)."""
    get_json(
        served + "/_sandbox/faults", "PUT", {"faults": {"portal.payments": {"stripe_form": "no_connect"}}}
    )
    try:
        results = run_client(
            served, ["create_restaurant", "create_second_restaurant", "payments", "developers"]
        )
    finally:
        get_json(served + "/_sandbox/faults", "PUT", {})
    assert not failures(results), "\n".join(failures(results))
    assert results["payments"]["facts"]["stripe_form"].startswith("SN")
    first, second = (
        results[f]["facts"]["restaurant_id"] for f in ("create_restaurant", "create_second_restaurant")
    )
    assert results["payments"]["facts"]["restaurant_id"] == first
    r = restaurant(served, first)
    assert [
        (p["currency"], p["min_order"], p["max_order"]) for p in r["payments"] if p["kind"] == "stripe"
    ] == [("NZD", 2.0, 9999.0)]
    assert restaurant(served, second)["payments"] == []
    assert results["developers"]["facts"]["restaurant_access_shown"] is True
    keys = [
        k
        for k in get_json(served + "/_sandbox/state")["portal"]["api_keys"]
        if k["owner_email"] == r["owner_email"]
    ]
    assert sorted(keys[-1]["restaurants"]) == sorted([first, second])  # AK picks every restaurant
