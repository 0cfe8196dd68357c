"""search_companies: search the company register by name and by address, keep the candidates.

Builds the two queries (companies.build_queries), runs both searches, merges and de-duplicates by
company number, scores name similarity, weighs each candidate's evidence (company_evidence.py, the
matcher in regctl/matching/) and persists everything (queries too) in
company_search_candidates so select_company can be answered days later. ``with: {name, street,
city}`` overrides the queries (a re-search). A wire failure retries the step; an auth failure fails it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regctl.db.domain import SearchStatus
from regctl.providers.company_register import CompanyRegister
from regctl.providers.http import Refused
from regctl.steps.base import StepContext
from regctl.steps.onboarding.companies import address_keyword, build_queries, merge_candidates
from regctl.steps.onboarding.company_evidence import score as score_evidence
from regctl.steps.onboarding.enrich_common import company_register, records, restaurant_id
from regctl.steps.onboarding.extract_branding import in_this_sandbox
from regctl.steps.registry import step_type

__all__ = ["run_search", "search_companies"]


def _address_search(register: CompanyRegister,
                    queries: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """Results of the address search, and a note when the register does not offer one.

    The sandbox (like the Companies Office) searches by address keyword; a register that refuses the
    parameter (HTTP 400/404) leaves the name search to stand alone rather than failing the step.
    """
    if not queries["street"]:
        return [], ""
    try:
        return register.search_by_address(address_keyword(queries)), ""
    except Refused as exc:
        if exc.status not in (400, 404):
            raise
        return [], f"address search not available (HTTP {exc.status})"


def _website(ctx: StepContext) -> str | None:
    url = ctx.restaurant.get("website")
    return in_this_sandbox(ctx, str(url)) if url else None


def run_search(ctx: StepContext, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Search, merge, persist; the step's result (counts, queries, status)."""
    queries = build_queries(ctx.restaurant, overrides)
    with company_register(ctx) as register:
        by_name = register.search_by_name(queries["restaurant_name"]) if queries["restaurant_name"] else []
        by_address, address_note = _address_search(register, queries)
        merged = merge_candidates(by_name, by_address, queries["restaurant_name"])
        candidates, website = score_evidence(ctx, register, merged, _website(ctx))
    # What the website printed, and whether the address search ran (a "none of these" needs both searches).
    searched = bool(queries["street"]) and not address_note
    queries = queries | {"website": website.to_json(), "address_searched": searched}
    status = SearchStatus.AWAITING_SELECTION if candidates else SearchStatus.NO_MATCH
    records(ctx).save_search(ctx.job_id, restaurant_id(ctx), queries=queries, name_results=by_name,
                             address_results=by_address, candidates=candidates, status=status)
    result = {"candidates": len(candidates), "name_results": len(by_name), "address_results": len(by_address),
              "status": status.value, "queries": queries}
    return result | ({"address_search": address_note} if address_note else {})


@step_type("search_companies", timeout=150, description="Search the company register by name and address")
def search_companies(ctx: StepContext) -> dict[str, Any]:
    overrides = {k: ctx.params[k] for k in ("name", "street", "city") if ctx.params.get(k)}
    return run_search(ctx, overrides)
