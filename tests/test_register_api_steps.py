"""create_account, upload_images and sync_onboarding against the running sandbox's real HTTP APIs."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from register_support import StepCtx

from regctl.db import schema
from regctl.db.domain import records_for
from regctl.errors import PermanentStepError, RateLimited, RetryableStepError
from regctl.providers.cdn import Cdn
from regctl.steps.onboarding.create_account import RATE_LIMIT, create_account
from regctl.steps.onboarding.registration_common import target_of
from regctl.steps.onboarding.sync_onboarding import hours_text
from regctl.steps.onboarding.upload_images import upload_images


@pytest.fixture()
def world(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The shared sandbox (reset by its fixture), named by the environment as a run would."""
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    return sandbox


def _ctx(tmp_path: Path, config: dict[str, Any], **kw: Any) -> StepCtx:
    return StepCtx(config=config, data_dir=tmp_path, **kw)


ACCOUNT = {"account": {"email": "Owner@Kai-Place.example.nz", "password": "s3cret-Pass!",
                       "phone": "09 555 0101"}}


def _created(audit: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in audit if "account created" in e.get("summary", "")]


def test_create_account_registers_then_adopts(world: Any, tmp_path: Path) -> None:
    first = _ctx(tmp_path, ACCOUNT)
    result = create_account(first)
    assert result["created"] is True and result["phone"] == "+6495550101"
    assert first.rate_limits_taken == [RATE_LIMIT]
    again = create_account(_ctx(tmp_path, ACCOUNT))
    assert again["adopted"] is True and again["created"] is False
    assert len(_created(world.audit())) == 1
    assert "s3cret-Pass!" not in str(world.audit()) + str(result) + str(again)


def test_create_account_adopts_an_account_registered_before(world: Any, tmp_path: Path) -> None:
    email = world.state()["accounts"][0]["email"]
    config = {"account": {**ACCOUNT["account"], "email": email}}
    assert create_account(_ctx(tmp_path, config))["adopted"] is True
    assert _created(world.audit()) == []


