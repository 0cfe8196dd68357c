"""The Yolo mode settings and generic flows, driven through the real questionary prompts (pipe input).

The company picker has its own file (test_review_company.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from review_helpers import CLEAR, CTRL_C, DOWN, ENTER, recorded, recorded_json, terminal

from regctl.review.config_flow import _actions, find_field
from regctl.review.flows import ask
from regctl.review.protocol import FlowContext, LeaveWaiting
from regctl.steps.base import DecisionRequest

EDIT, ACCEPT, APPLY_ALL, EDITOR, LEAVE = ("e", ENTER), ("a", ENTER), ("o", ENTER), ("v", ENTER), ("w", ENTER)


def test_accept_as_shown() -> None:
    request = recorded("configure_registration")
    with terminal() as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, request)
    assert outcome.answer == request.defaults
    assert outcome.apply_to_all is False
    assert "Yolo mode settings for Texas Chicken (Henderson)" in t.shown
    assert "********" not in t.shown and "••••••" in t.shown  # secrets are shown hidden
    assert "texaschickenhenderson" in t.shown


def test_the_overview_shows_only_what_differs_from_the_defaults() -> None:
    with terminal() as t:
        t.keys(ENTER)
        ask(t.prompter, recorded("configure_registration"), FlowContext(header="Decision 1 of 4"))
    website = next(line for line in t.shown.splitlines() if line.strip().startswith("website"))
    assert "primary_color #C8102E" in website and "cuisines [chicken, american]" in website
    assert "theme" not in website and "item_layout" not in website  # dark and card are the defaults
    assert "payment     (all defaults)" in t.shown
    assert "opening_hours 1 day(s) 10:00–22:00" in t.shown


def test_the_overview_shortens_data_dir_paths_and_groups_split_shifts() -> None:
    """With the default (relative) data directory the overview showed each logo as
    `regctl-data/rev/7/extract_branding/branding/logo_nobg.png`, and Golden Dragon's lunch and dinner
    as ten entries (`Tue 11:00–14:30, Tue 17:00–21:30, …`): four 80-column rows for two lines' worth."""
    raw = recorded_json("configure_registration")
    defaults = raw["defaults"]
    defaults["website"]["header_logo_source"] = "regctl-data/rev/7/extract_branding/branding/logo_nobg.png"
    defaults["restaurant"]["opening_hours"] = [{"day": day, "open": o, "close": c}
                                               for day in ("Tuesday", "Wednesday")
                                               for o, c in (("11:00", "14:30"), ("17:00", "21:30"))]
    with terminal() as t, pytest.raises(LeaveWaiting):
        t.keys("w", ENTER)
        ask(t.prompter, DecisionRequest.from_json(raw), FlowContext(header="Decision 1 of 4"))
    flowing = " ".join(t.shown.split())
    assert "header_logo_source …/logo_nobg.png" in flowing and "regctl-data/" not in flowing
    assert "opening_hours Tue 11:00–14:30 17:00–21:30, Wed 11:00–14:30 17:00–21:30" in flowing


def test_the_overview_says_what_the_defaults_were_derived_from() -> None:
    from regctl.review.config_flow import derived_from

    context = {"has_menu": True, "has_branding": False, "has_contact": True,
               "menus": [{"id": 3, "source": "extraction", "items": 7, "option_sets": 3}]}
    assert derived_from(context) == ("menu 3 (extraction, 7 items, 3 option sets) · no branding found "
                                     "(plain colours) · contact from the company register")
    assert derived_from({"has_menu": False}) == "no menu yet"


def test_one_screen_fits_45_rows() -> None:
    with terminal() as t:
        t.keys(ENTER)
        ask(t.prompter, recorded("configure_registration"), FlowContext(header="Decision 1 of 4",
                                                                        remaining_alike=3))
    question_rows = 1 + 5  # the question and its five answers
    assert len(t.shown.splitlines()) + question_rows <= 45
    assert t.shown.splitlines()[0] == "Decision 1 of 4"


def test_the_demos_derived_config_fits_45_rows_at_80_columns() -> None:
    # recorded from the demo (Kai Pai Kitchen, `configure_registration: review`): the real schema
    with terminal(width=80) as t:
        t.keys(ENTER)
        outcome = ask(t.prompter, recorded("configure_registration_demo"),
                      FlowContext(header="Decision 1 of 12", remaining_alike=7))
    assert outcome.answer["restaurant"]["subdomain"] == "kaipaikitchenponsonby"
    assert len(t.shown.splitlines()) + 1 + 5 <= 45  # the question and its five answers below
    assert "derived from: menu 3 (extraction, 7 items, 3 option sets)" in t.shown
    assert "item_layout" not in t.shown and "…/favicon.png" in t.shown


def test_edit_one_field_by_a_part_of_its_path() -> None:
    with terminal() as t:
        t.keys(*EDIT, "theme" + ENTER, DOWN + ENTER)  # website.theme: dark → light
        t.keys(*ACCEPT)
        outcome = ask(t.prompter, recorded("configure_registration"))
    assert outcome.answer["website"]["theme"] == "light"
    assert "Changed by you: website.theme dark → light" in t.shown


