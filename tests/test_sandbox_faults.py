"""Faults: 5xx, 429 bursts with Retry-After, dropped connections, latency, page faults, determinism."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from regctl.errors import UsageError
from regctl.sandbox import credentials
from regctl.sandbox.faults import CSV_IMPORT_FAILURE_TEXT, FaultSet, faults_from_dict, load_faults
from regctl.sandbox.server import SandboxHandle

KEY = {"Ocp-Apim-Subscription-Key": credentials.NZBN_SUBSCRIPTION_KEY}


def _search(sandbox: SandboxHandle) -> httpx.Response:
    return httpx.get(
        sandbox.urls["company_register"] + "/entities", params={"search-term": "Kai"}, headers=KEY
    )


def test_error_rate_one_answers_5xx_in_the_systems_shape(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"nzbn.search": {"error_rate": 1.0, "error_status": 502}}})
    answer = _search(sandbox)
    assert answer.status_code == 502 and answer.json()["statusCode"] == 502
    scrape = httpx.post(
        sandbox.urls["extraction_api"] + "/v2/scrape",
        json={"url": "x"},
        headers={"Authorization": f"Bearer {credentials.FIRECRAWL_API_KEY}"},
    )
    assert scrape.status_code == 200  # other endpoints are untouched


def test_429_bursts_carry_retry_after(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"nzbn": {"burst_429": {"every": 4, "length": 2, "retry_after": 3}}}})
    codes = [_search(sandbox).status_code for _ in range(8)]
    assert codes == [200, 200, 429, 429, 200, 200, 429, 429]
    limited = [_search(sandbox) for _ in range(4)][2]
    assert limited.headers["Retry-After"] == "3"


def test_dropped_connection_is_a_protocol_error(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"cdn.status": {"drop_rate": 1.0}}})
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(sandbox.urls["image_cdn"] + "/from_url/status/", params={"token": "t"})
    assert httpx.get(sandbox.url + "/_sandbox/health").status_code == 200  # the server carries on


def test_latency_delays_the_answer(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"*": {"latency_ms": 150}}})
    answer = _search(sandbox)
    assert answer.status_code == 200 and answer.elapsed.total_seconds() >= 0.15


def test_times_lifts_the_fault_after_n(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"nzbn.search": {"error_rate": 1.0, "times": 2}}})
    assert [_search(sandbox).status_code for _ in range(3)] == [503, 503, 200]


def test_lifting_faults(sandbox: SandboxHandle) -> None:
    sandbox.set_faults({"faults": {"*": {"error_rate": 1.0}}})
    assert _search(sandbox).status_code == 503
    sandbox.set_faults({})
    assert _search(sandbox).status_code == 200


def test_same_seed_same_sequence_other_seed_other_sequence() -> None:
    doc = {"faults": {"nzbn.search": {"error_rate": 0.5}}}

    def run(seed: int) -> list[int | None]:
        faults = faults_from_dict(doc, seed=seed)
        return [faults.decide("nzbn.search").status for _ in range(40)]

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert 5 < sum(1 for s in run(7) if s) < 35


def test_page_faults_for_the_portal() -> None:
    faults = faults_from_dict(
        {
            "faults": {
                "portal.dashboard": {"loader_never_clears": True, "times": 1},
                "portal.menu_import": {"csv_import_fails": True},
            }
        }
    )
    first = faults.active("portal.dashboard")
    assert first is not None and first.loader_never_clears
    assert faults.active("portal.dashboard") is None  # times: 1
    spec = faults.active("portal.menu_import")
    assert spec is not None and spec.csv_import_fails and spec.csv_import_message == CSV_IMPORT_FAILURE_TEXT
    assert faults.active("portal.login") is None
    assert FaultSet(specs=faults.specs).decide("portal.dashboard").status is None


def test_star_does_not_apply_to_pages() -> None:
    faults = faults_from_dict({"faults": {"*": {"error_rate": 1.0}}})
    assert faults.active("portal.dashboard") is None and faults.decide("nzbn.search").status == 503


def test_fault_file_yaml_and_json(tmp_path: Path) -> None:
    yml = tmp_path / "f.yaml"
    yml.write_text("seed: 3\nfaults:\n  cdn: {latency_ms: 5}\n")
    assert load_faults(yml).seed == 3 and load_faults(yml, seed=9).seed == 9
    js = tmp_path / "f.json"
    js.write_text('{"faults": {"nzbn": {"error_rate": 0.2}}}')
    assert load_faults(js).specs["nzbn"].error_rate == 0.2


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ({"faults": {"nzbn": {"eror_rate": 1}}}, "unknown field(s) eror_rate"),
        ({"faults": {"nzbn": {"error_rate": 2}}}, "error_rate: must be between 0 and 1"),
        ({"faults": {"nzbn": {"burst_429": {"every": 0}}}}, "burst_429"),
        ({"faults": {"nzbn": "slow"}}, "expected a mapping"),
        ({"fault": {}}, "unknown top-level key"),
    ],
)
def test_bad_fault_documents_name_what_and_where(doc: dict[str, object], words: str) -> None:
    with pytest.raises(UsageError, match="<faults>") as info:
        faults_from_dict(doc)
    assert words in str(info.value)


def test_unreadable_fault_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read fault file"):
        load_faults(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("faults: [unclosed")
    with pytest.raises(UsageError, match="not valid YAML"):
        load_faults(bad)


def test_put_faults_rejects_bad_documents(sandbox: SandboxHandle) -> None:
    answer = httpx.put(sandbox.url + "/_sandbox/faults", json={"faults": {"x": {"nope": 1}}})
    assert answer.status_code == 400 and "unknown field" in answer.json()["error"]
