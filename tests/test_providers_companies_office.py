"""The Companies Office register website searched through the extraction API (issue 12 item 2).

The NZBN API has no address search; the prior system scraped the register's search page by name
(``q=``) and by address (``addressKeyword=``) with Firecrawl's ``json`` format. These tests run the
client against the sandbox (whose extraction API serves the register's pages from the fixtures) and
against a recorded-shape answer.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from regctl.providers.companies_office import (
    CANDIDATE_FIELDS,
    SEARCH_SCHEMA,
    CompaniesOffice,
    address_search_url,
    candidates_from_page,
    name_search_url,
)
from regctl.providers.company_register import candidate_from_entity
from regctl.sandbox.server import SandboxHandle
from regctl.targets import System, Target, sandbox_target


def _office(sandbox: SandboxHandle) -> CompaniesOffice:
    return CompaniesOffice.for_target(sandbox_target(sandbox.url))


def test_urls_are_the_registers_own_search_pages() -> None:
    url = address_search_url("88 Wakefield Quay", "Nelson")
    parts = urlsplit(url)
    assert (parts.scheme, parts.hostname) == ("https", "app.companiesoffice.govt.nz")
    assert parts.path == "/companies/app/ui/pages/companies/search"
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["q"] == [""] and query["addressKeyword"] == ["88 Wakefield Quay Nelson"]
    assert query["entityStatusGroups"] == ["REGISTERED"] and query["mode"] == ["advanced"]
    assert parse_qs(urlsplit(name_search_url("Mama Rosa's")).query)["q"] == ["Mama Rosa's"]
    assert "entityStatusGroups" not in name_search_url("x", registered_only=False)


def test_address_search_finds_a_company_trading_under_another_name(sandbox: SandboxHandle) -> None:
    with _office(sandbox) as office:
        found = office.search_by_address("88 Wakefield Quay", "Nelson")
    assert [c["company_name"] for c in found] == ["WAKEFIELD QUAY HOSPITALITY LIMITED"]
    [candidate] = found
    assert set(candidate) == set(CANDIDATE_FIELDS)
    assert candidate["status"] == "Registered" and len(candidate["nzbn"]) == 13
    assert "Wakefield Quay" in candidate["registered_address"]


def test_name_search_registered_only_by_default(sandbox: SandboxHandle) -> None:
    with _office(sandbox) as office:
        registered = office.search_by_name("Spice Route")
        every = office.search_by_name("Spice Route", registered_only=False)
    assert len(registered) == 3 and len(every) == 4
    assert {c["status"] for c in registered} == {"Registered"}


def test_candidates_have_the_same_keys_as_nzbn_candidates() -> None:
    assert set(candidate_from_entity({})) == set(CANDIDATE_FIELDS)


def test_the_scrape_request_is_the_prior_systems() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        page = {"companies": [{"company_name": "WAKEFIELD QUAY HOSPITALITY LIMITED",
                               "company_number": "6012345", "nzbn": "9429049000001", "status": "Registered",
                               "incorporation_date": "03 Sep 2012",
                               "registered_address": ["88 Wakefield Quay", "Nelson 7010"]},
                              {"company_name": "NO NUMBER LTD"}],
                "total_results": 2}
        data = {"json": page, "metadata": {"statusCode": 200}}
        return httpx.Response(200, json={"success": True, "data": data})

    system = System("extraction_api", "https://api.firecrawl.dev", {"key": "fc-test"})
    office = CompaniesOffice.for_target(Target("prod", {"extraction_api": system}),
                                        transport=httpx.MockTransport(handler))
    [candidate] = office.search_by_address("88 Wakefield Quay", "Nelson")
    body = seen[0]
    [json_format] = body["formats"]
    assert (json_format["type"], json_format["schema"]) == ("json", SEARCH_SCHEMA) and json_format["prompt"]
    assert (body["waitFor"], body["onlyMainContent"], body["removeBase64Images"]) == (4000, True, True)
    assert candidate["registered_address"] == "88 Wakefield Quay, Nelson 7010"  # a list joined, not repr'd


def test_a_page_without_companies_gives_none() -> None:
    assert candidates_from_page({}) == [] and candidates_from_page(None) == []
    assert candidates_from_page({"companies": [{"company_number": 42, "company_name": "X"}]})[0][
        "company_number"] == "42"
