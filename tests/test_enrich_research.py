"""select_company's re-search against the sandbox register: new queries, new candidates, asked again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from enrich_support import EnrichCtx, make_batch_database

from regctl.db.domain import records_for
from regctl.steps.onboarding import select_company
from regctl.steps.onboarding.search_companies import search_companies
from regctl.targets import SANDBOX_URL_ENV

# "Te Whare Kai (Rotorua)" has no register entry under its name; "Harbourside Eats" is found by address.
RESTAURANT = {
    "name": "Te Whare Kai (Rotorua)",
    "address": "1115 Tutanekai Street, Rotorua 3010",
    "city": "Rotorua",
}


@pytest.fixture
def ctx(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EnrichCtx:
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    url, [(rid, job_id)] = make_batch_database(tmp_path / "r.db", [RESTAURANT])
    return EnrichCtx(database_url=url, data_dir=tmp_path, restaurant=RESTAURANT | {"id": rid}, job_id=job_id)


def test_research_replaces_the_candidates_and_asks_again(ctx: EnrichCtx) -> None:
    first = search_companies(ctx) or {}
    assert first["queries"]["restaurant_name"] == "Te Whare Kai" and first["queries"]["street"].endswith(
        "Street"
    )
    result = select_company.apply(
        ctx,
        {
            "choice": "research",
            "research": {"name": "Harbourside Eats", "street": "88 Wakefield Quay", "city": "Nelson"},
        },
    )
    assert result["ask_again"] is True and result["candidates"] >= 1
    stored = records_for(ctx.database_url).search(ctx.job_id)
    assert stored and stored["queries"]["restaurant_name"] == "Harbourside Eats"
    assert stored["queries"]["original_values"]["name"] == "Te Whare Kai (Rotorua)"
    request = select_company.request(ctx)
    assert len(request.options) == result["candidates"] and request.context["queries"]["city"] == "Nelson"


def test_with_params_override_the_queries(ctx: EnrichCtx) -> None:
    ctx.params = {"name": "Harbourside Eats"}
    assert (search_companies(ctx) or {})["queries"]["restaurant_name"] == "Harbourside Eats"
