"""Done-when, through the real engine: a batch of every sandbox fixture, enrichment steps only, with
the auto_single_strong_match policy — menus, colours, candidates, the policy's automatic choices and
the chosen directors match the sandbox's ground truth; restaurants without a strong match wait."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from regctl.db.domain import records_for
from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.sandbox.fixtures import FIXTURE_DIR
from regctl.sandbox.manifest import manifest_dict
from regctl.targets import SANDBOX_URL_ENV

TRUTH = json.loads((FIXTURE_DIR / "ground_truth.json").read_text(encoding="utf-8"))["restaurants"]
ENRICHMENT = [
    {"key": "extract_menu", "uses": "extract_menu", "when": "restaurant.ubereats_url", "critical": False},
    {"key": "extract_branding", "uses": "extract_branding", "when": "restaurant.website", "critical": False},
    {"key": "search_companies", "uses": "search_companies", "critical": False},
    {"key": "select_company", "uses": "select_company", "needs": ["search_companies"], "critical": False},
    {
        "key": "extract_company_details",
        "uses": "extract_company_details",
        "needs": ["select_company"],
        "when": "results.select_company.company_number",
        "critical": False,
    },
]


@pytest.fixture
def batch(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]]:
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    doc = manifest_dict(base_url=sandbox.url, batch="truth")
    doc.update(
        pipeline={"name": "enrichment", "steps": ENRICHMENT},
        policies={"select_company": "auto_single_strong_match"},
    )
    # The real limit (10 per 60 s) would make this a 3-minute test; the fault tests cover the limit.
    doc["execution"] = {
        **doc.get("execution", {}),
        "rate_limits": {"extraction_api": {"capacity": 1000, "window": 60}},
    }
    path = tmp_path / "truth.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'truth.db'}"
    store = api.open_store(db, upgrade=True)
    try:
        ref = api.submit_batch(store, load_manifest(path), actor="test")
        api.supervise(store, until_idle=True, batch_id=ref.id, concurrency=6)
        view = store.batch_view(ref.id)
        view["jobs"] = [store.job_view(j["id"]) for j in view["jobs"]]
        return db, view
    finally:
        store.close()


def _steps(job: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in job["steps"]}


def _check(db: str, job: dict[str, Any], truth: dict[str, Any]) -> None:
    steps, domain = _steps(job), records_for(db)
    restaurant = domain.restaurant(job["restaurant_id"])
    if truth["menu"]:
        result = steps["extract_menu"]["result"]
        assert (result["items"], result["option_sets"]) == (
            truth["menu"]["items"],
            truth["menu"]["option_sets"],
        )
    if truth["branding"]:
        b = restaurant["branding"]
        assert (b["primary_color"], b["secondary_color"], b["theme"]) == (
            truth["branding"]["primary_colour"],
            truth["branding"]["secondary_colour"],
            truth["branding"]["theme"],
        )
    company = truth["company"]
    assert steps["search_companies"]["result"]["candidates"] == company["candidate_count"]
    auto = company["auto_single_strong_match"]
    if auto is None:
        assert steps["select_company"]["status"] == "action_required"  # a person decides
        return
    assert steps["select_company"]["result"]["company_number"] == auto
    chosen = company["chosen"]
    if chosen and chosen["company_number"] == auto:
        contact = restaurant["company"]
        assert (contact["contact_name"], contact["full_legal_name"]) == (
            chosen["contact_name"] or "",
            chosen["full_legal_name"] or "",
        )


@pytest.mark.slow
def test_enrichment_batch_in_the_engine_matches_the_ground_truth(batch: tuple[str, dict[str, Any]]) -> None:
    db, view = batch
    by_name = {t["name"]: t for t in TRUTH.values()}
    assert len(view["jobs"]) == len(TRUTH)
    for job in view["jobs"]:
        _check(db, job, by_name[job["restaurant"]["name"]])
    autos = sum(1 for t in TRUTH.values() if t["company"]["auto_single_strong_match"])
    decided = sum(1 for j in view["jobs"] if _steps(j)["select_company"]["status"] == "completed")
    assert decided == autos
