"""The company picker (select_company), driven through the real questionary prompts (pipe input)."""

from __future__ import annotations

from typing import Any

import pytest
from review_helpers import CLEAR, ENTER, down, recorded, recorded_json, terminal

from regctl.review.entry import check_company_number, check_email, check_nz_phone, check_nzbn
from regctl.review.flows import ask
from regctl.review.protocol import FlowContext, LeaveWaiting
from regctl.steps.base import DecisionRequest

SPICE_ROUTE = [  # as the demo's search stores them (sandbox fixtures), a Removed company first
    {"company_name": "SPICE ROUTE (2009) LIMITED", "company_number": "5103811", "nzbn": "9429040791911",
     "status": "Removed", "incorporation_date": "2009-05-01T00:00:00.000+1200", "registered_address": "",
     "match_source": "name", "similarity": 0.815},
    {"company_name": "SPICE ROUTE HOLDINGS LIMITED", "company_number": "5103737", "nzbn": "9429040791737",
     "status": "Registered", "incorporation_date": "2012-09-03T00:00:00.000+1200", "registered_address": "",
     "match_source": "name", "similarity": 0.71},
    {"company_name": "SPICE ROUTE MOUNT EDEN LIMITED", "company_number": "5103700", "nzbn": "9429040791900",
     "status": "Registered", "incorporation_date": "2016-04-11T00:00:00.000+1200", "registered_address": "",
     "match_source": "both", "similarity": 0.667,
     "register": {"addresses": ["401 Dominion Road, Mount Eden, Auckland 1024"]}},
]


def _request(options: list[dict[str, Any]], defaults: dict[str, Any] | None = None) -> DecisionRequest:
    raw = recorded_json("select_company")
    return DecisionRequest.from_json({**raw, "options": options, "defaults": defaults or {},
                                      "context": {**raw["context"], "restaurant": {
                                          "name": "Spice Route (Mount Eden)",
                                          "address": "401 Dominion Road, Mount Eden, Auckland 1024"}}})


def test_one_screen_with_status_address_dates_and_evidence() -> None:
    with terminal() as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, recorded("select_company"), FlowContext(header="Decision 1 of 3"))
    assert outcome.answer == {"choice": "company", "company_number": "7012345"}  # the best registered one
    for text in ("Decision 1 of 3", "TEXAS CHICKEN HENDERSON LIMITED", "9429047123456", "Registered",
                 "incorporated 2018-03-14", "registered at 12 Great North Road, Henderson, Auckland 0612",
                 "found by name · name 0.93", "found by address · name 0.31"):
        assert text in t.shown


def test_a_removed_company_is_marked_and_never_the_default() -> None:
    with terminal() as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, _request(SPICE_ROUTE))
    # the cursor starts on the registered candidate found by name *and* address, not the Removed one
    assert outcome.answer == {"choice": "company", "company_number": "5103700"}
    assert "✖ REMOVED" in t.shown
    assert "incorporated 2009-05-01" in t.shown and "T00:00:00" not in t.shown
    assert "registered at 401 Dominion Road, Mount Eden, Auckland 1024" in t.shown  # from the register entry
    assert "Restaurant: Spice Route (Mount Eden) · 401 Dominion Road" in t.shown


def test_one_screen_fits_45_rows() -> None:
    many = [{**SPICE_ROUTE[i % 3], "company_number": str(5103000 + i)} for i in range(9)]
    with terminal() as t:
        t.keys(ENTER)
        ask(t.prompter, _request(many), FlowContext(header="Decision 3 of 12 · demo · Spice Route"))
    question_rows = 1 + len(many) + 4  # the question, a line per candidate, four other answers
    assert len(t.shown.splitlines()) + question_rows <= 45
    assert t.shown.splitlines()[0] == "Decision 3 of 12 · demo · Spice Route"


@pytest.mark.parametrize(("width", "count"), [(80, 5), (120, 9)])
def test_the_matchers_evidence_still_fits_45_rows(width: int, count: int) -> None:
    """The demo's Spice Route request as stored (issue 16's evidence: ~330 characters a candidate):
    four candidates filled an 80-column screen to the last row; a fifth pushed the header away."""
    stored = recorded_json("select_company_evidence")
    options = [{**stored["options"][i % 4], "company_number": str(5103900 + i)} for i in range(count)]
    request = DecisionRequest.from_json({**stored, "options": options})
    with terminal(width=width) as t:
        t.keys(ENTER)
        ask(t.prompter, request, FlowContext(header="Decision 3 of 12 · demo · Spice Route (Mount Eden)"))
    question = f"? {request.prompt} (↑↓ or its key, then Enter)"
    question_rows = -(-len(question) // width) + count + 4
    assert len(t.shown.splitlines()) + question_rows <= 45
    assert t.shown.splitlines()[0].startswith("Decision 3 of 12")
    flowing = " ".join(t.shown.split())
    assert "chain: a chain (3 registered" in flowing and "…" in flowing  # shortened, still read
    if count == 5:  # a short piece stays whole
        assert "phone: register phone +6496302211 is the restaurant's phone;" in flowing


def test_only_removed_companies_leave_the_cursor_on_none_of_these() -> None:
    with terminal() as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, _request(SPICE_ROUTE[:1], defaults={"company_number": "5103811"}))
    assert outcome.answer == {"choice": "none"}


