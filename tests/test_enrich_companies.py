"""Company lookup rules (reference §3) and menu tag rules (reference §4), table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from regctl.menu_tags import tag_item
from regctl.steps.onboarding.companies import (
    build_queries,
    clean_name,
    first_active_director,
    merge_candidates,
    name_similarity,
    street_of,
    strong_single_match,
    title_case,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Texas Chicken (Henderson)", "Texas Chicken"),
        ("(Pop-up) Bao (Ponsonby) Bar", "Bao Bar"),
        ("(Everything bracketed)", "(Everything bracketed)"),  # falls back to the original
        ("Pōhutukawa Café", "Pōhutukawa Café"),
    ],
)
def test_clean_name(name: str, expected: str) -> None:
    assert clean_name(name) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("12 Great North Road, Henderson, Auckland 0612", "12 Great North Road"),
        ("88 Wakefield Quay, Nelson 7010", "88 Wakefield Quay"),
        ("Shop 3, 27 Heuheu Street, Taupō", "27 Heuheu Street"),  # where in the building is no query
        ("Unit 4, 2/221 Karangahape Rd, Auckland 1010", "221 Karangahape Rd"),  # "Rd" ends the street
        ("7 Cuba St Te Aro", "7 Cuba St"),
        ("1 Roadside Stall, Somewhere", "1 Roadside Stall"),  # "Roadside" is not the whole word "road"
        ("Unit 4 The Mall Central Plaza", "The Mall Central"),  # no street type: first three words
        ("", ""),
    ],
)
def test_street_of(address: str, expected: str) -> None:
    assert street_of(address) == expected


def test_queries_and_overrides() -> None:
    restaurant = {
        "name": "Texas Chicken (Henderson)",
        "address": "12 Great North Road, Henderson",
        "city": "Auckland",
    }
    assert build_queries(restaurant) == {
        "restaurant_name": "Texas Chicken",
        "street": "12 Great North Road",
        "city": "Auckland",
        "original_values": {
            "name": "Texas Chicken (Henderson)",
            "address": "12 Great North Road, Henderson",
            "city": "Auckland",
        },
    }
    edited = build_queries(restaurant, {"name": "TC Henderson", "city": ""})
    assert (edited["restaurant_name"], edited["city"]) == ("TC Henderson", "Auckland")


@pytest.mark.parametrize(
    ("restaurant", "company", "expected"),
    [
        ("Texas Chicken (Henderson)", "TEXAS CHICKEN LIMITED", 1.0),
        ("Mama Rosa's Pizzeria", "MAMA ROSAS PIZZERIA LTD", 1.0),
        ("Pōhutukawa Café", "POHUTUKAWA CAFE LIMITED", 1.0),
        ("Texas Chicken", "TEXAS CHICKEN HOLDINGS LIMITED", 0.74),
        ("Golden Dragon", "", 0.0),
    ],
)
def test_name_similarity(restaurant: str, company: str, expected: float) -> None:
    assert name_similarity(restaurant, company) == pytest.approx(expected, abs=0.01)


def _c(number: str, name: str, status: str = "Registered") -> dict[str, Any]:
    return {"company_number": number, "company_name": name, "status": status}


def test_merge_dedupes_by_number_and_scores() -> None:
    merged = merge_candidates(
        [_c("1", "TEXAS CHICKEN HOLDINGS LIMITED"), _c("2", "TEXAS CHICKEN LIMITED")],
        [_c("2", "TEXAS CHICKEN LIMITED"), _c("3", "HENDERSON FOODS LIMITED")],
        "Texas Chicken",
    )
    assert [(c["company_number"], c["match_source"]) for c in merged] == [
        ("2", "both"),
        ("1", "name"),
        ("3", "address"),
    ]
    assert merged[0]["similarity"] == 1.0


def test_merge_keeps_what_only_the_other_search_knows() -> None:
    # a name hit without its address (the NZBN search item has none) and the same company found by
    # address with it: the merged candidate has the registered address review shows (issue 15)
    address = "401 Dominion Road, Mount Eden, Auckland 1024"
    merged = merge_candidates([{**_c("7", "SPICE ROUTE MOUNT EDEN LIMITED"), "registered_address": ""}],
                              [{**_c("7", "SPICE ROUTE MOUNT EDEN LIMITED"), "registered_address": address}],
                              "Spice Route")
    assert merged[0]["registered_address"] == address and merged[0]["match_source"] == "both"


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ([{**_c("1", "A"), "similarity": 0.95}, {**_c("2", "B"), "similarity": 0.5}], "1"),
        ([{**_c("1", "A"), "similarity": 0.95}, {**_c("2", "B"), "similarity": 0.91}], None),  # ambiguous
        ([{**_c("1", "A", "Removed"), "similarity": 1.0}], None),  # not registered
        ([{**_c("1", "A"), "similarity": 0.89}], None),
        ([], None),
    ],
)
def test_strong_single_match(candidates: list[dict[str, Any]], expected: str | None) -> None:
    found = strong_single_match(candidates, 0.9)
    assert (found or {}).get("company_number") == expected


def test_first_active_director_skips_ceased_ones() -> None:
    directors = [
        {"name": "Graham PRENTICE", "status": "INACTIVE", "cessation_date": "2012-06-30"},
        {"name": "Aroha Mere NGATA", "status": "ACTIVE"},
        {"name": "Later ONE", "status": "ACTIVE"},
    ]
    assert (first_active_director(directors) or {})["name"] == "Aroha Mere NGATA"
    assert first_active_director([{"name": "X", "cessation_date": "2020-01-01"}]) is None
    assert (first_active_director([{"name": "No Status"}]) or {})["name"] == "No Status"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SEAMUS PATRICK O'MALLEY", "Seamus Patrick O'Malley"),
        ("Rosa Maria DI STEFANO", "Rosa Maria Di Stefano"),
        ("Min-jun KIM", "Min-Jun Kim"),
        ("Hēmi Rāwiri PARATA", "Hēmi Rāwiri Parata"),
    ],
)
def test_title_case(raw: str, expected: str) -> None:
    assert title_case(raw) == expected == raw.title()


@pytest.mark.parametrize(
    ("name", "category", "clean", "tags"),
    [
        ("Zinger Burger (GF) (DF)", "Burgers", "Zinger Burger", ("Gluten Free", "Dairy Free")),
        ("Falafel Wrap (VG)", "Wraps", "Falafel Wrap", ("Vegan",)),
        ("Paneer Tikka (V) (H)", "Mains", "Paneer Tikka", ("Vegetarian", "Halal")),
        ("Saveloy (Battered)", "Fish", "Saveloy (Battered)", ()),  # other brackets stay in the name
        ("Spicy Chicken Combo", "Burgers", "Spicy Chicken Combo", ("Deal", "Spicy")),
        ("Plant-based Burger", "Burgers", "Plant-based Burger", ("Vegan",)),
        ("Hotdog", "Snacks", "Hotdog", ()),  # whole words only
        ("Family Box", "Meal Deals", "Family Box", ("Deal",)),  # a category tags its items
        ("Chef's Signature Ramen", "Ramen", "Chef's Signature Ramen", ("Popular",)),
    ],
)
def test_menu_tags(name: str, category: str, clean: str, tags: tuple[str, ...]) -> None:
    tagged = tag_item(name, None, category)
    assert (tagged.name, tagged.tags) == (clean, tags)