def test_create_account_with_a_wrong_secret_fails_at_once(world: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from regctl import targets

    real = targets.sandbox_target(world.url)
    platform = real.systems["platform_api"]
    wrong = targets.System(platform.name, platform.url, {**platform.credentials, "secret": "CWS_wrong"},
                           platform.env_names)
    ctx = _ctx(tmp_path, ACCOUNT)
    broken = targets.Target("sandbox", {**real.systems, "platform_api": wrong})
    ctx.shared["regctl.targets"] = {"sandbox": broken}
    with pytest.raises(PermanentStepError, match="Invalid signature") as caught:
        create_account(ctx)
    assert "CWS_wrong" not in str(caught.value)


def test_hours_text_in_weekday_order() -> None:
    hours = [{"day": "Tuesday", "open": "09:00", "close": "17:00"}, {"day": "Monday", "open": "11:00",
                                                                     "close": "14:00"},
             {"day": "Monday", "open": "17:00", "close": "21:00"}, {"day": "Sunday", "open": "Closed",
                                                                     "close": "Closed"}]
    assert hours_text(hours) == "Monday: 11:00 - 14:00, 17:00 - 21:00. Tuesday: 09:00 - 17:00."


SITE = "spice-route-mount-eden"


def _image_menu(tmp_path: Path, sources: list[str]) -> tuple[str, int, list[int]]:
    """A SQLite file holding one menu with one item per image: (database URL, menu id, image ids)."""
    url = f"sqlite:///{tmp_path / 'images.db'}"
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        rid = conn.execute(schema.restaurants.insert().values(
            organisation_id="test-org", key="k", name="Spice Route", extra={}, created_at=0.0,
            updated_at=0.0)).inserted_primary_key[0]
        mid = conn.execute(schema.menus.insert().values(restaurant_id=rid, source="file", created_at=0.0)
                           ).inserted_primary_key[0]
        cat = conn.execute(schema.menu_categories.insert().values(menu_id=mid, name="Mains", position=0)
                           ).inserted_primary_key[0]
        ids = []
        for pos, source in enumerate(sources):
            item = conn.execute(schema.menu_items.insert().values(
                menu_id=mid, category_id=cat, name=f"Dish {pos}", price=Decimal("10"), tags=[], position=pos)
            ).inserted_primary_key[0]
            ids.append(conn.execute(schema.item_images.insert().values(item_id=item, source_url=source)
                                    ).inserted_primary_key[0])
    engine.dispose()
    return url, int(mid), [int(i) for i in ids]


def _images(url: str) -> list[tuple[str | None, str | None]]:
    """(cdn_id, cdn_token) of every image, in id order."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.item_images.c.cdn_id, schema.item_images.c.cdn_token)
                            .order_by(schema.item_images.c.id)).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


def _uploads(world: Any) -> Counter[str]:
    return Counter(u["source_url"] for u in world.state()["cdn"]["uploads"])


def test_upload_images_resumes_a_failed_poll_instead_of_uploading_again(world: Any, tmp_path: Path) -> None:
    sources = [f"{world.url}/sites/{SITE}/logo.png", f"{world.url}/sites/{SITE}/og.jpg"]
    url, mid, _ = _image_menu(tmp_path, sources)
    ctx = _ctx(tmp_path, {"menu": {"menu_id": mid}}, database_url=url)
    world.set_faults({"faults": {"cdn.status": {"drop_rate": 1.0}}})
    with pytest.raises(RetryableStepError, match="2 of 2 images"):
        upload_images(ctx)
    assert [token is not None and cdn_id is None for cdn_id, token in _images(url)] == [True, True]
    world.set_faults({})
    result = upload_images(_ctx(tmp_path, {"menu": {"menu_id": mid}}, database_url=url))
    assert result["uploaded"] == 2 and result["failed"] == 0
    assert _uploads(world) == {sources[0]: 1, sources[1]: 1}
    assert [cdn_id is not None and token is None for cdn_id, token in _images(url)] == [True, True]


def test_upload_images_starts_again_only_when_the_cdn_lost_the_token(world: Any, tmp_path: Path) -> None:
    sources = [f"{world.url}/sites/{SITE}/logo.png", f"{world.url}/sites/{SITE}/og.jpg"]
    url, mid, ids = _image_menu(tmp_path, sources)
    ctx = _ctx(tmp_path, {"menu": {"menu_id": mid}}, database_url=url)
    cdn = Cdn.for_target(target_of(ctx))
    try:
        started = cdn.start_upload(sources[0], "logo.png")  # as an interrupted attempt left it
    finally:
        cdn.close()
    (file_id,) = [u["file_uuid"] for u in world.state()["cdn"]["uploads"] if u["token"] == started]
    store = records_for(url)
    store.record_cdn_token(ids[0], started)
    store.record_cdn_token(ids[1], "no-such-token")
    assert upload_images(ctx)["uploaded"] == 2
    assert _uploads(world) == {sources[0]: 1, sources[1]: 1}
    assert _images(url)[0] == (file_id, None)


def _cdn_urls(url: str) -> list[str | None]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.item_images.c.cdn_url).order_by(schema.item_images.c.id)).all()
    engine.dispose()
    return [r[0] for r in rows]


def test_a_cdn_429_fails_no_image_and_waits_as_uploadcare_says(world: Any, tmp_path: Path) -> None:
    # issue 12 item 4: Uploadcare gives its wait in X-Throttle-Wait-Seconds; a 429 used to fail the image.
    sources = [f"{world.url}/sites/{SITE}/logo.png", f"{world.url}/sites/{SITE}/og.jpg"]
    url, mid, _ = _image_menu(tmp_path, sources)
    world.set_faults({"faults": {"cdn.from_url": {"burst_429": {"every": 1, "length": 1, "retry_after": 47},
                                                  "times": 1}}})
    with pytest.raises(RateLimited) as caught:
        upload_images(_ctx(tmp_path, {"menu": {"menu_id": mid}}, database_url=url))
    assert caught.value.retry_after == 47.0
    world.set_faults({})
    result = upload_images(_ctx(tmp_path, {"menu": {"menu_id": mid}}, database_url=url))
    assert result["failed"] == 0 and result["uploaded"] + result["already_on_cdn"] == 2


def test_cdn_file_urls_are_on_the_cdn_host_not_the_upload_host(world: Any, tmp_path: Path) -> None:
    # issue 12 item 3: files are served from ucarecdn.com, not from the upload host.
    sources = [f"{world.url}/sites/{SITE}/logo.png"]
    url, mid, _ = _image_menu(tmp_path, sources)
    upload_images(_ctx(tmp_path, {"menu": {"menu_id": mid}}, database_url=url))
    [cdn_url] = _cdn_urls(url)
    assert cdn_url is not None and cdn_url.startswith(world.urls["image_cdn_files"] + "/")
    assert httpx.get(cdn_url).status_code == 200
    uuid = cdn_url.rstrip("/").rsplit("/", 1)[-1]
    assert httpx.get(f"{world.urls['image_cdn']}/{uuid}/").status_code == 404
