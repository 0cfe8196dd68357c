"""Hands-free matching on fixture sets a reviewer wrote the way an evaluator would, from docs/sandbox.md
alone (tests/matcher_fixtures_adversarial/): franchises, businesses that changed hands, reused phone
numbers, stale and struck-off register entries, names and addresses written many ways, and website
footers that credit suppliers or print a franchisor's NZBN. The
matcher must make no wrong automatic pick there."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from handsfree_support import Outcome, run

SETS = Path(__file__).parent / "matcher_fixtures_adversarial"


@cache
def _outcomes(name: str) -> dict[str, Outcome]:
    return {o.restaurant: o for o in run(SETS / name)}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["franchises", "moves_and_reuse", "names_and_addresses", "footers"])
def test_no_wrong_automatic_pick(name: str) -> None:
    outcomes = _outcomes(name)
    wrong = [o.restaurant for o in outcomes.values() if o.wrong]
    assert wrong == []


@pytest.mark.slow
def test_franchises_ask_unless_the_branch_itself_is_identified() -> None:
    outcomes = _outcomes("franchises")
    for branch in ("Kilbirnie", "Johnsonville", "Petone"):  # the footer names the franchisor
        assert outcomes[f"Kiwi Crust Pizza ({branch})"].choice == "ask"
    for picked in ("Sushi Hana (Sylvia Park)", "Bao Bros (Newmarket)", "Bao Bros (Takapuna)"):
        assert (outcomes[picked].choice, outcomes[picked].wrong) == ("company", False)


@pytest.mark.slow
def test_only_registered_companies_are_picked_whatever_the_status_says() -> None:
    outcomes = _outcomes("moves_and_reuse")
    for dead in ("Harbour Lights Chinese", "Moa Burger Bar"):  # "Struck-off", "Deregistered" at the address
        assert outcomes[dead].choice == "ask"
    assert (outcomes["Rimu Road Diner"].choice, outcomes["Rimu Road Diner"].wrong) == ("company", False)


@pytest.mark.slow
def test_names_and_addresses_written_many_ways_still_match() -> None:
    outcomes = _outcomes("names_and_addresses")
    asked = [o.restaurant for o in outcomes.values() if o.asked]
    # not in the register: a longer-named company is; a namesake is at "15 Victoria Street" elsewhere
    assert asked == ["Saigon Corner", "Hot Pot House"]


@pytest.mark.slow
def test_a_previous_tenant_with_the_reused_phone_is_not_picked() -> None:
    """The previous café's company (PONSONBY BISTRO LIMITED) is still at the address with the shop's
    transferred phone; the new owner is not in the register. Its name is another eatery's."""
    assert _outcomes("moves_and_reuse")["Kererū Kitchen"].choice == "ask"


@pytest.mark.slow
def test_a_footer_credit_or_a_franchisors_nzbn_picks_nobody() -> None:
    outcomes = _outcomes("footers")
    assert outcomes["Lotus Garden (Whanganui)"].choice == "none"  # "Website by Pixel Studio Ltd"
    assert outcomes["Hot Spud (Frankton)"].choice == "ask"  # the franchisor's NZBN vs the shop's company
    assert (outcomes["Flame & Fork (Tauranga)"].choice, outcomes["Flame & Fork (Tauranga)"].wrong) == (
        "company", False)