def test_the_matchers_evidence_and_score_are_shown_and_lead_the_cursor() -> None:
    scored = [{**SPICE_ROUTE[0], "status": "Registered", "score": 0.99, "eligible": False},
              {**SPICE_ROUTE[1], "score": 0.41, "evidence": [{"kind": "name", "detail": "similar name",
                                                               "weight": 0.4}]},
              {**SPICE_ROUTE[2], "score": 0.97, "evidence": [
                  {"kind": "name", "detail": "name 0.67", "weight": 0.2},
                  {"kind": "address", "detail": "registered at 401 Dominion Road", "weight": 0.7}]}]
    with terminal() as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, _request(scored))
    assert outcome.answer["company_number"] == "5103700"
    assert "address: registered at 401 Dominion Road; name: name 0.67  ·  score 0.97" in t.shown


@pytest.mark.parametrize(("keys", "answer"), [
    (["2", ENTER], {"choice": "company", "company_number": "5103737"}),  # number keys
    (["n", ENTER], {"choice": "none"}),
])
def test_keys_move_the_cursor_and_enter_confirms(keys: list[str], answer: dict[str, Any]) -> None:
    with terminal() as t:
        t.keys(*keys)
        outcome = ask(t.prompter, _request(SPICE_ROUTE))
    assert outcome.answer == answer


def test_leave_waiting() -> None:
    with terminal() as t:
        t.keys("w", ENTER)
        with pytest.raises(LeaveWaiting):
            ask(t.prompter, _request(SPICE_ROUTE))


def test_no_candidates_starts_on_none_of_these() -> None:
    with terminal() as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, _request([]))
    assert outcome.answer == {"choice": "none"}
    assert "No candidate company was found." in t.shown


def test_research_asks_again_with_the_new_candidates() -> None:
    searched: list[dict[str, Any]] = []

    def research(answer: dict[str, Any]) -> DecisionRequest:
        searched.append(answer)
        return recorded("select_company_researched")

    with terminal() as t:
        t.keys("s", ENTER, CLEAR + "TC Henderson" + ENTER, CLEAR + "14 Great North Road" + ENTER, ENTER)
        t.keys(ENTER)  # the question returns: the cursor on the best new candidate
        outcome = ask(t.prompter, recorded("select_company"), FlowContext(research=research))
    assert searched == [{"choice": "research",
                         "research": {"name": "TC Henderson", "street": "14 Great North Road",
                                      "city": "Auckland"}}]
    assert outcome.answer == {"choice": "company", "company_number": "8123456"}
    assert "TC HENDERSON (2024) LIMITED" in t.shown


def test_research_without_a_researcher_returns_the_research_answer() -> None:
    with terminal() as t:
        t.keys(down(3), ENTER, ENTER, CLEAR + "Waitakere" + ENTER)
        outcome = ask(t.prompter, recorded("select_company"))
    assert outcome.answer == {"choice": "research", "research": {
        "name": "Texas Chicken", "street": "12 Great North Road", "city": "Waitakere"}}


def test_hand_entry_is_checked_as_typed_and_summarised_before_recording() -> None:
    with terminal() as t:
        t.keys("h", ENTER)
        t.keys(ENTER)  # empty contact name: refused, the question stays
        t.keys("Jane Smith" + ENTER, ENTER)  # contact name, full legal name (empty)
        t.keys("not-an-email" + ENTER, CLEAR + "jane@example.nz" + ENTER)  # refused, then fine
        t.keys("abc" + ENTER, CLEAR + "+64 9 376 1234" + ENTER)  # refused, then fine
        t.keys(ENTER, "12x" + ENTER, CLEAR + "5103700" + ENTER, ENTER)  # company name, number, GST
        t.keys("942904079190" + ENTER, CLEAR + "9429 040 791 900" + ENTER)  # 12 digits: refused
        t.keys("r", ENTER)  # record them
        outcome = ask(t.prompter, recorded("select_company"))
    assert outcome.answer == {"choice": "manual", "manual": {
        "contact_name": "Jane Smith", "contact_email": "jane@example.nz", "contact_phone": "+64 9 376 1234",
        "company_number": "5103700", "nzbn": "9429040791900"}}
    assert "The details to record" in t.shown and "Jane Smith" in t.shown


def test_hand_entry_can_be_changed_before_recording() -> None:
    with terminal() as t:
        t.keys("h", ENTER, "Jane Smith" + ENTER, *[ENTER] * 7)
        t.keys("c", ENTER)  # change them: every field again, pre-filled
        t.keys(CLEAR + "Jane Smyth" + ENTER, *[ENTER] * 7, "r", ENTER)
        outcome = ask(t.prompter, recorded("select_company"))
    assert outcome.answer == {"choice": "manual", "manual": {"contact_name": "Jane Smyth"}}


@pytest.mark.parametrize(("check", "good", "bad"), [
    (check_email, ["jane@example.nz", "a.b+c@kai.co.nz"],
     ["not-an-email", "jane@", "jane@example", "a b@c.nz"]),
    (check_nz_phone, ["09 376 1234", "021 123 4567", "+64 9 376 1234", "(04) 385-7788", "0800 123 456"],
     ["abc", "376 1234", "+61 2 9999 9999", "09 376 1234 5678"]),
    (check_nzbn, ["9429040791900", "9429 040 791 900"], ["942904079190", "1234567890123", "9429O40791900"]),
    (check_company_number, ["5103700", "1"], ["12x", "123456789", "-5"]),
])
def test_hand_entry_checks(check: Any, good: list[str], bad: list[str]) -> None:
    assert [check(text) for text in good] == [None] * len(good)
    assert all(check(text) for text in bad)
    assert check("") is None  # optional: empty is fine
