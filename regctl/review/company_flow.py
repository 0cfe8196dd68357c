"""The company picker: select_company on one screen — the restaurant, the candidates, the question.

Each candidate shows its status (a Removed company is marked and never the default), its registered
address, its incorporation date as a date, and the evidence that matched: the matcher's explanation
(``evidence: [{kind, detail, weight}]``, ``score``) when the search stored one, else how it was
found (name, address or both) and its name similarity. The cursor starts on the best registered
candidate; number keys move to a candidate, letters to the other answers (none, search again, by
hand, leave waiting). Hand entry checks e-mail, NZ phone, NZBN and company number as they are typed
and shows a summary before anything is recorded.

Answers (the step's schema)::

    {"choice": "company", "company_number": "1234567"}
    {"choice": "none"}
    {"choice": "manual", "manual": {"contact_name": "…", …}}
    {"choice": "research", "research": {"name": "…", "street": "…", "city": "…"}}
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from regctl.review.entry import CHECKS, normal
from regctl.review.protocol import Choice, FlowContext, LeaveWaiting, Outcome, Prompter, Validator
from regctl.review.schema_prompts import property_items, resolve
from regctl.steps.base import DecisionRequest

__all__ = ["CANDIDATE_COLUMNS", "MANUAL_FIELDS", "ask_select_company", "best_candidate", "candidate_lines",
           "candidate_rows",
           "is_removed", "registered_address", "shown_date"]

JSON = dict[str, Any]
NONE, MANUAL, RESEARCH, LEAVE = "__none__", "__manual__", "__research__", "__leave__"
RECORD, CHANGE = "record", "change"
CANDIDATE_COLUMNS = ("#", "Company", "Number", "Status", "Incorporated", "Registered address", "Evidence",
                     "Score")
# Used when the request's schema does not describe the manual-entry form itself.
MANUAL_FIELDS: JSON = {
    "type": "object",
    "required": ["contact_name"],
    "properties": {name: {"type": "string", "minLength": 1 if name == "contact_name" else 0}
                   for name in ("contact_name", "full_legal_name", "contact_email", "contact_phone",
                                "company_name", "company_number", "gst_number", "nzbn")},
}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")
_INACTIVE = ("removed", "struck off", "closed", "liquidation", "deregistered")
EVIDENCE_CHARACTERS = 1000  # shared by the candidates of one screen (evidence_budget)


def ask_select_company(p: Prompter, request: DecisionRequest, flow: FlowContext) -> Outcome:
    """Pick a candidate, none, by hand, leave waiting, or re-search (the question returns)."""
    while True:
        _show(p, request)
        picked = p.select(request.prompt, candidate_choices(request.options), default=_default(request))
        if picked == LEAVE:
            raise LeaveWaiting
        if picked == NONE:
            return Outcome({"choice": "none"})
        if picked == MANUAL:
            if flow.header:
                p.screen(f"{flow.header} · contact details by hand")
            return Outcome({"choice": "manual", "manual": ask_manual_entry(p, request)})
        if picked != RESEARCH:
            return Outcome({"choice": "company", "company_number": picked})
        research = {"choice": "research", "research": _ask_search_terms(p, request)}
        if flow.research is None:
            return Outcome(research)
        request = flow.research(research)
        if flow.header:
            p.screen(flow.header + " · searched again")


# ------------------------------------------------------------------ the screen -------------------


def _show(p: Prompter, request: DecisionRequest) -> None:
    restaurant = request.context.get("restaurant") or {}
    if isinstance(restaurant, Mapping) and restaurant.get("name"):
        place = " · ".join(str(restaurant[k]) for k in ("name", "address", "phone") if restaurant.get(k))
        p.say(f"Restaurant: {place}")
    queries = request.context.get("queries") or {}
    searched = " · ".join(f"{k.replace('restaurant_', '')} {v!s}" for k, v in queries.items()
                          if k in ("restaurant_name", "street", "city") and v)
    if searched:
        p.say(f"Searched:   {searched}")
    if not request.options:
        p.say("No candidate company was found.")
    budget = evidence_budget(len(request.options))
    for i, candidate in enumerate(request.options, 1):
        p.say("\n".join(candidate_lines(i, candidate, budget)))


def evidence_budget(candidates: int) -> int:
    """Characters of evidence per candidate, so that the screen fits 45 rows at 80 columns for up to
    five candidates (the matcher's explanations run to ~330 characters each: four of them filled the
    80-column screen, a fifth pushed the header away) and at 120 columns for nine."""
    return max(110, EVIDENCE_CHARACTERS // max(1, candidates))


def candidate_lines(number: int, candidate: Mapping[str, Any], budget: int | None = None) -> list[str]:
    """Two lines per candidate: who it is, then where it is registered and why it matched (the
    evidence cut to ``budget`` characters, each piece shortened alike, strongest first)."""
    name, company_number, status, incorporated, address, evidence, score = candidate_rows([candidate])[0][1:]
    if budget is not None:
        evidence = evidence_text(candidate, budget)
    scored = f"  ·  score {score}" if isinstance(candidate.get("score"), int | float) else ""
    nzbn = f"  ·  NZBN {candidate['nzbn']}" if candidate.get("nzbn") else ""
    return [f"{number:>2}. {name}  ·  {company_number}{nzbn}  ·  {status}  ·  incorporated {incorporated}",
            f"    registered at {address}  ·  {evidence}{scored}"]


def candidate_rows(candidates: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """The candidates' fields as text (one row each, :data:`CANDIDATE_COLUMNS`), in the request's order."""
    return [[str(i), _text(c, "company_name", "name"), _text(c, "company_number"), status_text(c),
             shown_date(c.get("incorporation_date") or c.get("incorporated")), registered_address(c) or "—",
             evidence_text(c), _score(c)]
            for i, c in enumerate(candidates, 1)]


def status_text(candidate: Mapping[str, Any]) -> str:
    status = _text(candidate, "status")
    return f"✖ {status.upper()}" if is_removed(candidate) else status


def is_removed(candidate: Mapping[str, Any]) -> bool:
    """Removed, struck off, closed…: a company that no longer trades (never the default)."""
    status = str(candidate.get("status") or "").strip().lower()
    return any(status.startswith(word) for word in _INACTIVE)


def shown_date(value: Any) -> str:
    """``2009-05-01T00:00:00.000+1200`` → ``2009-05-01``; anything else as it is; ``—`` for nothing."""
    if value in (None, ""):
        return "—"
    match = _DATE.match(str(value))
    return match.group(1) if match else str(value)


def registered_address(candidate: Mapping[str, Any]) -> str:
    """The registered address: the search result's, else the first address of its register entry."""
    if candidate.get("registered_address"):
        return str(candidate["registered_address"])
    register = candidate.get("register")
    addresses = register.get("addresses") if isinstance(register, Mapping) else None
    return str(addresses[0]) if isinstance(addresses, list) and addresses else ""


