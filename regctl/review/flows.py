"""The prompt flows of `regctl review`: one per request kind, all through an injected Prompter.

A flow turns one :class:`DecisionRequest` into an :class:`Outcome` (the answer to record). It writes
nothing: recording is :mod:`regctl.review.decisions`' job, after the flow returned, so Ctrl-C
(``KeyboardInterrupt``) mid-flow leaves the decision waiting exactly as it was.

select_company answers (the enrichment step's schema)::

    {"choice": "company", "company_number": "1234567"}
    {"choice": "none"}
    {"choice": "manual", "manual": {"contact_name": "…", …}}
    {"choice": "research", "research": {"name": "…", "street": "…", "city": "…"}}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regctl.review.config_flow import ask_configuration
from regctl.review.protocol import Choice, FlowContext, Outcome, Prompter
from regctl.review.schema_prompts import ask_object
from regctl.steps.base import DecisionRequest

__all__ = ["MANUAL_FIELDS", "ask", "ask_generic", "ask_select_company", "candidate_rows"]

JSON = dict[str, Any]
NONE, MANUAL, RESEARCH = "__none__", "__manual__", "__research__"
CANDIDATE_COLUMNS = ("#", "Name", "Number", "NZBN", "Status", "Incorporated", "Registered address",
                     "Matched by", "Similarity")
# Used when the request's schema does not describe the manual-entry form itself.
MANUAL_FIELDS: JSON = {
    "type": "object",
    "required": ["contact_name"],
    "properties": {name: {"type": "string", "minLength": 1 if name == "contact_name" else 0}
                   for name in ("contact_name", "full_legal_name", "contact_email", "contact_phone",
                                "company_name", "company_number", "gst_number", "nzbn")},
}


def ask(p: Prompter, request: DecisionRequest, flow: FlowContext | None = None) -> Outcome:
    """Ask a person to answer ``request``; dispatches on ``request.kind``."""
    flow = flow or FlowContext()
    if flow.header:
        p.say(flow.header)
    if request.kind == "select_company":
        return ask_select_company(p, request, flow)
    if request.kind == "configure_registration":
        return ask_configuration(p, request, flow)
    return ask_generic(p, request)


def ask_generic(p: Prompter, request: DecisionRequest) -> Outcome:
    """Any other action step: one prompt per property of the answer's JSON Schema."""
    p.say(request.prompt)
    return Outcome(answer=ask_object(p, request.schema, request.defaults))


# ------------------------------------------------------------------ select_company -------------


def ask_select_company(p: Prompter, request: DecisionRequest, flow: FlowContext) -> Outcome:
    """Pick a candidate, none, manual entry, or re-search (which returns with the new candidates)."""
    while True:
        _show_candidates(p, request)
        picked = p.select(request.prompt, _candidate_choices(request))
        if picked == NONE:
            return Outcome({"choice": "none"})
        if picked == MANUAL:
            return Outcome({"choice": "manual", "manual": _ask_manual_entry(p, request)})
        if picked != RESEARCH:
            return Outcome({"choice": "company", "company_number": picked})
        research = {"choice": "research", "research": _ask_search_terms(p, request)}
        if flow.research is None:
            return Outcome(research)
        request = flow.research(research)


def candidate_rows(candidates: list[JSON]) -> list[list[str]]:
    """The table rows of the candidates, in the request's order."""
    return [[str(i), _text(c, "company_name", "name"), _text(c, "company_number"), _text(c, "nzbn"),
             _text(c, "status"), _text(c, "incorporation_date", "incorporated"),
             _text(c, "registered_address"), _text(c, "match_source", "matched_by"), _similarity(c)]
            for i, c in enumerate(candidates, 1)]


def _show_candidates(p: Prompter, request: DecisionRequest) -> None:
    queries = request.context.get("queries") or {}
    searched = " · ".join(str(v) for k, v in queries.items() if k != "original_values" and v)
    title = f"Candidate companies{f' for {searched}' if searched else ''}"
    if request.options:
        p.table(title, CANDIDATE_COLUMNS, candidate_rows(request.options))
    else:
        p.say(f"{title}: none found.")


def _candidate_choices(request: DecisionRequest) -> list[Choice]:
    choices = [Choice(title=f"{i}. {_text(c, 'company_name', 'name')} ({_text(c, 'company_number')})"
                            f" {_similarity(c)}",
                      value=str(c.get("company_number")))
               for i, c in enumerate(request.options, 1)]
    return [*choices,
            Choice("None of these (no matching company)", NONE),
            Choice("Search again with an edited name, street or city", RESEARCH),
            Choice("Enter the contact details by hand", MANUAL)]


def _ask_search_terms(p: Prompter, request: DecisionRequest) -> JSON:
    queries = request.context.get("queries") or {}
    terms = {"name": p.text("Company name to search", default=str(queries.get("restaurant_name") or "")),
             "street": p.text("Street", default=str(queries.get("street") or "")),
             "city": p.text("City", default=str(queries.get("city") or ""))}
    return {k: v.strip() for k, v in terms.items()}


def _ask_manual_entry(p: Prompter, request: DecisionRequest) -> JSON:
    p.say("Enter the contact details (contact name is required; leave the rest empty if unknown).")
    schema = request.schema.get("properties", {}).get("manual") or MANUAL_FIELDS
    answer = ask_object(p, schema, {}, root=request.schema)
    return {k: v for k, v in answer.items() if v not in ("", None)}


def _text(candidate: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = candidate.get(key)
        if value not in (None, ""):
            return str(value)
    return "—"


def _similarity(candidate: Mapping[str, Any]) -> str:
    raw = candidate.get("similarity", candidate.get("score"))
    return f"{float(raw):.2f}" if isinstance(raw, int | float) else "—"
