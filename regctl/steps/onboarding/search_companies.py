"""search_companies: search the company register by name and by address, keep the candidates.

Builds the two queries (companies.build_queries), runs both searches — by name on the NZBN API
(``search-term``), by address on the Companies Office register website through the extraction API
(its ``addressKeyword`` search, as the prior system did: the NZBN API has no address search) — merges
and de-duplicates by company number, scores name similarity, weighs each candidate's evidence
(company_evidence.py, the matcher in regctl/matching/) and persists everything (queries too) in
company_search_candidates so select_company can be answered days later. ``with: {name, street,
city}`` overrides the queries (a re-search). A wire failure retries the step (a 429 waits as the
service says, without spending an attempt); a refused credential fails it. A search the service
refuses or cannot do (a 4xx, Firecrawl's ``success: false``) counts as no results — the prior system's
rule "a failed search is an empty list" — and the result says which (``name_search``/``address_search``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from regctl.db.domain import SearchStatus
from regctl.errors import PermanentStepError
from regctl.providers.http import CredentialRefused
from regctl.steps.base import StepContext
from regctl.steps.onboarding.companies import build_queries, merge_candidates, written_out
from regctl.steps.onboarding.company_evidence import printed_companies, read_website
from regctl.steps.onboarding.company_evidence import score as score_evidence
from regctl.steps.onboarding.enrich_common import companies_office, company_register, records, restaurant_id
from regctl.steps.onboarding.extract_branding import in_this_sandbox
from regctl.steps.registry import step_type

__all__ = ["run_search", "search_companies"]


Found = tuple[list[dict[str, Any]], str]  # the results, and why there are none when the search failed


def _tolerant(search: Callable[[], list[dict[str, Any]]]) -> Found:
    """A refused search is an empty list with its reason; wire failures and a bad credential propagate."""
    try:
        return search(), ""
    except CredentialRefused:
        raise
    except PermanentStepError as exc:
        return [], f"failed: {exc}"


def _name_search(ctx: StepContext, queries: Mapping[str, Any]) -> Found:
    if not queries["restaurant_name"]:
        return [], ""
    with company_register(ctx) as register:
        return _tolerant(lambda: register.search_by_name(str(queries["restaurant_name"])))


def _address_search(ctx: StepContext, queries: Mapping[str, Any]) -> Found:
    """Registered companies at the street (and city) of the restaurant, from the Companies Office."""
    if not queries["street"]:
        return [], ""
    street, city = str(queries["street"]), str(queries.get("city") or "")
    with companies_office(ctx) as office:
        found, note = _tolerant(lambda: office.search_by_address(street, city))
        if not found and not note and written_out(street) != street:  # "Rd" as typed found nothing: "Road"
            found, note = _tolerant(lambda: office.search_by_address(written_out(street), city))
    return found, note


def _website(ctx: StepContext) -> str | None:
    url = ctx.restaurant.get("website")
    return in_this_sandbox(ctx, str(url)) if url else None


def run_search(ctx: StepContext, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Search, merge, persist; the step's result (counts, queries, status)."""
    queries = build_queries(ctx.restaurant, overrides)
    by_name, name_note = _name_search(ctx, queries)
    by_address, address_note = _address_search(ctx, queries)
    with company_register(ctx) as register:
        website = read_website(ctx, _website(ctx))
        printed = printed_companies(register, website)  # found through the legal name/NZBN it prints
        merged = merge_candidates(by_name + printed, by_address, queries["restaurant_name"])
        candidates = score_evidence(ctx, register, merged, website)
    # What the website printed, and whether the address search ran and answered (a "none of these"
    # needs both searches: a refused address search is no evidence that nobody trades there).
    searched = {"name_searched": bool(queries["restaurant_name"]) and not name_note,
                "address_searched": bool(queries["street"]) and not address_note}
    queries = queries | {"website": website.to_json()} | searched
    status = SearchStatus.AWAITING_SELECTION if candidates else SearchStatus.NO_MATCH
    records(ctx).save_search(ctx.job_id, restaurant_id(ctx), queries=queries, name_results=by_name,
                             address_results=by_address, candidates=candidates, status=status)
    result = {"candidates": len(candidates), "name_results": len(by_name), "address_results": len(by_address),
              "status": status.value, "queries": queries}
    notes = {"name_search": name_note, "address_search": address_note}
    return result | {k: v for k, v in notes.items() if v}


@step_type("search_companies", timeout=150, description="Search the company register by name and address")
def search_companies(ctx: StepContext) -> dict[str, Any]:
    overrides = {k: ctx.params[k] for k in ("name", "street", "city") if ctx.params.get(k)}
    return run_search(ctx, overrides)
