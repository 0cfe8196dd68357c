"""search_companies: search the company register by name and by address, keep the candidates.

Builds the two queries (companies.build_queries), runs both searches, merges and de-duplicates by
company number, scores name similarity and persists everything (queries too) in
company_search_candidates so select_company can be answered days later. ``with: {name, street,
city}`` overrides the queries (a re-search). A wire failure retries the step; an auth failure fails it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regctl.db.domain import SearchStatus
from regctl.steps.base import StepContext
from regctl.steps.onboarding.companies import address_keyword, build_queries, merge_candidates
from regctl.steps.onboarding.enrich_common import company_register, records, restaurant_id
from regctl.steps.registry import step_type

__all__ = ["run_search", "search_companies"]


def run_search(ctx: StepContext, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Search, merge, persist; the step's result (counts, queries, status)."""
    queries = build_queries(ctx.restaurant, overrides)
    with company_register(ctx) as register:
        by_name = register.search_by_name(queries["restaurant_name"]) if queries["restaurant_name"] else []
        keyword = address_keyword(queries)
        by_address = register.search_by_address(keyword) if queries["street"] else []
    candidates = merge_candidates(by_name, by_address, queries["restaurant_name"])
    status = SearchStatus.AWAITING_SELECTION if candidates else SearchStatus.NO_MATCH
    records(ctx).save_search(ctx.job_id, restaurant_id(ctx), queries=queries, name_results=by_name,
                             address_results=by_address, candidates=candidates, status=status)
    return {"candidates": len(candidates), "name_results": len(by_name), "address_results": len(by_address),
            "status": status.value, "queries": queries}


@step_type("search_companies", timeout=150, description="Search the company register by name and address")
def search_companies(ctx: StepContext) -> dict[str, Any]:
    overrides = {k: ctx.params[k] for k in ("name", "street", "city") if ctx.params.get(k)}
    return run_search(ctx, overrides)
