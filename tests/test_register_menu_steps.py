"""upload_images → import_menu → add_option_sets → add_item_tags on a real extracted menu, in Chromium.

The menu comes from the sandbox's extraction API through extract_menu (stored in a real SQLite file);
the outcome is checked in the sandbox portal's state against the fixture's ground truth, and a
second run must change nothing.
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

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

SLUG = "spice-route-mount-eden"
EMAIL = "owner@spiceroute.example.nz"
MENU_STEPS = ["upload_images", "import_menu", "add_option_sets", "add_item_tags"]


def _truth() -> dict[str, Any]:
    text = resources.files("regctl.sandbox").joinpath("fixtures/ground_truth.json").read_text()
    return dict(json.loads(text)["restaurants"][SLUG])


@pytest.fixture()
def base(sandbox: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> StepCtx:
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    url = f"sqlite:///{tmp_path / 'regctl.db'}"
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    truth, now = _truth(), time.time()
    with engine.begin() as conn:
        row = schema.restaurants.insert().values(
            organisation_id="test-org", key=SLUG, name=truth["name"], address=truth["address"],
            ubereats_url=truth["ubereats_url"], extra={}, created_at=now, updated_at=now)
        rid = conn.execute(row).inserted_primary_key[0]
    engine.dispose()
    config = {"account": {"email": EMAIL, "password": "Spice-Route-pass-1", "phone": truth["phone"]},
              "restaurant": {"name": truth["name"], "address": truth["address"], "phone": truth["phone"]},
              "menu": {"upload_images": True, "add_option_sets": True, "add_item_tags": True}}
    return StepCtx(config=config, data_dir=tmp_path / "data", database_url=url,
                   restaurant={"id": rid, "name": truth["name"], "ubereats_url": truth["ubereats_url"]})


def _run(base: StepCtx, keys: list[str], results: dict[str, Any] | None = None) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        try:
            return await run_steps(base, keys, results)
        finally:
            await close_browser(base)

    return asyncio.run(main())


def _portal(sandbox: Any) -> dict[str, Any]:
    (restaurant,) = sandbox.state()["portal"]["restaurants"][EMAIL]
    return dict(restaurant)


def test_menu_steps_build_the_menu_then_change_nothing(sandbox: Any, base: StepCtx) -> None:
    truth = _truth()["menu"]
    results = _run(base, ["extract_menu", "create_account", "register_restaurant", *MENU_STEPS])
    assert results["upload_images"]["uploaded"] == truth["items_with_images"]
    assert results["import_menu"]["imported"] is True
    assert results["import_menu"]["images_on_cdn"] == truth["items_with_images"]
    portal = _portal(sandbox)
    items = {i["name"]: i for m in portal["menus"] for c in m["categories"] for i in c["items"]}
    assert len(items) == truth["items"]
    for wanted in truth["item_list"]:
        assert items[wanted["clean_name"]]["price"] == wanted["price"]
        attached = {s["name"] for s in portal["option_sets"] if wanted["clean_name"] in s["items"]}
        assert attached == set(wanted["option_sets"])
    sets = {s["name"]: s for s in portal["option_sets"]}
    assert sorted(sets) == sorted(truth["option_set_names"])
    assert results["add_option_sets"]["created"] == len(truth["option_set_names"])
    tags = {t["name"]: t for t in portal["item_tags"]}
    assert "Gluten Free" in tags and tags["Gluten Free"]["colour"] == "#FF8C00"
    assert all(t["items"] for t in tags.values())

    state, mark = sandbox.state()["portal"], len(sandbox.audit())
    again = _run(base, ["register_restaurant", *MENU_STEPS], {k: results[k] for k in ("extract_menu",)})
    assert again["upload_images"]["uploaded"] == 0
    assert again["import_menu"]["adopted"] is True
    assert again["add_option_sets"]["created"] == 0 and again["add_item_tags"]["created"] == 0
    assert sandbox.state()["portal"] == state
    writes = [e for e in sandbox.audit(mark) if e.get("method") not in ("GET", "HEAD")
              and not str(e.get("path")).endswith("/login")]
    assert writes == []
