"""sync_onboarding against the running sandbox's onboarding database (PostgREST shapes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from register_support import StepCtx

from regctl.errors import PermanentStepError
from regctl.steps.onboarding.sync_onboarding import sync_onboarding

ACCOUNT = {"account": {"email": "Owner@Kai-Place.example.nz", "password": "s3cret-Pass!",
                       "phone": "09 555 0101"}}


@pytest.fixture()
def world(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The shared sandbox (reset by its fixture), named by the environment as a run would."""
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    return sandbox


def _ctx(tmp_path: Path, config: dict[str, Any], **kw: Any) -> StepCtx:
    return StepCtx(config=config, data_dir=tmp_path, **kw)


def _sync_ctx(tmp_path: Path) -> StepCtx:
    monday = [{"day": "Monday", "open": "09:00", "close": "17:00"}]
    config = {**ACCOUNT, "restaurant": {"name": "Kai Place", "address": "1 Queen Street, Auckland",
                                        "phone": "09 555 0101", "opening_hours": monday},
              "website": {"primary_color": "#112233", "secondary_color": "#FFFFFF"},
              "onboarding": {"user_email": "Owner@Kai-Place.example.nz"}}
    results = {"register_restaurant": {"restaurant_id": "RES000000042"},
               "configure_website": {"hosted_logo_url": "http://cdn/logo.png"},
               "configure_payment": {"stripe_connect_url": "https://connect.stripe.com/x"}}
    company = {"company_name": "KAI PLACE LIMITED", "nzbn": "9429000000001", "contact_name": "Aroha Ngata",
               "gst_number": "123-456-789"}
    restaurant = {"name": "Kai Place", "company": company}
    return _ctx(tmp_path, config, results=results, restaurant=restaurant)


def test_sync_onboarding_patches_the_record_then_changes_nothing(world: Any, tmp_path: Path) -> None:
    world.world.create_onboarding_user("Aroha Ngata", "owner@kai-place.example.nz")
    first = sync_onboarding(_sync_ctx(tmp_path))
    (row,) = [r for r in world.state()["onboarding"] if r["email"] == "owner@kai-place.example.nz"]
    assert row["restaurant_id"] == "RES000000042"
    assert row["venue_operating_hours"] == "Monday: 09:00 - 17:00."
    assert row["logo_url"] == "http://cdn/logo.png"
    assert row["stripe_connect_link"] == "https://connect.stripe.com/x"
    assert row["nzbn"] == "9429000000001" and row["contact_person"] == "Aroha Ngata"
    assert "restaurant_id" in first["fields_changed"]
    second = sync_onboarding(_sync_ctx(tmp_path))
    assert second["fields_changed"] == [] or set(second["fields_changed"]) <= {"updated_at"}


def test_sync_onboarding_without_a_record_says_which_step_makes_it(world: Any, tmp_path: Path) -> None:
    with pytest.raises(PermanentStepError, match="create_onboarding_user"):
        sync_onboarding(_sync_ctx(tmp_path))
