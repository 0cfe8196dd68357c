"""The review flows, driven end to end through the real questionary prompts (pipe input)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from review_helpers import CLEAR, CTRL_C, DOWN, ENTER, down, recorded, terminal

from regctl.review.flows import ask
from regctl.review.protocol import FlowContext, LeaveWaiting
from regctl.steps.base import DecisionRequest

# ------------------------------------------------------------------ select_company ---------------


def test_select_company_shows_the_candidates_and_picks_one() -> None:
    with terminal() as t:
        t.keys(down(1))
        outcome = ask(t.prompter, recorded("select_company"), FlowContext(header="Decision 1 of 3"))
    assert outcome.answer == {"choice": "company", "company_number": "6543210"}
    for text in ("Decision 1 of 3", "TEXAS CHICKEN HENDERSON LIMITED", "9429047123456", "Registered",
                 "2018-03-14", "address", "0.93", "0.31"):
        assert text in t.shown


def test_select_company_none_of_these() -> None:
    with terminal() as t:
        t.keys(down(2))
        outcome = ask(t.prompter, recorded("select_company"))
    assert outcome.answer == {"choice": "none"}


def test_research_asks_again_with_the_new_candidates() -> None:
    searched: list[dict[str, Any]] = []

    def research(answer: dict[str, Any]) -> DecisionRequest:
        searched.append(answer)
        return recorded("select_company_researched")

    with terminal() as t:
        t.keys(down(3), CLEAR + "TC Henderson" + ENTER, CLEAR + "14 Great North Road" + ENTER, ENTER)
        t.keys(ENTER)  # the question returns: pick the first (new) candidate
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


def test_manual_entry_requires_a_contact_name() -> None:
    with terminal() as t:
        t.keys(down(4))
        t.keys(ENTER)  # empty contact name: refused, the question stays
        t.keys("Jane Smith" + ENTER, ENTER, "jane@example.nz" + ENTER, ENTER, ENTER, ENTER, ENTER, ENTER)
        outcome = ask(t.prompter, recorded("select_company"))
    assert outcome.answer == {"choice": "manual",
                              "manual": {"contact_name": "Jane Smith", "contact_email": "jane@example.nz"}}


# ------------------------------------------------------------------ configure_registration -------


def test_accept_all_defaults() -> None:
    request = recorded("configure_registration")
    with terminal() as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, request)
    assert outcome.answer == request.defaults
    assert outcome.apply_to_all is False
    assert "********" not in t.shown  # secrets are shown hidden
    assert "texaschickenhenderson" in t.shown


def test_section_by_section_edits_one_section() -> None:
    request = recorded("configure_registration")
    with terminal() as t:
        t.keys(down(1))  # review section by section
        t.keys(ENTER, ENTER, ENTER)  # keep account, restaurant, menu
        t.keys(down(1))  # edit website
        t.keys(down(1))  # theme: dark -> light
        t.keys(ENTER)  # cuisines unchanged
        t.keys(CLEAR + "#123456" + ENTER, ENTER, "n", ENTER)  # colours, gradients, layout
        t.keys(down(2))  # keep payment and everything after it
        outcome = ask(t.prompter, request)
    website = outcome.answer["website"]
    assert website["theme"] == "light"
    assert website["primary_color"] == "#123456"
    assert website["cuisines"] == ["chicken", "american"]
    assert outcome.answer["account"] == request.defaults["account"]


def test_an_invalid_colour_is_refused_in_the_prompt() -> None:
    request = recorded("configure_registration")
    with terminal() as t:
        t.keys(down(1), ENTER, ENTER, ENTER, down(1), ENTER, ENTER)
        t.keys(CLEAR + "red" + ENTER)  # does not match the schema's pattern: asked again
        t.keys(CLEAR + "#ABCDEF" + ENTER, ENTER, "n", ENTER, down(2))
        outcome = ask(t.prompter, request)
    assert outcome.answer["website"]["primary_color"] == "#ABCDEF"


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)


def test_edit_as_yaml_in_the_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _editor(tmp_path, monkeypatch, "theme: dark", "theme: light")
    request = recorded("configure_registration")
    with terminal() as t:
        t.keys(down(2))
        outcome = ask(t.prompter, request)
    assert outcome.answer["website"]["theme"] == "light"
    assert outcome.answer["menu"] == request.defaults["menu"]


def test_yaml_that_breaks_the_schema_is_sent_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _editor(tmp_path, monkeypatch, "theme: dark", "theme: purple")
    with terminal() as t:
        t.keys(down(2), down(3))  # edit (purple: refused, asked again), then leave it waiting
        with pytest.raises(LeaveWaiting):
            ask(t.prompter, recorded("configure_registration"))
    assert "website.theme" in t.shown


def test_menu_gate_refuses_and_turns_menu_steps_off() -> None:
    with terminal() as t:
        t.keys(ENTER)  # accept as shown: menu import is on, but there is no menu
        t.keys(ENTER)  # turn the menu steps off
        outcome = ask(t.prompter, recorded("configure_registration_no_menu"))
    assert "has no menu yet" in t.shown
    assert "menu_file" in t.shown
    menu = outcome.answer["menu"]
    assert not any(menu[k] for k in ("import_menu", "upload_images", "add_option_sets", "add_item_tags"))


def test_menu_gate_can_leave_the_decision_waiting() -> None:
    with terminal() as t:
        t.keys(ENTER, down(1))  # accept; "change the settings again"
        t.keys(ENTER, down(2))  # accept again: still refused; leave it waiting
        with pytest.raises(LeaveWaiting):
            ask(t.prompter, recorded("configure_registration_no_menu"))
    assert t.shown.count("has no menu yet") == 2


def test_apply_to_all_is_offered_when_others_wait() -> None:
    with terminal() as t:
        t.keys(ENTER, "y")
        outcome = ask(t.prompter, recorded("configure_registration"), FlowContext(remaining_alike=2))
    assert outcome.apply_to_all is True


def test_ctrl_c_stops_the_flow() -> None:
    with terminal() as t:
        t.keys(down(1), ENTER, CTRL_C)
        with pytest.raises(KeyboardInterrupt):
            ask(t.prompter, recorded("configure_registration"))


# ------------------------------------------------------------------ generic ----------------------


def test_generic_prompts_follow_the_schema() -> None:
    with terminal() as t:
        t.keys("y", DOWN + ENTER, "two" + ENTER, CLEAR + "2" + ENTER, ENTER)
        outcome = ask(t.prompter, recorded("generic_confirmation"))
    assert outcome.answer == {"sent": True, "channel": "sms", "attempts": 2}
    assert "Confirm the Stripe Connect onboarding was sent" in t.shown