def evidence_text(candidate: Mapping[str, Any], budget: int | None = None) -> str:
    """The matcher's explanation (strongest first) when stored, else how the search found it.

    ``budget``: at most that many characters; over it, each piece is shortened to an equal share
    (a short piece gives its spare to the others) and ends with ``…``."""
    evidence = [e for e in candidate.get("evidence") or [] if isinstance(e, Mapping)]
    if evidence:
        ranked = sorted(evidence, key=lambda e: -float(e.get("weight") or 0))
        pieces = [f"{e.get('kind', '?')}: {e.get('detail', '')}".rstrip(": ") for e in ranked]
        return "; ".join(_shortened(pieces, budget) if budget is not None else pieces)
    found = str(candidate.get("match_source") or candidate.get("matched_by") or "")
    found_by = {"both": "name + address", "name": "name", "address": "address"}.get(found, found)
    similarity = candidate.get("similarity")
    name = f"name {float(similarity):.2f}" if isinstance(similarity, int | float) else ""
    return " · ".join(part for part in (f"found by {found_by}" if found_by else "", name) if part) or "—"


def _shortened(pieces: list[str], budget: int) -> list[str]:
    out, left = list(pieces), budget
    for done, i in enumerate(sorted(range(len(pieces)), key=lambda i: len(pieces[i]))):
        share = max(24, left // (len(pieces) - done))
        out[i] = pieces[i] if len(pieces[i]) <= share else pieces[i][: share - 1].rstrip() + "…"
        left -= len(out[i]) + 2
    return out


def _score(candidate: Mapping[str, Any]) -> str:
    raw = candidate.get("score", candidate.get("similarity"))
    return f"{float(raw):.2f}" if isinstance(raw, int | float) else "—"


def _text(candidate: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = candidate.get(key)
        if value not in (None, ""):
            return str(value)
    return "—"


# ------------------------------------------------------------------ the question -----------------


def candidate_choices(candidates: Sequence[Mapping[str, Any]]) -> list[Choice]:
    choices = [Choice(title=_choice_title(c), value=str(c.get("company_number")),
                      key=str(i) if i <= 9 else None)
               for i, c in enumerate(candidates, 1)]
    return [*choices,
            Choice("None of these (no matching company)", NONE, key="n"),
            Choice("Search again with an edited name, street or city", RESEARCH, key="s"),
            Choice("Enter the contact details by hand", MANUAL, key="h"),
            Choice("Leave this decision waiting and go to the next", LEAVE, key="w")]


def _choice_title(candidate: Mapping[str, Any]) -> str:
    removed = "  ✖ REMOVED — no longer trading" if is_removed(candidate) else ""
    return f"{_text(candidate, 'company_name', 'name')} ({_text(candidate, 'company_number')}){removed}"


def best_candidate(request: DecisionRequest) -> Mapping[str, Any] | None:
    """The registered candidate the cursor starts on; None when there is none.

    Never a Removed one, nor one the matcher marked ``eligible: false``. The step's own suggestion
    (``defaults.company_number``) when it qualifies; else the highest matcher ``score``; else,
    without a matcher, the one found by both name and address (a company registered at the
    restaurant's address under a similar name), then the most similar name.
    """
    live = [c for c in request.options
            if not is_removed(c) and c.get("eligible", True) is not False and c.get("company_number")]
    suggested = request.defaults.get("company_number") if request.defaults else None
    for candidate in live:
        if suggested and str(candidate["company_number"]) == str(suggested):
            return candidate
    if not live:
        return None
    if any(isinstance(c.get("score"), int | float) for c in live):
        return max(live, key=lambda c: float(c.get("score") or 0))
    return max(live, key=lambda c: (c.get("match_source") == "both", float(c.get("similarity") or 0)))


def _default(request: DecisionRequest) -> str:
    best = best_candidate(request)
    return str(best["company_number"]) if best is not None else NONE


def _ask_search_terms(p: Prompter, request: DecisionRequest) -> JSON:
    queries = request.context.get("queries") or {}
    terms = {"name": p.text("Company name to search", default=str(queries.get("restaurant_name") or "")),
             "street": p.text("Street", default=str(queries.get("street") or "")),
             "city": p.text("City", default=str(queries.get("city") or ""))}
    return {k: v.strip() for k, v in terms.items()}


# ------------------------------------------------------------------ hand entry -------------------


def ask_manual_entry(p: Prompter, request: DecisionRequest) -> JSON:
    """The contact details, each checked as typed, then a summary: record, or change them."""
    schema = request.schema.get("properties", {}).get("manual") or MANUAL_FIELDS
    schema = resolve(schema, request.schema)
    required = set(schema.get("required", []))
    fields = property_items(schema)
    p.say("Enter the contact details (contact name is required; leave the rest empty if unknown).")
    answer: JSON = {}
    while True:
        for name, sub in fields:
            label = f"{sub.get('title') or name.replace('_', ' ')}{' (required)' if name in required else ''}"
            typed = p.text(label, default=answer.get(name, ""), validate=_entry_check(name, name in required))
            answer[name] = normal(name, typed)
        answer = {k: v for k, v in answer.items() if v}
        p.table("The details to record", ("Field", "Value"),
                [[str(sub.get("title") or name), answer.get(name, "—")] for name, sub in fields])
        action = p.select("Record these details?", [Choice("Record them", RECORD, key="r"),
                                                    Choice("Change them", CHANGE, key="c"),
                                                    Choice("Leave this decision waiting", LEAVE, key="w")])
        if action == RECORD:
            return answer
        if action == LEAVE:
            raise LeaveWaiting


def _entry_check(name: str, required: bool) -> Validator:
    check = CHECKS.get(name)

    def validate(text: str) -> str | None:
        if not text.strip():
            return "a value is required" if required else None
        return check(text) if check else None

    return validate