def test_an_ambiguous_or_unknown_path_and_an_invalid_value_are_refused_in_the_prompt() -> None:
    with terminal() as t:
        t.keys(*EDIT, "color" + ENTER)  # primary_color or secondary_color: refused
        t.keys(CLEAR + "website.colour" + ENTER)  # no such field: refused
        t.keys(CLEAR + "primary_color" + ENTER)
        t.keys(CLEAR + "red" + ENTER, CLEAR + "#ABCDEF" + ENTER)  # not the schema's pattern: asked again
        t.keys(*ACCEPT)
        outcome = ask(t.prompter, recorded("configure_registration"))
    assert outcome.answer["website"]["primary_color"] == "#ABCDEF"


def test_find_field() -> None:
    schema = recorded("configure_registration").schema
    assert find_field(schema, "website.theme") == ("website.theme", "")
    assert find_field(schema, "layout") == ("website.item_layout", "")
    assert find_field(schema, "phone")[0] is None  # account.phone and restaurant.phone
    assert "could be" in find_field(schema, "phone")[1]
    assert find_field(schema, "account.phone")[0] == "account.phone"


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)


def test_edit_everything_in_the_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _editor(tmp_path, monkeypatch, "theme: dark", "theme: light")
    request = recorded("configure_registration")
    with terminal() as t:
        t.keys(*EDITOR, *ACCEPT)
        outcome = ask(t.prompter, request)
    assert outcome.answer["website"]["theme"] == "light"
    assert outcome.answer["menu"] == request.defaults["menu"]


def test_yaml_that_breaks_the_schema_is_sent_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _editor(tmp_path, monkeypatch, "theme: dark", "theme: purple")
    with terminal() as t:
        t.keys(*EDITOR, *ACCEPT)  # purple: refused on accept, the overview returns
        t.keys(*LEAVE)
        with pytest.raises(LeaveWaiting):
            ask(t.prompter, recorded("configure_registration"))
    assert "That configuration is not valid" in t.shown and "website.theme" in t.shown


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
        t.keys(ENTER, "c", ENTER)  # accept; "change the settings again"
        t.keys(ENTER, "w", ENTER)  # accept again: still refused; leave it waiting
        with pytest.raises(LeaveWaiting):
            ask(t.prompter, recorded("configure_registration_no_menu"))
    assert t.shown.count("has no menu yet") == 2


def test_apply_to_all_shows_the_diff_of_what_is_copied_first() -> None:
    with terminal() as t:
        t.keys(*EDIT, "theme" + ENTER, DOWN + ENTER)
        t.keys(*EDIT, "account.phone" + ENTER, CLEAR + "09 000 0000" + ENTER)
        t.keys(*APPLY_ALL, "y", ENTER)
        outcome = ask(t.prompter, recorded("configure_registration"), FlowContext(remaining_alike=2))
    assert outcome.apply_to_all is True
    assert outcome.answer["website"]["theme"] == "light"
    assert "Apply to the 2 other restaurant(s)" in t.shown
    assert "  website.theme dark → light" in t.shown
    assert "Not copied (per restaurant): account.phone" in t.shown


def test_declining_the_diff_returns_to_the_overview() -> None:
    with terminal() as t:
        t.keys(*EDIT, "theme" + ENTER, DOWN + ENTER)
        t.keys(*APPLY_ALL, ENTER)  # the diff; Enter takes the default: no
        t.keys(*ACCEPT)  # this restaurant only
        outcome = ask(t.prompter, recorded("configure_registration"), FlowContext(remaining_alike=2))
    assert outcome.apply_to_all is False and outcome.answer["website"]["theme"] == "light"


def test_apply_to_all_is_offered_only_when_others_wait() -> None:
    with terminal() as t:
        t.keys(*APPLY_ALL)  # no such answer: "o" does not move the cursor; Enter accepts
        outcome = ask(t.prompter, recorded("configure_registration"))
    assert outcome.apply_to_all is False
    assert "apply my changes" not in t.shown


def test_ctrl_c_stops_the_flow() -> None:
    with terminal() as t:
        t.keys(*EDIT, CTRL_C)
        with pytest.raises(KeyboardInterrupt):
            ask(t.prompter, recorded("configure_registration"))


# ------------------------------------------------------------------ generic ----------------------


def test_generic_prompts_follow_the_schema() -> None:
    with terminal() as t:
        t.keys("y" + ENTER, DOWN + ENTER, "two" + ENTER, CLEAR + "2" + ENTER, ENTER)
        outcome = ask(t.prompter, recorded("generic_confirmation"))
    assert outcome.answer == {"sent": True, "channel": "sms", "attempts": 2}
    assert "Confirm the Stripe Connect onboarding was sent" in t.shown


def test_yes_no_needs_enter_so_one_key_never_answers_two_questions() -> None:
    # before issue 15 a lone "y" answered a yes/no question at once, so the "y⏎" typed for it also
    # answered the next question; now "y" and "n" only set the answer, Enter confirms it
    with terminal() as t:
        t.keys("y", "n", ENTER, "y", ENTER)
        first = t.prompter.confirm("First?", default=False)
        second = t.prompter.confirm("Second?", default=False)
    assert (first, second) == (False, True)


def test_every_yolo_mode_action_fits_one_80_column_row() -> None:
    """`o) Accept, and apply my changes to the 5 other restaurant(s) waiting in this` — the rest of
    the answer (`batch (a diff first)`) was cut at the edge of an 80-column terminal."""
    assert all(len(" » o) " + choice.title) <= 80 for choice in _actions(999))
