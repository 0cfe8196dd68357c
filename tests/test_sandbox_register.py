"""Contract: the company register (NZBN API v5 shapes) — search by name and address, entity detail, auth."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from regctl.sandbox import credentials
from regctl.sandbox.server import SandboxHandle

KEY = {"Ocp-Apim-Subscription-Key": credentials.NZBN_SUBSCRIPTION_KEY}


def _search(sandbox: SandboxHandle, **params: Any) -> httpx.Response:
    return httpx.get(sandbox.urls["company_register"] + "/entities", params=params, headers=KEY)


def test_search_by_name_returns_v5_search_entities(sandbox: SandboxHandle) -> None:
    page = _search(sandbox, **{"search-term": "Kai Pai Kitchen"}).json()
    assert page["totalItems"] == 1 and page["page"] == 0
    item = page["items"][0]
    assert item["entityName"] == "KAI PAI KITCHEN LIMITED"
    assert len(item["nzbn"]) == 13 and item["nzbn"].startswith("9429")
    assert item["entityStatusDescription"] == "Registered" and item["entityStatusCode"] == "50"
    assert item["sourceRegisterUniqueId"]


def test_search_ignores_case_macrons_and_apostrophes(sandbox: SandboxHandle) -> None:
    assert _search(sandbox, **{"search-term": "omalleys fish"}).json()["totalItems"] == 1
    assert _search(sandbox, **{"search-term": "POHUTUKAWA café"}).json()["totalItems"] == 1


def test_several_plausible_companies(sandbox: SandboxHandle) -> None:
    names = [i["entityName"] for i in _search(sandbox, **{"search-term": "Spice Route"}).json()["items"]]
    assert len(names) == 4 and "SPICE ROUTE (2009) LIMITED" in names
    registered = _search(sandbox, **{"search-term": "Spice Route", "entity-status": "50"}).json()
    assert registered["totalItems"] == 3


def test_no_match_is_an_empty_page(sandbox: SandboxHandle) -> None:
    assert _search(sandbox, **{"search-term": "Te Whare Kai"}).json() == {
        "pageSize": 50,
        "page": 0,
        "totalItems": 0,
        "sortBy": "entityName",
        "sortOrder": "ASC",
        "items": [],
    }


def test_the_nzbn_api_has_no_address_search(sandbox: SandboxHandle) -> None:
    # issue 12 item 2: ``address-keyword`` was a sandbox invention; the real API does not define it.
    answer = _search(sandbox, **{"address-keyword": "88 Wakefield Quay Nelson"})
    assert answer.status_code == 400
    assert answer.json() == {"errorCode": "ValidationError",
                             "errorDescription": "Unknown query parameter: address-keyword"}


def test_search_refuses_an_unknown_parameter(sandbox: SandboxHandle) -> None:
    answer = _search(sandbox, **{"search-term": "Kai Pai", "colour": "blue"})
    assert answer.status_code == 400
    assert answer.json()["errorDescription"] == "Unknown query parameter: colour"


def test_entity_refuses_an_unknown_parameter(sandbox: SandboxHandle) -> None:
    nzbn = _search(sandbox, **{"search-term": "Kai Pai Kitchen"}).json()["items"][0]["nzbn"]
    answer = httpx.get(f"{sandbox.urls['company_register']}/entities/{nzbn}", params={"expand": "all"},
                       headers=KEY)
    assert answer.status_code == 400 and answer.json()["errorCode"] == "ValidationError"


def test_paging(sandbox: SandboxHandle) -> None:
    second = _search(sandbox, **{"search-term": "Spice Route", "page": 1, "page-size": 3}).json()
    assert second["totalItems"] == 4 and len(second["items"]) == 1
    assert _search(sandbox, **{"search-term": "x", "page-size": 0}).status_code == 400


def test_entity_detail_has_roles_addresses_and_contacts(sandbox: SandboxHandle) -> None:
    nzbn = _search(sandbox, **{"search-term": "Kai Pai Kitchen"}).json()["items"][0]["nzbn"]
    entity = httpx.get(f"{sandbox.urls['company_register']}/entities/{nzbn}", headers=KEY).json()
    director = entity["roles"][-1]
    assert director["roleType"] == "DIR" and director["roleStatus"] == "ACTIVE"
    assert director["roleTypeDescription"] == "Director"
    assert director["rolePerson"] == {
        "title": None,
        "firstName": "Aroha",
        "middleNames": "Mere",
        "lastName": "NGATA",
    }
    assert director["startDate"] and director["endDate"] is None
    assert (
        entity["roles"][0]["roleStatus"] == "INACTIVE" and entity["roles"][0]["endDate"]
    )  # a former director
    assert {a["addressType"] for a in entity["addresses"]["addressList"]} == {"REGISTERED", "SERVICE"}
    assert entity["gstNumbers"][0]["gstNumber"] and entity["emailAddresses"][0]["emailAddress"]
    assert entity["phoneNumbers"][0]["phoneAreaCode"] == "9"
    shareholders = entity["company-details"]["shareholding"]["shareAllocation"]
    assert shareholders[0]["shareholder"][0]["individualShareholder"]["lastName"] == "NGATA"


def test_only_a_ceased_director(sandbox: SandboxHandle) -> None:
    nzbn = _search(sandbox, **{"search-term": "Mike's Smokehouse"}).json()["items"][0]["nzbn"]
    roles = httpx.get(f"{sandbox.urls['company_register']}/entities/{nzbn}", headers=KEY).json()["roles"]
    assert [r["roleStatus"] for r in roles] == ["INACTIVE"] and roles[0]["endDate"]


def test_unknown_entity_is_404(sandbox: SandboxHandle) -> None:
    assert (
        httpx.get(f"{sandbox.urls['company_register']}/entities/9429000000000", headers=KEY).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("headers", "words"),
    [({}, "missing subscription key"), ({"Ocp-Apim-Subscription-Key": "wrong"}, "invalid subscription key")],
)
def test_subscription_key_is_required(sandbox: SandboxHandle, headers: dict[str, str], words: str) -> None:
    answer = httpx.get(
        sandbox.urls["company_register"] + "/entities", params={"search-term": "Kai"}, headers=headers
    )
    assert answer.status_code == 401 and words in answer.json()["message"]


def test_search_term_is_required(sandbox: SandboxHandle) -> None:
    assert _search(sandbox).status_code == 400


def test_roles_are_served_at_their_own_endpoint_as_an_array(sandbox: SandboxHandle) -> None:
    """``GET /entities/{nzbn}/roles`` (nzbn-ruby ``Roles#list``; a v5 integration guide reads directors
    there): the entity's roles as an array; an unknown parameter and an unknown NZBN as the API refuses."""
    nzbn = _search(sandbox, **{"search-term": "Kai Pai Kitchen"}).json()["items"][0]["nzbn"]
    url = f"{sandbox.urls['company_register']}/entities/{nzbn}"
    roles = httpx.get(f"{url}/roles", headers=KEY).json()
    assert isinstance(roles, list) and roles == httpx.get(url, headers=KEY).json()["roles"]
    assert any("DIRECTOR" in str(r.get("roleTypeDescription") or r.get("roleType")).upper() for r in roles)
    refused = httpx.get(f"{url}/roles", params={"expand": "all"}, headers=KEY)
    assert refused.status_code == 400 and set(refused.json()) == {"errorCode", "errorDescription"}
    missing = httpx.get(f"{sandbox.urls['company_register']}/entities/9429000000000/roles", headers=KEY)
    assert missing.status_code == 404
    assert httpx.get(f"{url}/roles").status_code == 401
