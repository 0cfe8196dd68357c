"""Contract: the image CDN (Uploadcare from_url + status + files) and the onboarding DB (PostgREST)."""

from __future__ import annotations

import httpx

from regctl.sandbox import credentials
from regctl.sandbox.server import SandboxHandle

KEY = {"apikey": credentials.ONBOARDING_API_KEY}


def _upload(
    sandbox: SandboxHandle, source_url: str, pub_key: str = credentials.UPLOADCARE_PUBLIC_KEY
) -> httpx.Response:
    return httpx.post(
        sandbox.urls["image_cdn"] + "/from_url/",
        data={"pub_key": pub_key, "source_url": source_url, "store": "1", "filename": "mains-burger.jpg"},
    )


def _status(sandbox: SandboxHandle, token: str) -> dict[str, object]:
    return dict(httpx.get(sandbox.urls["image_cdn"] + "/from_url/status/", params={"token": token}).json())


def test_upload_from_url_then_poll_until_success(sandbox: SandboxHandle) -> None:
    source = sandbox.urls["websites"] + "/kai-pai-kitchen-ponsonby/images/classic-kiwi-burger.jpg"
    answer = _upload(sandbox, source).json()
    assert answer["type"] == "token"
    assert _status(sandbox, answer["token"])["status"] == "progress"
    done = _status(sandbox, answer["token"])
    assert done["status"] == "success" and done["filename"] == "mains-burger.jpg" and done["is_image"] is True
    served = httpx.get(f"{sandbox.urls['image_cdn_files']}/{done['uuid']}/")
    assert served.content == httpx.get(source).content
    assert httpx.get(f"{sandbox.urls['image_cdn_files']}/{done['uuid']}/-/resize/200x/").status_code == 200
    assert httpx.get(f"{sandbox.urls['image_cdn']}/{done['uuid']}/").status_code == 404  # not the upload host
    assert [f["uuid"] for f in sandbox.state()["cdn"]["files"]] == [done["uuid"]]
    assert "from_url" in sandbox.audit()[0]["summary"]


def test_check_url_duplicates_reuses_the_earlier_file(sandbox: SandboxHandle) -> None:
    source = sandbox.urls["websites"] + "/kai-pai-kitchen-ponsonby/logo.png"
    first = _upload(sandbox, source).json()["token"]
    _status(sandbox, first)
    uuid = _status(sandbox, first)["uuid"]
    again = httpx.post(
        sandbox.urls["image_cdn"] + "/from_url/",
        data={
            "pub_key": credentials.UPLOADCARE_PUBLIC_KEY,
            "source_url": source,
            "check_URL_duplicates": "1",
        },
    ).json()
    _status(sandbox, again["token"])
    assert _status(sandbox, again["token"])["uuid"] == uuid
    assert len(sandbox.state()["cdn"]["files"]) == 1
    assert "duplicate" in sandbox.audit()[-1]["summary"]


def test_unreachable_source_ends_in_error_status(sandbox: SandboxHandle) -> None:
    token = _upload(sandbox, "https://images.example.com/a.jpg").json()["token"]
    status = _status(sandbox, token)
    assert status["status"] == "error" and "Host does not exist" in str(status["error"])


def test_pub_key_is_checked(sandbox: SandboxHandle) -> None:
    assert _upload(sandbox, "http://127.0.0.1/x.jpg", pub_key="").status_code == 400
    assert _upload(sandbox, "http://127.0.0.1/x.jpg", pub_key="other").status_code == 403


def test_rpc_lookup_and_patch(sandbox: SandboxHandle) -> None:
    record_id = sandbox.world.create_onboarding_user("Aroha Ngata", "Owner@KaiPai.example.nz")
    base = sandbox.urls["onboarding_db"] + "/rest/v1"
    found = httpx.post(
        base + "/rpc/get_onboarding_id_by_email", json={"user_email": "owner@kaipai.example.nz"}, headers=KEY
    ).json()
    assert [(r["onboarding_id"], r["email"], r["name"]) for r in found] == [
        (record_id, "Owner@KaiPai.example.nz", "Aroha Ngata")]
    assert set(found[0]) == {"onboarding_id", "user_id", "email", "name", "onboarding_status", "created_at"}
    patched = httpx.patch(
        base + "/user_onboarding",
        params={"id": f"eq.{record_id}"},
        json={"restaurant_name": "Kai Pai Kitchen", "restaurant_id": "RES000000009"},
        headers={**KEY, "Prefer": "return=representation"},
    )
    assert patched.status_code == 200 and patched.json()[0]["restaurant_id"] == "RES000000009"
    plain = httpx.patch(
        base + "/user_onboarding", params={"id": f"eq.{record_id}"}, json={"nzbn": "1"}, headers=KEY
    )
    assert plain.status_code == 204
    rows = httpx.get(
        base + "/user_onboarding", params={"email": "eq.owner@kaipai.example.nz"}, headers=KEY
    ).json()
    assert rows[0]["nzbn"] == "1" and rows[0]["restaurant_name"] == "Kai Pai Kitchen"
    assert [e["system"] for e in sandbox.audit()] == ["onboarding", "onboarding"]


