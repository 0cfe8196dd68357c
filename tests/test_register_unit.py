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
