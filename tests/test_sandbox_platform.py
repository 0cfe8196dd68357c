"""Contract: the platform registration API (CloudWaitress register start / verify)."""

from __future__ import annotations

import httpx

from regctl.sandbox import credentials
from regctl.sandbox.api_platform import signature_for
from regctl.sandbox.server import SandboxHandle
from regctl.sandbox.world import EXISTING_ACCOUNT_PASSWORD


def _start(
    sandbox: SandboxHandle,
    email: str,
    *,
    secret: str = credentials.INTEGRATOR_SECRET,
    integrator: str = credentials.INTEGRATOR_ID,
    password: str = "Str0ng!pass",
    phone: str = "+6493761234",
) -> httpx.Response:
    body = {
        "integrator_id": integrator,
        "email": email,
        "phone": phone,
        "password": password,
        "signature": signature_for(secret, email, phone, password),
    }
    return httpx.post(sandbox.urls["platform_api"] + "/users/register/start", json=body)


def _verify(
    sandbox: SandboxHandle, token: str, code: str = credentials.ADMIN_CONFIRMATION_CODE
) -> httpx.Response:
    return httpx.post(
        sandbox.urls["platform_api"] + "/users/register/verify",
        json={"token": token, "email_confirmation_code": code},
    )


def test_start_then_verify_creates_an_account_that_can_log_in(sandbox: SandboxHandle) -> None:
    started = _start(sandbox, "new@kaipai.example.nz").json()
    assert started["outcome"] == 0 and started["token"]
    verified = _verify(sandbox, started["token"]).json()
    assert verified["outcome"] == 0 and verified["user_id"].startswith("usr_")
    emails = [a["email"] for a in sandbox.state()["accounts"]]
    assert "new@kaipai.example.nz" in emails
    assert sandbox.world.check_login("new@kaipai.example.nz", "Str0ng!pass")
    assert not sandbox.world.check_login("new@kaipai.example.nz", "wrong")


def test_wrong_signature_is_refused_with_the_error_shape(sandbox: SandboxHandle) -> None:
    answer = _start(sandbox, "sig@example.nz", secret="CWS_not_the_secret")
    assert answer.status_code == 200
    assert answer.json() == {"outcome": 1, "message": "Invalid signature"}
    assert sandbox.state()["pending_registrations"] == 0


def test_unknown_integrator_is_refused(sandbox: SandboxHandle) -> None:
    assert _start(sandbox, "x@example.nz", integrator="CWI_other").json()["outcome"] != 0


def test_existing_email_says_already_exists(sandbox: SandboxHandle) -> None:
    existing = sandbox.state()["accounts"][0]["email"]
    answer = _start(sandbox, existing).json()
    assert answer["outcome"] != 0 and "already exists" in answer["message"]


def test_verify_with_wrong_code_or_token_fails(sandbox: SandboxHandle) -> None:
    token = _start(sandbox, "code@example.nz").json()["token"]
    assert _verify(sandbox, token, code="nope").json()["outcome"] != 0
    assert _verify(sandbox, "tok_unknown").json()["outcome"] != 0
    assert _verify(sandbox, token).json()["outcome"] == 0
    assert _verify(sandbox, token).json()["outcome"] != 0  # a token is single-use


def test_calls_are_audited_without_secrets(sandbox: SandboxHandle) -> None:
    token = _start(sandbox, "audit@example.nz", password="Secret-Pa55").json()["token"]
    _verify(sandbox, token)
    entries = sandbox.audit()
    assert [e["system"] for e in entries] == ["platform", "platform"]
    assert "account created email=audit@example.nz" in entries[1]["summary"]
    assert "Secret-Pa55" not in str(entries) and "Secret-Pa55" not in str(sandbox.state())


def test_non_json_body_is_a_400(sandbox: SandboxHandle) -> None:
    answer = httpx.post(sandbox.urls["platform_api"] + "/users/register/start", content=b"not json")
    assert answer.status_code == 400 and answer.json()["outcome"] == 1


def test_the_already_registered_fixture_account_logs_in(sandbox: SandboxHandle) -> None:
    email = sandbox.state()["accounts"][0]["email"]
    assert sandbox.world.check_login(email, EXISTING_ACCOUNT_PASSWORD)


def test_phone_must_be_international(sandbox: SandboxHandle) -> None:
    answer = _start(sandbox, "phone@example.nz", phone="09 376 1234").json()
    assert answer["outcome"] == 1 and "phone" in answer["message"]


def test_start_and_verify_refuse_an_unknown_field(sandbox: SandboxHandle) -> None:
    # issue 12: the sandbox answers only what the real API takes (CloudWaitress refusal shape).
    base = sandbox.urls["platform_api"]
    start = httpx.post(base + "/users/register/start", json={"integrator_id": "x", "email": "a@b.nz",
                                                             "phone": "+6491234567", "password": "p",
                                                             "signature": "s", "referrer": "regctl"})
    assert start.status_code == 200 and start.json() == {"outcome": 1, "message": "Unknown field: referrer"}
    verify = httpx.post(base + "/users/register/verify", json={"token": "t", "email_confirmation_code": "c",
                                                               "skip_email": True})
    assert verify.json() == {"outcome": 1, "message": "Unknown field: skip_email"}
