"""create_account, upload_images and sync_onboarding against the running sandbox's real HTTP APIs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from register_support import StepCtx

from regctl.errors import PermanentStepError
from regctl.steps.onboarding.create_account import RATE_LIMIT, create_account
from regctl.steps.onboarding.sync_onboarding import hours_text


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