def test_rpc_takes_user_email_only(sandbox: SandboxHandle) -> None:
    # issue 12 item 1: the function's argument is user_email; {"email"} has no matching signature.
    base = sandbox.urls["onboarding_db"] + "/rest/v1/rpc/get_onboarding_id_by_email"
    sandbox.world.create_onboarding_user("A", "a@x.nz")
    for wrong in ({"email": "a@x.nz"}, {"p_email": "a@x.nz"}, {"user_email": "a@x.nz", "extra": 1}):
        answer = httpx.post(base, json=wrong, headers=KEY)
        assert answer.status_code == 404 and answer.json()["code"] == "PGRST202"
        assert answer.json()["hint"].endswith("get_onboarding_id_by_email(user_email)")


def test_an_unknown_filter_column_is_42703(sandbox: SandboxHandle) -> None:
    base = sandbox.urls["onboarding_db"] + "/rest/v1/user_onboarding"
    answer = httpx.get(base, params={"colour": "eq.red"}, headers=KEY)
    assert answer.status_code == 400
    assert answer.json() == {"code": "42703", "details": None, "hint": None,
                             "message": "column user_onboarding.colour does not exist"}
    patch = httpx.patch(base, params={"id": "eq.1", "shade": "eq.x"}, json={"nzbn": "1"}, headers=KEY)
    assert patch.status_code == 400 and patch.json()["code"] == "42703"


def test_unknown_email_is_no_rows_and_unknown_column_is_pgrst204(sandbox: SandboxHandle) -> None:
    base = sandbox.urls["onboarding_db"] + "/rest/v1"
    assert httpx.post(base + "/rpc/get_onboarding_id_by_email", json={"user_email": "no@x.nz"},
                      headers=KEY).json() == []
    record_id = sandbox.world.create_onboarding_user("A", "a@x.nz")
    bad = httpx.patch(
        base + "/user_onboarding", params={"id": f"eq.{record_id}"}, json={"colour": "red"}, headers=KEY
    )
    assert bad.status_code == 400 and bad.json()["code"] == "PGRST204"
    assert httpx.patch(base + "/user_onboarding", json={"nzbn": "1"}, headers=KEY).status_code == 400


def test_apikey_is_required(sandbox: SandboxHandle) -> None:
    base = sandbox.urls["onboarding_db"] + "/rest/v1/rpc/get_onboarding_id_by_email"
    assert httpx.post(base, json={"user_email": "a@x.nz"}).status_code == 401
    wrong = httpx.post(base, json={"user_email": "a@x.nz"}, headers={"apikey": "nope"})
    assert wrong.status_code == 401 and wrong.json()["message"] == "Invalid API key"


def test_the_registered_fixture_has_an_onboarding_record(sandbox: SandboxHandle) -> None:
    assert len(sandbox.state()["onboarding"]) == 1


def test_the_client_reads_the_functions_rows(sandbox: SandboxHandle) -> None:
    from regctl.providers.onboarding_db import OnboardingDb
    from regctl.targets import sandbox_target

    record_id = sandbox.world.create_onboarding_user("Aroha Ngata", "owner@kaipai.example.nz")
    with OnboardingDb.for_target(sandbox_target(sandbox.url)) as db:
        assert db.onboarding_id_by_email("owner@kaipai.example.nz") == record_id
        assert db.onboarding_id_by_email("nobody@x.nz") is None
        assert db.update_onboarding(record_id, {"nzbn": "9429"})[0]["nzbn"] == "9429"


def test_upload_api_refuses_unknown_fields(sandbox: SandboxHandle) -> None:
    base = sandbox.urls["image_cdn"]
    upload = httpx.post(base + "/from_url/", data={"pub_key": credentials.UPLOADCARE_PUBLIC_KEY,
                                                   "source_url": "http://127.0.0.1/x.jpg", "resize": "200x"})
    assert (upload.status_code, upload.text) == (400, "Unknown parameter: resize.")
    status = httpx.get(base + "/from_url/status/", params={"token": "t", "wait": "1"})
    assert (status.status_code, status.text) == (400, "Unknown parameter: wait.")
    info = httpx.get(base + "/info/", params={"pub_key": credentials.UPLOADCARE_PUBLIC_KEY, "file_id": "x",
                                              "detail": "1"})
    assert (info.status_code, info.text) == (400, "Unknown parameter: detail.")


def test_a_cdn_429_says_its_wait_in_x_throttle_wait_seconds(sandbox: SandboxHandle) -> None:
    burst = {"burst_429": {"every": 1, "length": 1, "retry_after": 12}}
    sandbox.set_faults({"faults": {"cdn.status": burst}})
    answer = httpx.get(sandbox.urls["image_cdn"] + "/from_url/status/", params={"token": "t"})
    assert answer.status_code == 429 and answer.headers["X-Throttle-Wait-Seconds"] == "12"
    assert "Retry-After" not in answer.headers
