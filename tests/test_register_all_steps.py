"""All twelve registration steps for one sandbox restaurant, in order, in real Chromium (no engine).

Enrichment first (menu + branding from the sandbox), the config derived by the real derivation,
then every registration step; the sandbox must show the restaurant configured as the config says,
and running every registration step again must change nothing (state and audit).
"""

from __future__ import annotations

import asyncio
import json
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from register_support import StepCtx, close_browser, run_steps

from regctl.db import schema
from regctl.db.domain import records_for
from regctl.registration_config import derive_config

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

SLUG = "mama-rosas-pizzeria"
REGISTRATION = ["create_account", "generate_code", "create_onboarding_user", "upload_images",
                "register_restaurant", "configure_website", "configure_services", "configure_payment",
                "import_menu", "sync_onboarding", "add_option_sets", "add_item_tags"]


def _truth() -> dict[str, Any]:
    text = resources.files("regctl.sandbox").joinpath("fixtures/ground_truth.json").read_text()
    return dict(json.loads(text)["restaurants"][SLUG])


def _database(tmp_path: Path, sandbox_url: str, truth: dict[str, Any]) -> tuple[str, int]:
    url = f"sqlite:///{tmp_path / 'regctl.db'}"
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    now = time.time()
    with engine.begin() as conn:
        row = schema.restaurants.insert().values(
            organisation_id="test-org", key=SLUG, name=truth["name"], address=truth["address"],
            city=truth["city"], phone=truth["phone"], email=truth["email"],
            ubereats_url=truth["ubereats_url"],
            website=f"{sandbox_url}/sites/{SLUG}/", opening_hours=truth["opening_hours"], extra={},
            created_at=now, updated_at=now)
        rid = int(conn.execute(row).inserted_primary_key[0])
    engine.dispose()
    return url, rid


def _run(base: StepCtx, keys: list[str], results: dict[str, Any] | None = None) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        try:
            return await run_steps(base, keys, results)
        finally:
            await close_browser(base)

    return asyncio.run(main())


@pytest.fixture()
def enriched(sandbox: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[StepCtx, dict[str, Any]]:
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    truth = _truth()
    url, rid = _database(tmp_path, sandbox.url, truth)
    record = records_for(url).restaurant(rid)
    base = StepCtx(config={}, data_dir=tmp_path / "data", database_url=url, restaurant=record)
    base.data_dir.mkdir(parents=True)
    results = _run(base, ["extract_menu", "extract_branding"])
    record = records_for(url).restaurant(rid)
    config = derive_config(record, {"payment": {"include_stripe_link": True}})
    return StepCtx(config=config, data_dir=base.data_dir, database_url=url, restaurant=record), results


def _portal(sandbox: Any, email: str) -> dict[str, Any]:
    (restaurant,) = sandbox.state()["portal"]["restaurants"][email.lower()]
    return dict(restaurant)


def test_every_registration_step_then_a_second_run_changes_nothing(
        sandbox: Any, enriched: tuple[StepCtx, dict[str, Any]]) -> None:
    base, enrichment = enriched
    truth, config = _truth(), base.config
    results = _run(base, REGISTRATION, enrichment)
    portal = _portal(sandbox, config["account"]["email"])
    assert portal["id"] == results["register_restaurant"]["restaurant_id"]
    assert portal["phone"] and portal["address"].startswith(truth["address"].split(",")[0])
    assert {(h["day"], h["open"], h["close"]) for h in portal["hours"]} == {
        (h["day"], h["open"], h["close"]) for h in config["restaurant"]["opening_hours"]}
    website = portal["website"]
    assert website["theme"] == config["website"]["theme"] == truth["branding"]["theme"]
    assert website["primary_colour"].lower() == config["website"]["primary_color"].lower()
    assert website["custom_head"].replace("\r\n", "\n") == results["generate_code"]["head"]  # form posts CRLF
    assert results["configure_website"]["hosted_logo_url"].endswith(website["nav_logo_url"])
    assert website["item_layout"] == "card" and website["heading_font"] == "Gabarito"
    assert portal["services"]["dine_ins"]["enabled"] is False
    assert portal["payments"][0]["enabled"] is True and portal["stripe_connect_url"]
    items = [i for m in portal["menus"] for c in m["categories"] for i in c["items"]]
    assert len(items) == truth["menu"]["items"]
    assert sorted(s["name"] for s in portal["option_sets"]) == sorted(truth["menu"]["option_set_names"])
    (onboarding,) = [r for r in sandbox.state()["onboarding"]
                     if r["email"].lower() == config["onboarding"]["user_email"].lower()]
    assert onboarding["restaurant_id"] == portal["id"]
    assert onboarding["logo_url"] == results["configure_website"]["hosted_logo_url"]
    assert onboarding["stripe_connect_link"] == results["configure_payment"]["stripe_connect_url"]

    state, mark = sandbox.state(), len(sandbox.audit())
    again = _run(base, REGISTRATION, results)
    assert again["create_account"]["adopted"] and again["register_restaurant"]["adopted"]
    assert again["create_onboarding_user"]["adopted"] and again["generate_code"]["reused"]
    assert again["configure_website"]["sections_changed"] == []
    after = sandbox.state()
    assert after["portal"] == state["portal"] and after["accounts"] == state["accounts"]
    assert [r | {"updated_at": None} for r in after["onboarding"]] == \
        [r | {"updated_at": None} for r in state["onboarding"]]
    writes = [e for e in sandbox.audit(mark) if e.get("method") not in ("GET", "HEAD")
              and not str(e.get("path")).endswith("/login") and "refused" not in str(e.get("summary"))]
    assert writes == []
