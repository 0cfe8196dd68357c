"""The fixture set: coverage of the hard cases, and the ground-truth file kept in step with it."""

from __future__ import annotations

from collections import Counter

from regctl.sandbox.fixtures import load_restaurants
from regctl.sandbox.ground_truth import GROUND_TRUTH_FILE, address_query, name_query, render


def test_ground_truth_file_matches_the_fixtures() -> None:
    assert GROUND_TRUTH_FILE.read_text(encoding="utf-8") == render(), (
        "fixtures changed: run `python -m regctl.sandbox.ground_truth`"
    )


def test_at_least_thirty_varied_restaurants() -> None:
    restaurants = load_restaurants()
    assert len(restaurants) >= 30
    names = [r.name for r in restaurants]
    assert any("(" in n for n in names) and any("'" in n for n in names)
    assert any(ch in n for n in names for ch in "āēīōū")
    assert len({r.slug for r in restaurants}) == len(restaurants)


def test_every_hard_case_is_present() -> None:
    import json

    truth = json.loads(GROUND_TRUTH_FILE.read_text(encoding="utf-8"))["restaurants"]
    cases = Counter(t["company"]["case"] for t in truth.values())
    assert {"clear", "several", "none", "ceased_director", "address_only"} <= set(cases)
    several = [t for t in truth.values() if t["company"]["case"] == "several"]
    assert all(
        t["company"]["candidate_count"] >= 3 and t["company"]["auto_single_strong_match"] is None
        for t in several
    )
    assert all(t["company"]["candidate_count"] == 0 for t in truth.values() if t["company"]["case"] == "none")
    ceased = [t for t in truth.values() if t["company"]["case"] == "ceased_director"]
    assert all(t["company"]["chosen"]["contact_name"] is None for t in ceased)
    by_address = [t for t in truth.values() if t["company"]["case"] == "address_only"]
    assert all(not t["company"]["by_name"] and t["company"]["by_address"] for t in by_address)
    assert sum(t["already_registered"] for t in truth.values()) == 1
    assert any(t["past_midnight_days"] for t in truth.values()) and any(
        t["closed_days"] for t in truth.values()
    )
    menus = [t["menu"] for t in truth.values() if t["menu"]]
    assert all(m["option_sets"] > 0 for m in menus) and all(m["tags"] for m in menus)
    assert any(not t["has_website"] for t in truth.values()) and any(
        not t["has_menu_source"] for t in truth.values()
    )


def test_query_rules() -> None:
    assert name_query("Texas Chicken (Henderson)") == "Texas Chicken"
    assert name_query("(Pop-up)") == "(Pop-up)"
    assert (
        address_query("12 Great North Road, Henderson, Auckland 0612", "Auckland")
        == "12 Great North Road Auckland"
    )
    assert address_query("1 Te Ara o Hine, Somewhere", "Nelson") == "1 Te Ara Nelson"


def test_contact_name_is_title_case_of_the_first_active_director() -> None:
    import json

    truth = json.loads(GROUND_TRUTH_FILE.read_text(encoding="utf-8"))["restaurants"]
    chosen = truth["kai-pai-kitchen-ponsonby"]["company"]["chosen"]
    assert chosen["directors"][0]["active"] is False  # a former director is listed first
    assert chosen["full_legal_name"] == "Aroha Mere NGATA" and chosen["contact_name"] == "Aroha Mere Ngata"
