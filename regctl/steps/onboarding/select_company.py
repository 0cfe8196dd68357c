"""select_company (action_required): which registered company runs the restaurant?

The request offers the persisted candidates (with similarity and match source). Answers::

    {"choice": "company", "company_number": "1234567"}     one of the candidates
    {"choice": "none"}                                        none of these (details step skipped)
    {"choice": "manual", "manual": {"contact_name": …, …}}   contact details typed by hand
    {"choice": "research", "research": {"name", "street", "city"}}

Re-search protocol: ``apply`` runs the new search itself (persisting the new candidates) and returns
``{"ask_again": true, …}``; the caller (review flow / engine) then calls ``request`` again instead of
completing the step. :func:`research` does both for the review flow's re-search callback.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from regctl.db.domain import SearchStatus
from regctl.errors import DecisionError
from regctl.matching import decide
from regctl.steps.base import DecisionRequest, StepContext
from regctl.steps.onboarding.companies import strong_single_match
from regctl.steps.onboarding.enrich_common import records, restaurant_id
from regctl.steps.onboarding.search_companies import run_search
from regctl.steps.registry import action_step_type

__all__ = ["ANSWER_SCHEMA", "MANUAL_FIELDS", "apply", "request", "research"]

MANUAL_FIELDS = ("contact_name", "full_legal_name", "contact_email", "contact_phone", "company_name",
                 "company_number", "gst_number", "nzbn")
_TEXT = {"type": "string"}
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["choice"],
    "properties": {
        "choice": {"enum": ["company", "none", "manual", "research"]},
        "company_number": {"type": "string", "minLength": 1},
        "manual": {"type": "object", "required": ["contact_name"], "additionalProperties": False,
                   "properties": {f: ({"type": "string", "minLength": 1} if f == "contact_name" else _TEXT)
                                  for f in MANUAL_FIELDS}},
        "research": {"type": "object", "additionalProperties": False,
                     "properties": {"name": _TEXT, "street": _TEXT, "city": _TEXT}},
    },
    "allOf": [
        {"if": {"properties": {"choice": {"const": c}}}, "then": {"required": [field]}}
        for c, field in (("company", "company_number"), ("manual", "manual"), ("research", "research"))
    ],
}


def request(ctx: StepContext) -> DecisionRequest:
    search = records(ctx).search(ctx.job_id) or {}
    candidates = list(search.get("candidates") or [])
    name = ctx.restaurant.get("name", "this restaurant")
    return DecisionRequest(
        kind="select_company",
        prompt=f"Which registered company runs {name}?",
        schema=ANSWER_SCHEMA,
        options=candidates,
        defaults=_suggestion(candidates),
        context={"queries": search.get("queries") or {}, "status": search.get("status", "not_searched"),
                 "restaurant": {k: ctx.restaurant.get(k) for k in ("name", "address", "city")}},
    )


def _suggestion(candidates: list[dict[str, Any]]) -> dict[str, Any]:
    """The pre-selected answer: the company the evidence clearly supports (scored candidates), else the
    only strong name match (candidates stored before evidence existed), else nothing."""
    if any("score" in c for c in candidates):
        verdict = decide(candidates)
        number = verdict.company_number if verdict.choice == "company" else None
    else:
        strong = strong_single_match(candidates)
        number = str(strong["company_number"]) if strong else None
    return {"choice": "company", "company_number": number} if number else {}


def _validate(answer: dict[str, Any]) -> None:
    errors = sorted(jsonschema.Draft202012Validator(ANSWER_SCHEMA).iter_errors(answer), key=str)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "answer"
        raise DecisionError(f"select_company: {where}: {errors[0].message}")


def _choose_company(ctx: StepContext, number: str) -> dict[str, Any]:
    store = records(ctx)
    candidates = (store.search(ctx.job_id) or {}).get("candidates") or []
    chosen = next((c for c in candidates if str(c.get("company_number")) == number), None)
    if chosen is None:
        raise DecisionError(f"select_company: company_number {number!r} is not one of the candidates")
    store.record_selection(ctx.job_id, SearchStatus.SELECTED, number)
    return {"choice": "company", "company_number": number, "company_name": chosen.get("company_name"),
            "nzbn": chosen.get("nzbn"), "similarity": chosen.get("similarity"), "score": chosen.get("score")}


def _manual(ctx: StepContext, manual: dict[str, Any]) -> dict[str, Any]:
    store = records(ctx)
    fields = {f: str(manual.get(f) or "").strip() for f in MANUAL_FIELDS}
    company: dict[str, Any] = fields | {"manual_entry": True}
    store.set_company(restaurant_id(ctx), company)
    if store.search(ctx.job_id) is not None:
        store.record_selection(ctx.job_id, SearchStatus.MANUAL, fields["company_number"] or None)
    return {"choice": "manual", "manual_entry": True, "contact_name": company["contact_name"]}


def apply(ctx: StepContext, answer: dict[str, Any]) -> dict[str, Any]:
    _validate(answer)
    choice = answer["choice"]
    if choice == "company":
        return _choose_company(ctx, str(answer["company_number"]))
    if choice == "manual":
        return _manual(ctx, answer["manual"])
    if choice == "research":
        found = run_search(ctx, answer["research"])
        return {"ask_again": True, "choice": "research", "candidates": found["candidates"],
                "queries": found["queries"]}
    if records(ctx).search(ctx.job_id) is not None:
        records(ctx).record_selection(ctx.job_id, SearchStatus.NO_MATCH, None)
    return {"choice": "none"}


def research(ctx: StepContext, answer: dict[str, Any]) -> DecisionRequest:
    """Run a re-search answer and return the new request (the review flow's callback)."""
    apply(ctx, answer if "choice" in answer else {"choice": "research", "research": answer})
    return request(ctx)


select_company = action_step_type("select_company", request=request, apply=apply,
                                  description="Pick the registered company (or none / manual / re-search)")
