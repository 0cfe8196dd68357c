"""The provider clients against the held-out services (tests/heldout_services/, written from the public docs).

What a real service does that our own sandbox never made us handle: PostgREST's ``200 []`` to a PATCH that
matched no row, the auth header names each service reads, and the fields each answer carries.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from heldout_services import data
from heldout_services.app import Services, profile_env, running

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.providers.cdn import Cdn
from regctl.providers.companies_office import CompaniesOffice
from regctl.providers.company_register import CompanyRegister
from regctl.providers.extraction import ExtractionApi
from regctl.providers.onboarding_db import OnboardingDb
from regctl.targets import Target, resolve_target


@pytest.fixture(scope="module")
def services() -> Iterator[Services]:
    with running() as s:
        yield s


@pytest.fixture
def target(services: Services) -> Target:
    services.rls_hides_rows = False
    return resolve_target("heldout", profile_env(services))


def test_an_onboarding_update_that_changes_no_row_fails(services: Services, target: Target) -> None:
    """PostgREST answers 200 ``[]`` when row-level security hides the row (or it is gone): not a success."""
    services.rls_hides_rows = True
    with OnboardingDb.for_target(target) as db:
        assert db.onboarding_id_by_email(data.RESTAURANT["email"].lower()) == data.ONBOARDING_ID
        with pytest.raises(PermanentStepError, match="changed no row") as failed:
            db.update_onboarding(data.ONBOARDING_ID, {"nzbn": data.NZBN})
    assert "REGCTL_TARGET_HELDOUT_ONBOARDING_DB_KEY" in str(failed.value)
    assert data.SUPABASE_SERVICE_KEY not in str(failed.value)
    assert services.onboarding[data.ONBOARDING_ID]["nzbn"] is None


def test_an_onboarding_update_returns_the_updated_row(services: Services, target: Target) -> None:
    with OnboardingDb.for_target(target) as db:
        rows = db.update_onboarding(data.ONBOARDING_ID, {"gst_number": data.GST})
    assert rows[0]["id"] == data.ONBOARDING_ID and rows[0]["gst_number"] == data.GST
    patch = services.calls("/supabase/rest/v1/user_onboarding")[-1]
    assert patch["headers"]["apikey"] == data.SUPABASE_SERVICE_KEY
    assert patch["headers"]["authorization"] == f"Bearer {data.SUPABASE_SERVICE_KEY}"
    assert patch["headers"]["prefer"] == "return=representation"


def test_the_register_reads_a_paginated_search_and_a_full_v5_entity(
    services: Services, target: Target
) -> None:
    with CompanyRegister.for_target(target) as register:
        found = register.search_by_name("Kōwhai Noodle Bar")
        details = register.details(data.NZBN)
    assert found[0]["company_number"] == data.COMPANY_NUMBER and found[0]["status"] == "Registered"
    assert found[0]["registered_address"] == ""  # v5 search items carry no address
    directors = [(d["name"], d["status"], d["cessation_date"][:4]) for d in details["directors"]]
    assert directors == [("Hemi Walker", "", "2021"), ("Mere Ann Tauroa", "Current", "")]
    assert [c["path"].rsplit("/", 1)[-1] for c in services.calls("/nzbn/")[-2:]] == [data.NZBN, "roles"]
    assert details["gst_numbers"] == [data.GST] and details["phone_numbers"] == ["+6448012345"]
    assert details["company_info"]["registered_address"].startswith("Level 1, 21 Tory Street")
    assert services.calls("/nzbn/")[-1]["headers"]["ocp-apim-subscription-key"] == data.NZBN_KEY


def test_the_companies_office_search_takes_rows_with_fields_left_out(target: Target) -> None:
    with CompaniesOffice.for_target(target) as office:
        found = office.search_by_address("21 Tory Street", "Wellington")
    assert [c["company_number"] for c in found] == [data.COMPANY_NUMBER, "556677"]
    assert found[1]["nzbn"] == "" and found[1]["registered_address"] == ""


def test_an_upload_is_polled_through_waiting_and_progress_to_its_cdn_url(
    services: Services, target: Target
) -> None:
    with Cdn.for_target(target) as cdn:
        token = cdn.start_upload(f"{services.url('/site')}/img/x.jpg", "mains-x.jpg")
        seen = [cdn.status(token) for _ in range(3)]
        url = cdn.cdn_url(seen[-1].uuid or "")
    assert [s.status for s in seen] == ["waiting", "progress", "success"]
    assert url == f"{services.url('/ucarecdn')}/{seen[-1].uuid}/"


@pytest.fixture
def failing_pages(services: Services) -> Iterator[dict[str, tuple[int, str]]]:
    yield services.page_status
    services.page_status.clear()


def test_a_register_page_that_answered_503_is_retried_not_read_as_no_companies(
    target: Target, failing_pages: dict[str, tuple[int, str]]
) -> None:
    failing_pages["companiesoffice.govt.nz"] = (503, "Service Unavailable")
    with CompaniesOffice.for_target(target) as office, pytest.raises(RetryableStepError, match="HTTP 503"):
        office.search_by_address("21 Tory Street", "Wellington")


def test_a_page_that_answered_404_fails_the_scrape(
    target: Target, failing_pages: dict[str, tuple[int, str]]
) -> None:
    failing_pages["ubereats.com"] = (404, "Not Found")
    expected = pytest.raises(PermanentStepError, match=r"answered HTTP 404 \(Not Found\)")
    with ExtractionApi.for_target(target) as api, expected as failed:
        api.extract_menu("https://www.ubereats.com/nz/store/gone/xyz")
    assert not isinstance(failed.value, RetryableStepError)
