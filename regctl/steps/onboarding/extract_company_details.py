"""extract_company_details: the chosen company's record → contact fields on the restaurant.

First active director → ``contact_name`` (Title Case) and ``full_legal_name`` (as registered); NZBN;
first GST number, e-mail and phone; directors, shareholders, addresses and the full record kept under
``company``. Does nothing (result ``skipped``) when no company was chosen: "none of these" leaves the
contact empty and manual entry has already written it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regctl.db.domain import SearchStatus
from regctl.errors import PermanentStepError
from regctl.steps.base import StepContext
from regctl.steps.onboarding.companies import first_active_director, title_case
from regctl.steps.onboarding.enrich_common import company_register, records, restaurant_id
from regctl.steps.registry import step_type

__all__ = ["company_record", "extract_company_details"]


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def company_record(details: Mapping[str, Any]) -> dict[str, Any]:
    """What the restaurant's ``company`` column holds, from the provider's details (pure)."""
    info = details.get("company_info") or {}
    director = first_active_director(details.get("directors") or []) or {}
    legal = str(director.get("full_legal_name") or director.get("name") or "")
    return {
        "company_name": info.get("company_name", ""),
        "company_number": info.get("company_number", ""),
        "nzbn": info.get("nzbn", ""),
        "gst_number": _first(list(details.get("gst_numbers") or [])),
        "full_legal_name": legal,
        "contact_name": title_case(legal),
        "contact_email": _first(list(details.get("email_addresses") or [])),
        "contact_phone": _first(list(details.get("phone_numbers") or [])),
        "directors": list(details.get("directors") or []),
        "shareholders": list(details.get("shareholders") or []),
        "addresses": list(details.get("addresses") or []),
        "manual_entry": False,
        "details": dict(details.get("raw") or {}),
    }


def _chosen(ctx: StepContext) -> Mapping[str, Any] | None:
    search = records(ctx).search(ctx.job_id) or {}
    number = search.get("selected_company_number")
    if search.get("status") != SearchStatus.SELECTED or not number:
        return None
    return next((c for c in search.get("candidates") or [] if str(c.get("company_number")) == number), None)


@step_type("extract_company_details", timeout=150,
           description="Read the chosen company's directors and contacts")
def extract_company_details(ctx: StepContext) -> dict[str, Any]:
    chosen = _chosen(ctx)
    if chosen is None:
        return {"skipped": "no company was chosen"}
    with company_register(ctx) as register:
        nzbn = str(chosen.get("nzbn") or "") or register.nzbn_of(str(chosen.get("company_number") or ""),
                                                                  str(chosen.get("company_name") or ""))
        if not nzbn:
            raise PermanentStepError(f"company {chosen.get('company_number')} has no NZBN to look up "
                                     "and the register's name search does not list it")
        details = register.details(nzbn)
    company = company_record(details)
    records(ctx).set_company(restaurant_id(ctx), company)
    return {k: company[k] for k in ("company_name", "company_number", "nzbn", "gst_number", "contact_name",
                                    "full_legal_name", "contact_email", "contact_phone")} | {
        "directors": len(company["directors"])}
