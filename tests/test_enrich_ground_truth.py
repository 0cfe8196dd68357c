"""Done-when: enrichment of every sandbox fixture matches the sandbox's ground truth.

The steps run for real against the in-process sandbox (Firecrawl v2, NZBN v5, the restaurants'
websites) and write to a real SQLite database; only the engine is replaced by a small context.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from enrich_support import EnrichCtx, make_batch_database

from regctl.db.domain import records_for
from regctl.review.policies import evaluate
from regctl.sandbox.fixtures import FIXTURE_DIR
from regctl.sandbox.manifest import manifest_dict
from regctl.steps.onboarding import select_company
from regctl.steps.onboarding.extract_branding import extract_branding
from regctl.steps.onboarding.extract_company_details import extract_company_details
from regctl.steps.onboarding.extract_menu import extract_menu
from regctl.steps.onboarding.search_companies import search_companies
from regctl.targets import SANDBOX_URL_ENV

TRUTH = json.loads((FIXTURE_DIR / "ground_truth.json").read_text(encoding="utf-8"))["restaurants"]


@pytest.fixture
def batch(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, EnrichCtx]]:
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    entries = manifest_dict(base_url=sandbox.url)["restaurants"]
    rows = [{k: v for k, v in e.items() if k in ("name", "address", "city", "phone", "email", "website",
                                                  "ubereats_url", "opening_hours")} for e in entries]
    url, ids = make_batch_database(tmp_path / "batch.db", rows)
    slugs = {t["name"]: slug for slug, t in TRUTH.items()}
    return [(slugs[row["name"]], EnrichCtx(database_url=url, data_dir=tmp_path / str(job_id),
                                            restaurant=row | {"id": rid}, job_id=job_id))
            for row, (rid, job_id) in zip(rows, ids, strict=True)]


def _check_menu(ctx: EnrichCtx, truth: dict[str, Any]) -> None:
    result = extract_menu(ctx) or {}
    assert (result["categories"], result["items"], result["option_sets"]) == (
        truth["categories"], truth["items"], truth["option_sets"])
    assert result["images"] == truth["items_with_images"]
    items = records_for(ctx.database_url).menu_items(result["menu_id"])
    counts: dict[str, int] = {}
    for item in items:
        for tag in item["tags"]:
            counts[tag] = counts.get(tag, 0) + 1
    assert counts == truth["tag_counts"]
    assert [i["name"] for i in items] == [i["clean_name"] for i in truth["item_list"]]
    assert ctx.rate_limits_taken == ["extraction_api"]


def _check_branding(ctx: EnrichCtx, truth: dict[str, Any]) -> None:
    result = extract_branding(ctx) or {}
    assert (result["primary_color"], result["secondary_color"], result["theme"]) == (
        truth["primary_colour"], truth["secondary_colour"], truth["theme"])
    assert set(result["logo_variants"]) == {"logo", "logo_standard", "logo_nobg", "favicon", "logo_thermal"}
    branding = records_for(ctx.database_url).restaurant(ctx.restaurant["id"])["branding"]
    assert "base64" not in json.dumps(branding)
    assert all(Path(branding[k]).is_file() for k in result["logo_variants"])


def _check_company(ctx: EnrichCtx, truth: dict[str, Any]) -> None:
    result = search_companies(ctx) or {}
    assert result["candidates"] == truth["candidate_count"]
    request = select_company.request(ctx)
    auto = evaluate("auto_single_strong_match", request, ctx)
    assert (auto or {}).get("company_number") == truth["auto_single_strong_match"]
    chosen = truth["chosen"]
    if chosen is None or chosen["company_number"] not in {o["company_number"] for o in request.options}:
        assert select_company.apply(ctx, {"choice": "none"}) == {"choice": "none"}
        assert (extract_company_details(ctx) or {}).get("skipped")
        return
    select_company.apply(ctx, {"choice": "company", "company_number": chosen["company_number"]})
    details = extract_company_details(ctx) or {}
    for key in ("company_number", "nzbn", "gst_number", "contact_email", "contact_phone", "full_legal_name",
                "contact_name"):
        assert details[key] == (chosen[key] or ""), key


def _enrich_and_check(slug: str, ctx: EnrichCtx) -> None:
    truth = TRUTH[slug]
    if truth["menu"]:
        _check_menu(ctx, truth["menu"])
    if truth["branding"]:
        _check_branding(ctx, truth["branding"])
    _check_company(ctx, truth["company"])


@pytest.mark.slow
def test_every_fixture_matches_the_ground_truth(batch: list[tuple[str, EnrichCtx]]) -> None:
    assert len(batch) == len(TRUTH) >= 30
    # Restaurants run side by side, as supervisors would run them (one database, one sandbox).
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(_enrich_and_check, slug, ctx) for slug, ctx in batch]:
            future.result()
