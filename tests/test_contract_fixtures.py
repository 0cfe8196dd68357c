"""Contract fixtures (tests/fixtures/contract/, sources in its README) fed to every client and parser,
and compared with what the sandbox answers so the two cannot drift apart (issue 12 items 3 and 6)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from regctl.errors import RateLimited
from regctl.providers.cdn import Cdn
from regctl.providers.companies_office import CompaniesOffice
from regctl.providers.company_register import CompanyRegister, candidate_from_entity, details_from_entity
from regctl.providers.onboarding_db import OnboardingDb
from regctl.sandbox import credentials
from regctl.sandbox.server import SandboxHandle
from regctl.steps.onboarding.companies import first_active_director
from regctl.targets import System, Target

CONTRACT = Path(__file__).parent / "fixtures" / "contract"


def fixture(name: str) -> Any:
    return json.loads((CONTRACT / name).read_text())


def _target(name: str, url: str, creds: dict[str, str] | None = None) -> Target:
    systems = {name: System(name, url, creds or {})}
    if name == "image_cdn":
        systems["image_cdn_files"] = System("image_cdn_files", "https://ucarecdn.com")
    return Target("prod", systems)


def _answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.MockTransport:
    return httpx.MockTransport(lambda _r: httpx.Response(status, json=body, headers=headers))


# -- NZBN API v5 ----------------------------------------------------------------------------------

def test_a_search_item_without_a_status_description_is_registered() -> None:
    # issue 12 item 6: code "50" alone used to give status "50", never "registered"
    [item] = fixture("nzbn/search.json")["items"]
    assert candidate_from_entity(item)["status"] == "Registered"


def test_a_list_valued_registered_address_is_an_address_not_a_list_repr() -> None:
    [item] = fixture("nzbn/search.json")["items"]
    address = candidate_from_entity(item)["registered_address"]
    assert address == "1 Queen Street, Auckland Central, Auckland, 1010"


def test_dir_roles_are_directors() -> None:
    # issue 12 item 6: v5 roles say roleType "DIR"; they used to yield no directors
    details = details_from_entity({**fixture("nzbn/entity.json"), "roles": fixture("nzbn/roles.json")})
    assert [d["name"] for d in details["directors"]] == ["John Michael Smith", "Jane Doe"]
    assert details["directors"][0]["position"] == "Director"
    active = first_active_director(details["directors"])
    assert active is not None and active["name"] == "John Michael Smith"


def test_the_full_entity_gives_contacts() -> None:
    details = details_from_entity(fixture("nzbn/entity.json"))
    info = details["company_info"]
    assert (info["company_name"], info["company_number"], info["nzbn"], info["status"]) == (
        "COWABUNGA BREWERIES LIMITED", "6324367", "9429046230881", "Registered")
    assert details["gst_numbers"] == ["123392094"] and details["phone_numbers"] == ["+64275320178"]
    assert details["email_addresses"] == ["stuart@cowabungabrewing.co.nz"]
    assert details["addresses"][0] == {"address_type": "REGISTERED",
                                       "full_address": "11 Mcdonald Street, Morningside, Auckland, 1025"}


def test_the_client_sends_the_real_request_and_reads_the_real_page() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=fixture("nzbn/search.json"))

    target = _target("company_register", "https://api.business.govt.nz/gateway/nzbn/v5", {"key": "k"})
    register = CompanyRegister.for_target(target, transport=httpx.MockTransport(handler))
    [candidate] = register.search_by_name("Acme")
    assert seen[0].url.path == "/gateway/nzbn/v5/entities"
    assert dict(seen[0].url.params) == {"search-term": "Acme", "page-size": "50"}
    assert seen[0].headers["Ocp-Apim-Subscription-Key"] == "k"
    assert candidate["company_number"] == "1234567" and candidate["nzbn"] == "9429037626847"


def test_sandbox_search_items_and_entities_have_the_real_keys(sandbox: SandboxHandle) -> None:
    headers = {"Ocp-Apim-Subscription-Key": credentials.NZBN_SUBSCRIPTION_KEY}
    page = httpx.get(sandbox.urls["company_register"] + "/entities", params={"search-term": "Kai Pai"},
                     headers=headers).json()
    assert set(fixture("nzbn/search.json")) <= set(page)
    entity = httpx.get(f"{sandbox.urls['company_register']}/entities/{page['items'][0]['nzbn']}",
                       headers=headers).json()
    real = set(fixture("nzbn/entity.json"))
    assert {"addresses", "emailAddresses", "gstNumbers", "phoneNumbers", "sourceRegisterUniqueIdentifier",
            "entityStatusCode", "entityStatusDescription", "registrationDate"} <= real & set(entity)
    real_address = fixture("nzbn/entity.json")["addresses"]["addressList"][0]
    assert set(entity["addresses"]["addressList"][0]) <= set(real_address)
    role_keys = set(fixture("nzbn/roles.json")[0])
    assert {r["roleType"] for r in entity["roles"]} == {"DIR"} and role_keys <= set(entity["roles"][0])


def test_nzbn_401_shape(sandbox: SandboxHandle) -> None:
    answer = httpx.get(sandbox.urls["company_register"] + "/entities", params={"search-term": "x"},
                       headers={"Ocp-Apim-Subscription-Key": "wrong"})
    assert answer.status_code == 401 and answer.json() == fixture("nzbn/error_401.json")


# -- Companies Office through Firecrawl ----------------------------------------------------------

def test_companies_office_page_from_the_fixture() -> None:
    office = CompaniesOffice.for_target(_target("extraction_api", "https://api.firecrawl.dev", {"key": "fc"}),
                                        transport=_answer(fixture("firecrawl/scrape_companies_search.json")))
    [candidate] = office.search_by_name("Cowabunga")
    assert candidate["company_number"] == "6324367" and candidate["status"] == "Registered"


def test_firecrawl_429_from_the_fixture_waits_47_s() -> None:
    office = CompaniesOffice.for_target(_target("extraction_api", "https://api.firecrawl.dev", {"key": "fc"}),
                                        transport=_answer(fixture("firecrawl/error_429.json"), 429))
    with pytest.raises(RateLimited) as caught:
        office.search_by_address("11 Mcdonald Street", "Auckland")
    assert caught.value.retry_after == 47.0


# -- Uploadcare -----------------------------------------------------------------------------------

def test_uploadcare_fixtures() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            assert request.url.host == "upload.uploadcare.com" and request.url.path == "/from_url/"
            return httpx.Response(200, json=fixture("uploadcare/from_url.json"))
        return httpx.Response(200, json=fixture("uploadcare/status_success.json"))

    target = _target("image_cdn", "https://upload.uploadcare.com", {"public_key": "pk"})
    cdn = Cdn.for_target(target, transport=httpx.MockTransport(handler))
    token = cdn.start_upload("https://example.org/a.jpg", "a.jpg")
    status = cdn.status(token)
    assert status.done and status.uuid == "be3b4d5e-0d8c-4d58-b0a5-8b5e4d7e9a1c"
    assert cdn.cdn_url(status.uuid) == "https://ucarecdn.com/be3b4d5e-0d8c-4d58-b0a5-8b5e4d7e9a1c/"


def test_sandbox_upload_answers_have_the_real_keys(sandbox: SandboxHandle) -> None:
    source = sandbox.urls["websites"] + "/kai-pai-kitchen-ponsonby/logo.png"
    started = httpx.post(sandbox.urls["image_cdn"] + "/from_url/",
                         data={"pub_key": credentials.UPLOADCARE_PUBLIC_KEY, "source_url": source}).json()
    assert set(started) == set(fixture("uploadcare/from_url.json"))
    poll = sandbox.urls["image_cdn"] + "/from_url/status/"
    first = httpx.get(poll, params={"token": started["token"]}).json()
    assert set(first) == set(fixture("uploadcare/status_progress.json"))
    done = httpx.get(poll, params={"token": started["token"]}).json()
    wanted = {"status", "uuid", "file_id", "filename", "size", "mime_type", "is_image", "is_stored"}
    assert wanted <= set(done) & set(fixture("uploadcare/status_success.json"))


# -- onboarding database (PostgREST) -----------------------------------------------------------------

def test_onboarding_rpc_rows_from_the_fixture() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=fixture("onboarding/rpc_get_onboarding_id_by_email.json"))

    db = OnboardingDb.for_target(_target("onboarding_db", "https://p.supabase.co/rest/v1", {"key": "k"}),
                                 transport=httpx.MockTransport(handler))
    assert db.onboarding_id_by_email("owner@example.co.nz") == "6f1c2a9e-3b7d-4e0a-9c1f-2d3e4f5a6b7c"
    assert seen == [{"user_email": "owner@example.co.nz"}]  # issue 12 item 1: not {"email"}


def test_sandbox_rpc_answers_like_the_fixtures(sandbox: SandboxHandle) -> None:
    base = sandbox.urls["onboarding_db"] + "/rest/v1/rpc/get_onboarding_id_by_email"
    headers = {"apikey": credentials.ONBOARDING_API_KEY}
    sandbox.world.create_onboarding_user("Aroha Ngata", "owner@example.co.nz")
    rows = httpx.post(base, json={"user_email": "owner@example.co.nz"}, headers=headers).json()
    assert set(rows[0]) == set(fixture("onboarding/rpc_get_onboarding_id_by_email.json")[0])
    wrong = httpx.post(base, json={"email": "owner@example.co.nz"}, headers=headers)
    assert wrong.status_code == 404 and wrong.json() == fixture("onboarding/error_pgrst202.json")


# -- platform registration API ---------------------------------------------------------------------

def test_sandbox_platform_answers_like_the_fixtures(sandbox: SandboxHandle) -> None:
    base = sandbox.urls["platform_api"] + "/users/register/start"
    refused = httpx.post(base, json={"integrator_id": credentials.INTEGRATOR_ID}).json()
    assert set(refused) == set(fixture("platform/refusal.json")) and refused["outcome"] == 1
    assert set(fixture("platform/register_start.json")) == {"outcome", "token"}


def test_a_register_result_without_its_nzbn_is_looked_up_by_name() -> None:
    # a Companies Office page may not show the NZBN; the NZBN search by name finds it by company number
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["search-term"] == "ACME LIMITED"
        return httpx.Response(200, json=fixture("nzbn/search.json"))

    target = _target("company_register", "https://api.business.govt.nz/gateway/nzbn/v5", {"key": "k"})
    register = CompanyRegister.for_target(target, transport=httpx.MockTransport(handler))
    assert register.nzbn_of("1234567", "ACME LIMITED") == "9429037626847"
    assert register.nzbn_of("7654321", "ACME LIMITED") is None


def test_branding_maps_accent_to_the_secondary_colour() -> None:
    # the prior system (reference §4) takes colors.accent as the secondary colour; the sandbox gives the
    # same value for both, which hid a client preferring colors.secondary
    from regctl.steps.onboarding.extract_branding import from_extraction

    found = from_extraction(fixture("firecrawl/scrape_branding.json")["data"])
    assert (found.primary, found.secondary, found.theme) == ("#E4572E", "#F3A712", "dark")
    assert found.og_image_url == "https://www.example-restaurant.co.nz/og.jpg"
    assert found.favicon_url == "https://www.example-restaurant.co.nz/favicon.ico"


def test_a_menu_scrape_in_the_prior_systems_shape_becomes_a_menu() -> None:
    from regctl.providers.extraction import ExtractionApi
    from regctl.steps.onboarding.menu_sources import menu_from_json

    api = ExtractionApi.for_target(_target("extraction_api", "https://api.firecrawl.dev", {"key": "fc"}),
                                   transport=_answer(fixture("firecrawl/scrape_menu_json.json")))
    menu = menu_from_json(api.extract_menu("https://www.ubereats.com/nz/store/example-curry-house/abc"))
    [mains] = menu.categories
    assert [(i.name, str(i.price), i.tags) for i in mains.items] == [
        ("Butter Chicken", "24.50", ("Gluten Free",)), ("Family Banquet", "1250.00", ())]
    assert [(s.name, s.required, s.options) for s in menu.option_sets] == [
        ("Spice level", True, [("Mild", Decimal("0.00")), ("Hot", Decimal("1.00"))])]
