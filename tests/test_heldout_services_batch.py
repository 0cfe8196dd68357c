"""Held-out acceptance (issue 12): a batch through `regctl run` against real-shaped services.

The services (tests/heldout_services/) were written from the services' public documentation and the
prior system's code only — not from the sandbox — and sit behind a production profile
(REGCTL_TARGET_HELDOUT_*). The pipeline is the API-only part of onboarding; the results must carry the
services' values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import regctl
from heldout_services import data
from heldout_services.app import Services, profile_env, running

pytestmark = pytest.mark.slow

PIPELINE = """pipeline:
  name: api-onboarding
  steps:
    - {key: extract_menu, uses: extract_menu, with: {source: extraction}}
    - {key: extract_branding, uses: extract_branding, with: {source: extraction}}
    - {key: search_companies, uses: search_companies}
    - {key: select_company, uses: select_company, needs: [search_companies]}
    - {key: extract_company_details, uses: extract_company_details, needs: [select_company],
       when: "results.select_company.choice == 'company'"}
    - {key: configure_registration, uses: configure_registration,
       after: [extract_menu, extract_branding, extract_company_details]}
    - {key: create_account, uses: create_account, needs: [configure_registration]}
    - {key: upload_images, uses: upload_images, needs: [configure_registration, extract_menu]}
    - {key: sync_onboarding, uses: sync_onboarding, needs: [create_account]}
"""


def _manifest(tmp_path: Path, site: str) -> Path:
    r = data.RESTAURANT
    path = tmp_path / "heldout.yaml"
    path.write_text(
        "batch: heldout\norganisation: heldout-org\ntarget: heldout\n"
        + PIPELINE
        + "execution:\n  mode: sequential\n"
        "  rate_limits: {platform_account_creation: {capacity: 5, window: 60s}}\n"
        "policies:\n  select_company: {name: auto_evidence, on_no_match: none}\n"
        "  configure_registration: accept_defaults\n"
        "restaurants:\n"
        f"  - name: {r['name']}\n    address: {r['address']}\n    city: {r['city']}\n"
        f"    phone: '{r['phone']}'\n    email: {r['email']}\n    website: {site}/\n"
        "    ubereats_url: https://www.ubereats.com/nz/store/kowhai-noodle-bar/abc123\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    with running() as s:
        for name, value in profile_env(s).items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("REGCTL_SANDBOX_URL", raising=False)
        yield s


def _job(db: str) -> dict[str, Any]:
    shown = regctl("show", "1", "--json", db=db)
    assert shown.code == 0, shown.output
    job: dict[str, Any] = json.loads(shown.out)
    return job


def _results(job: dict[str, Any]) -> dict[str, Any]:
    return {s["key"]: s.get("result") for s in job["steps"]}


def test_a_batch_against_the_held_out_services_completes_with_their_values(
    services: Services, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'heldout.db'}"
    run = regctl("run", str(_manifest(tmp_path, services.url("/site"))), "--no-progress", db=db)
    job = _job(db)
    statuses = {s["key"]: s["status"] for s in job["steps"]}
    assert run.code == 0, (run.output, statuses, [s.get("error") for s in job["steps"]])
    results = _results(job)

    details = results["extract_company_details"]
    assert details["company_number"] == data.COMPANY_NUMBER and details["nzbn"] == data.NZBN
    assert details["gst_number"] == data.GST and details["contact_email"] == data.COMPANY_EMAIL
    assert details["contact_name"] == "Mere Ann Tauroa"  # the active director, not the ceased one
    assert details["contact_phone"] == "+6448012345"
    assert results["select_company"]["company_number"] == data.COMPANY_NUMBER

    assert results["extract_branding"]["primary_color"] == data.BRAND["primary"]
    assert results["extract_branding"]["secondary_color"] == data.BRAND["accent"]
    assert results["extract_menu"]["items"] == 3 and results["extract_menu"]["images"] == 2
    assert results["create_account"]["created"] is True

    uploads = results["upload_images"]
    assert uploads["uploaded"] == 2 and uploads["failed"] == 0
    assert len(services.files) == 2
    images = (
        sqlite3.connect(tmp_path / "heldout.db")
        .execute("select cdn_id, cdn_url from item_images where cdn_id is not null")
        .fetchall()
    )
    assert sorted(cdn_id for cdn_id, _ in images) == sorted(services.files)
    assert all(url == f"{services.url('/ucarecdn')}/{cdn_id}/" for cdn_id, url in images)  # the CDN host

    synced = results["sync_onboarding"]
    assert synced["onboarding_id"] == data.ONBOARDING_ID
    row = services.onboarding[data.ONBOARDING_ID]
    assert row["nzbn"] == data.NZBN and row["gst_number"] == data.GST
    assert row["director_name"] == "Mere Ann Tauroa" and row["contact_person"] == "Mere Ann Tauroa"
    assert row["organisation_name"] == data.COMPANY_NAME and row["primary_color"] == data.BRAND["primary"]


def test_a_register_website_that_refuses_the_scraper_is_no_evidence_that_nobody_trades_there(
    services: Services, tmp_path: Path
) -> None:
    """The Companies Office site answers Firecrawl's scraper 403: Firecrawl still says success: true (the
    code is in metadata.statusCode) and its json is empty. That is a failed address search, not "no
    company at this address" — so the auto policy must not answer "none of these"."""
    services.page_status["companiesoffice.govt.nz"] = (403, "Forbidden")
    path = _manifest(tmp_path, services.url("/site"))
    path.write_text(
        path.read_text(encoding="utf-8").replace(data.RESTAURANT["name"], "Tamure Fish Shack"),
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'heldout.db'}"
    regctl("run", str(path), "--no-progress", db=db)
    steps = {s["key"]: s for s in _job(db)["steps"]}
    search = steps["search_companies"]["result"]
    assert search["address_search"].startswith("failed:") and "HTTP 403" in search["address_search"]
    assert search["queries"]["address_searched"] is False
    assert (steps["select_company"].get("result") or {}).get("choice") != "none"


def test_each_services_own_throttling_signal_is_waited_out_without_spending_attempts(
    services: Services, tmp_path: Path
) -> None:
    """One 429 from each service, in its own words (APIM Retry-After, Firecrawl's 'retry after 1s' text,
    Uploadcare's X-Throttle-Wait-Seconds, Kong's Retry-After): the batch still completes."""
    services.throttle_once.update({"/nzbn/", "/firecrawl/", "/upload/from_url/", "/supabase/"})
    db = f"sqlite:///{tmp_path / 'heldout.db'}"
    run = regctl("run", str(_manifest(tmp_path, services.url("/site"))), "--no-progress", db=db)
    job = _job(db)
    assert run.code == 0, (run.output, [(s["key"], s["status"], s.get("error")) for s in job["steps"]])
    assert not services.throttle_once  # every service did throttle once
    assert _results(job)["extract_company_details"]["contact_name"] == "Mere Ann Tauroa"
    uploads = _results(job)["upload_images"]
    assert uploads["uploaded"] + uploads["already_on_cdn"] == 2 and len(services.files) == 2
    assert {s["key"]: s["attempts"] for s in job["steps"]} == dict.fromkeys(_results(job), 1)  # none spent
