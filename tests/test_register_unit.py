"""Pure pieces of the registration steps: signatures and phone numbers."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from regctl.errors import PermanentStepError
from regctl.steps.onboarding.create_account import register_signature
from regctl.steps.onboarding.registration_common import normalise_nz_phone


def test_signature_is_hmac_sha256_over_email_phone_password() -> None:
    expected = hmac.new(b"CWS_x", b"a@b.nz+6491234567pw", hashlib.sha256).hexdigest()
    assert register_signature("CWS_x", "a@b.nz", "+6491234567", "pw") == expected


@pytest.mark.parametrize(("raw", "e164"), [
    ("09 836 1234", "+6498361234"), ("021 123 4567", "+64211234567"), ("+64 9 836 1234", "+6498361234"),
    ("6498361234", "+6498361234"), ("98361234", "+6498361234"), ("(09) 836-1234", "+6498361234"),
])
def test_nz_phone_numbers_become_e164(raw: str, e164: str) -> None:
    assert normalise_nz_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", None, "12", "call us"])
def test_a_non_phone_fails_naming_the_field(raw: str | None) -> None:
    with pytest.raises(PermanentStepError, match=r"account\.phone"):
        normalise_nz_phone(raw)


def test_seo_text_uses_the_suburb_and_the_first_cuisine() -> None:
    from regctl.steps.onboarding.configure_website import seo_text

    title, meta = seo_text("Spice Route (Mount Eden)", "401 Dominion Road, Mount Eden, Auckland 1024",
                           "09 630 2211", ["Indian"])
    assert title == "Spice Route Mount Eden - Order Online for Delivery or Pickup"
    assert meta == "401 Dominion Road, Mount Eden, Auckland 1024 09 630 2211 - Best Indian in Mount Eden"
    assert seo_text("Kai", "1 Road", "", [])[1].endswith("Best Food in Town")


@pytest.mark.parametrize(("choice", "hex_colour"), [
    ("white", "#FFFFFF"), ("black", "#000000"), ("primary", "#112233"), ("secondary", "#445566"),
    ("#ABCDEF", "#ABCDEF"), (None, "#FFFFFF")])
def test_text_colours_resolve_to_hex(choice: str | None, hex_colour: str) -> None:
    from regctl.steps.onboarding.configure_website import text_colour

    assert text_colour(choice, {"primary_color": "#112233", "secondary_color": "#445566"}) == hex_colour


def test_raw_tags_map_onto_presets_and_unknown_ones_are_reported() -> None:
    from regctl.steps.onboarding.add_item_tags import item_tag_inputs

    specs, unmapped = item_tag_inputs({"gf": ["Chips Plus small"], "Gluten Free": ["Salad", "Chips"],
                                       "hot": ["Wings"], "Chef's pick": ["Pie"]})
    by_name = {s.name: s for s in specs}
    assert by_name["Gluten Free"].items == ("Chips", "Salad")
    assert by_name["Gluten Free"].colour == "#FF8C00"
    assert by_name["Spicy"].items == ("Wings",)
    assert unmapped == ["Chef's pick"]


def test_option_set_report_fails_on_failures_and_missing_attachments() -> None:
    from regctl.errors import RetryableStepError
    from regctl.steps.onboarding.add_option_sets import verify_report
    from regctl.steps.portal.menus_option_sets import EnsureReport

    ok = verify_report(EnsureReport(created=["A"], adopted=["B"]), {"A": 2, "B": 1}, {"A": 2, "B": 1}, "sets")
    assert (ok["created"], ok["adopted"], ok["failed"]) == (1, 1, 0)
    with pytest.raises(PermanentStepError, match="too few items"):
        verify_report(EnsureReport(created=["A"]), {"A": 2}, {"A": 1}, "sets")
    with pytest.raises(PermanentStepError, match="missing"):
        verify_report(EnsureReport(adopted=["A"]), {"A": 1, "B": 1}, {"A": 1}, "sets")
    with pytest.raises(RetryableStepError, match="1 of 1 sets failed"):
        verify_report(EnsureReport(failed={"A": "timeout"}), {"A": 1}, {}, "sets")


def test_encrypted_config_secrets_are_read_as_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.fernet import Fernet

    from regctl.secrets import encrypt
    from regctl.steps.onboarding.registration_common import plain

    monkeypatch.setenv("REGCTL_SECRET_KEY", Fernet.generate_key().decode())
    assert plain(encrypt("Hunter2-long")) == "Hunter2-long"
    assert plain("already plain") == "already plain"
