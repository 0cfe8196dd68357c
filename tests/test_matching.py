"""The evidence matcher (regctl/matching): each kind of evidence decides the case it should, and
close candidates are never guessed between."""

from __future__ import annotations

from typing import Any

import pytest

from regctl.errors import UsageError
from regctl.matching import Facts, WebsiteFacts, decide, legal_facts, score_candidates
from regctl.matching.addresses import NzAddress, address_relation
from regctl.matching.names import core_name, name_relation
from regctl.matching.website import terms_links
from regctl.review.policies import evaluate, policy_name
from regctl.steps.base import DecisionRequest

RESTAURANT = {"name": "Ruby Noodle Bar (Te Aro)", "address": "88 Cuba Street, Te Aro, Wellington 6011",
              "city": "Wellington", "phone": "04 801 8800", "email": "hello@rubynoodle.co.nz",
              "website": "https://www.rubynoodle.co.nz/"}
ELSEWHERE = "1 Somewhere Road, Riccarton, Christchurch 8041"


def company(number: str, name: str, address: str = ELSEWHERE, **register: Any) -> dict[str, Any]:
    status = register.pop("status", "Registered")
    nzbn = register.pop("nzbn", f"94290000{number}")
    return {"company_number": number, "company_name": name, "nzbn": nzbn, "status": status,
            "registered_address": address, "register": register}


def verdict(candidates: list[dict[str, Any]], restaurant: dict[str, Any] = RESTAURANT,
            website: WebsiteFacts | None = None, **options: Any) -> tuple[str, str | None, list[str]]:
    scored = score_candidates(Facts.of(restaurant, website), candidates)
    found = decide(scored, **options)
    return found.choice, found.company_number, [e["kind"] for e in found.evidence]


# -- names and addresses ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "core"), [
    ("SPICE ROUTE (2009) LIMITED", "spice route"),
    ("The Green Bowl (Grey Lynn)", "green bowl"),
    ("O'Malley's Fish & Chips Ltd", "omalleys fish and chips"),
    ("PŌHUTUKAWA CAFÉ NZ LIMITED", "pohutukawa cafe"),
])
def test_core_name_drops_legal_suffixes_brackets_and_macrons(name: str, core: str) -> None:
    assert core_name(name) == core


def test_name_relations() -> None:
    assert name_relation("Golden Dragon (Riccarton)", "GOLDEN DRAGON RICCARTON LIMITED")[0] == "equal"
    assert name_relation("Golden Dragon (Riccarton)", "GOLDEN DRAGON TRADING LIMITED")[0] == "contains"
    assert name_relation("Kiwiana Pies", "KIWIANA PIE LIMITED")[0] == "typo"
    assert name_relation("Harbourside Eats", "WAKEFIELD QUAY HOSPITALITY LIMITED")[0] == "unrelated"


@pytest.mark.parametrize(("text", "parsed"), [
    ("12 Great North Road, Henderson, Auckland 0612",
     ("12", "great north road", "henderson", "auckland", "0612")),
    ("148 Ponsonby Road, Ponsonby, Auckland, 1011", ("148", "ponsonby road", "ponsonby", "auckland", "1011")),
    ("Shop 2, 148 Ponsonby Rd Auckland 1011", ("148", "ponsonby road", "", "auckland", "1011")),
    ("Level 1, 2/401 Dominion Rd, Mount Eden, Auckland 1024, New Zealand",
     ("401", "dominion road", "mount eden", "auckland", "1024")),
    ("54 Devon St East, New Plymouth 4310", ("54", "devon street east", "", "new plymouth", "4310")),
])
def test_nz_addresses_parse_into_their_parts(text: str, parsed: tuple[str, ...]) -> None:
    a = NzAddress.parse(text)
    assert (a.number, a.street, a.suburb, a.city, a.postcode) == parsed


def test_address_relations() -> None:
    home = NzAddress.parse("88 Cuba Street, Te Aro, Wellington 6011")
    assert address_relation(home, NzAddress.parse("Unit 3, 88 Cuba St, Wellington 6011")) == "same"
    assert address_relation(home, NzAddress.parse("90 Cuba Street, Te Aro, Wellington 6011")) == "same_street"
    assert address_relation(home, NzAddress.parse("88 Cuba Street, Palmerston North 4410")) == "elsewhere"


def test_website_legal_name_and_nzbn_are_read_from_html() -> None:
    page = ('<p>Order <b>now</b></p><footer>© 2026 Ruby Noodle Bar (2021) Limited · NZBN 9429047770011'
            '<a href="/terms">Terms &amp; conditions</a><a href="tel:048018800">call</a></footer>')
    facts = legal_facts(page, "https://rubynoodle.co.nz/")
    assert facts.legal_names == ("Ruby Noodle Bar (2021) Limited",)
    assert facts.nzbns == ("9429047770011",)
    assert terms_links(page) == ["/terms"]


def test_website_legal_names_with_joining_words_and_spaced_nzbns() -> None:
    facts = legal_facts("© 2026 Made by the House of Dumplings Limited. NZBN: 9429 0477 70011\n"
                        "Operated by FERN & FIG EATERY LTD")
    assert facts.legal_names == ("House of Dumplings Limited", "FERN & FIG EATERY LTD")
    assert facts.nzbns == ("9429047770011",)


# -- each kind of evidence decides a case ----------------------------------------------------------

def test_name_and_address_together_pick_the_company() -> None:
    assert verdict([company("1", "RUBY NOODLE BAR TE ARO LIMITED", "88 Cuba Street, Te Aro, Wellington 6011"),
                    company("2", "RUBY NOODLE HOLDINGS LIMITED")])[:2] == ("company", "1")


def test_name_alone_is_not_enough() -> None:
    assert verdict([company("1", "RUBY NOODLE BAR LIMITED")])[0] == "ask"


def test_address_and_phone_find_a_company_trading_under_another_name() -> None:
    right = company("1", "CUBA QUARTER HOSPITALITY LIMITED", "88 Cuba Street, Te Aro, Wellington 6011",
                    phones=["+6448018800"])
    choice, number, kinds = verdict([right])
    assert (choice, number, sorted(kinds)) == ("company", "1", ["address", "phone"])


def test_a_trading_name_from_the_register_counts_as_the_name() -> None:
    right = company("1", "NORTH SHORE BEVERAGE CO LIMITED", trading_names=["Ruby Noodle Bar"],
                    phones=["+6448018800"])
    choice, number, kinds = verdict([right, company("2", "RUBY NOODLE LIMITED")])
    assert (choice, number) == ("company", "1")
    assert "trading_name" in kinds


def test_an_email_on_the_restaurants_domain_counts() -> None:
    right = company("1", "RUBY NOODLE BAR LIMITED", emails=["accounts@rubynoodle.co.nz"])
    assert verdict([right])[:2] == ("company", "1")
    free = {**RESTAURANT, "email": "ruby@gmail.com", "website": None}
    assert verdict([company("1", "RUBY NOODLE BAR LIMITED", emails=["x@gmail.com"])], free)[0] == "ask"


def test_the_website_nzbn_is_conclusive_and_rules_out_the_others() -> None:
    site = WebsiteFacts(nzbns=("9429047770011",), pages=("https://rubynoodle.co.nz/terms",))
    near = company("1", "RUBY NOODLE BAR LIMITED", "88 Cuba Street, Te Aro, Wellington 6011")
    printed = company("2", "RUBY NOODLE BAR (2021) LIMITED", nzbn="9429047770011")
    choice, number, kinds = verdict([near, printed], website=site)
    assert (choice, number) == ("company", "2")
    assert "website_nzbn" in kinds
    near_scored = score_candidates(Facts.of(RESTAURANT, site), [near])[0]
    assert near_scored["score"] < 0.75 * 0.25  # name + address, but the website names another NZBN


def test_the_legal_name_on_the_website_decides_between_similar_names() -> None:
    site = WebsiteFacts(legal_names=("Ruby Noodle Bar (2021) Limited",))
    old = company("1", "RUBY NOODLE BAR LIMITED")
    new = company("2", "RUBY NOODLE BAR (2021) LIMITED")
    assert verdict([old, new])[0] == "ask"  # without the website: two equal names
    other_name = legal_facts("<footer>Ruby Noodle Bar Trading Limited</footer>")
    assert verdict([old, new], website=other_name)[0] == "ask"
    assert verdict([company("3", "CUBA FOODS LIMITED"), company("4", "RUBY NOODLE BAR TRADING LIMITED")],
                   website=site)[0] == "ask"
    assert verdict([company("5", "RUBY NOODLE BAR (2021) LIMITED", trading_names=["Ruby Noodle Bar"])],
                   website=site)[:2] == ("company", "5")


def test_a_director_named_like_the_owner_counts() -> None:
    owner = {**RESTAURANT, "email": "mere.kingi@gmail.com", "website": None}
    right = company("1", "RUBY NOODLE BAR LIMITED", directors=[{"name": "Mere Anne KINGI", "active": True}])
    other = company("2", "RUBY NOODLE BAR AUCKLAND LIMITED",
                    directors=[{"name": "Peter WONG", "active": True}])
    choice, number, kinds = verdict([right, other], owner)
    assert (choice, number, sorted(kinds)) == ("company", "1", ["director", "name"])
    named = {**RESTAURANT, "email": None, "website": None, "extra": {"owner_name": "Mere Kingi"}}
    assert verdict([right, other], named)[:2] == ("company", "1")


# -- what is never done ----------------------------------------------------------------------------

def test_a_removed_company_is_never_chosen_even_at_the_right_address() -> None:
    removed = company("1", "RUBY NOODLE BAR LIMITED", "88 Cuba Street, Te Aro, Wellington 6011",
                      phones=["04 801 8800"], status="Removed")
    assert verdict([removed])[0] == "ask"
    assert verdict([removed], none_when_nothing=True)[0] == "ask"  # plausible, so not "none" either
    successor = company("2", "CUBA FOODS LIMITED", "88 Cuba Street, Te Aro, Wellington 6011",
                        phones=["04 801 8800"])
    assert verdict([removed, successor])[:2] == ("company", "2")


@pytest.mark.parametrize("status", ["Removed", "Struck Off", "In Liquidation", "80"])
def test_ineligible_statuses(status: str) -> None:
    scored = score_candidates(Facts.of(RESTAURANT), [company("1", "X LIMITED", status=status)])
    assert scored[0]["eligible"] is False
    assert scored[0]["evidence"][-1]["kind"] == "status"


def test_a_near_tie_is_never_auto_picked() -> None:
    at_home = "88 Cuba Street, Te Aro, Wellington 6011"
    one = company("1", "RUBY NOODLE BAR LIMITED", at_home, phones=["04 801 8800"])
    two = company("2", "RUBY NOODLE BAR (2021) LIMITED", at_home, phones=["04 801 8800"])
    assert verdict([one, two])[0] == "ask"
    three = company("3", "RUBY NOODLE BAR (2021) LIMITED", at_home)  # 0.90 vs 0.75: still too close
    assert verdict([one, three])[0] == "ask"
    assert verdict([one, three], margin=0.1)[:2] == ("company", "1")


def test_two_unrelated_companies_at_one_address_are_asked_about() -> None:
    court = "200 Queen Street, Auckland Central, Auckland 1010"
    restaurant = {**RESTAURANT, "address": court, "name": "Bao Down"}
    assert verdict([company("1", "TANG FAMILY HOLDINGS LIMITED", court),
                    company("2", "QUEEN STREET TENANCIES LIMITED", court)], restaurant)[0] == "ask"


def test_nothing_plausible_is_none_only_when_allowed() -> None:
    unrelated = [company("1", "AOTEAROA CATERING SUPPLIES LIMITED")]
    assert verdict(unrelated)[0] == "ask"
    assert verdict(unrelated, none_when_nothing=True)[0] == "none"
    assert verdict([], none_when_nothing=True)[0] == "none"


def test_every_candidate_carries_its_evidence_and_score() -> None:
    scored = score_candidates(Facts.of(RESTAURANT), [company("1", "RUBY NOODLE BAR LIMITED")])
    assert scored[0]["score"] == 0.5
    [evidence] = scored[0]["evidence"]
    assert (evidence["kind"], evidence["weight"]) == ("name", 0.5)
    assert "'RUBY NOODLE BAR LIMITED' is the restaurant's name" in evidence["detail"]


# -- the policy --------------------------------------------------------------------------------------

def _request(candidates: list[dict[str, Any]], address_searched: bool = True,
             name_searched: bool = True) -> DecisionRequest:
    scored = score_candidates(Facts.of(RESTAURANT), candidates)
    return DecisionRequest(kind="select_company", prompt="?", schema={}, options=scored, defaults={},
                           context={"queries": {"restaurant_name": "Ruby Noodle Bar",
                                                "street": "88 Cuba Street",
                                                "name_searched": name_searched,
                                                "address_searched": address_searched}})


def test_auto_evidence_answers_with_its_evidence() -> None:
    right = company("1", "RUBY NOODLE BAR LIMITED", "88 Cuba Street, Te Aro, Wellington 6011")
    answer = evaluate("auto_evidence", _request([right])) or {}
    assert (answer["choice"], answer["company_number"], answer["score"]) == ("company", "1", 0.75)
    assert {e["kind"] for e in answer["evidence"]} == {"name", "address"}
    assert evaluate({"name": "auto_evidence", "threshold": 0.8}, _request([right])) is None


def test_auto_evidence_says_none_only_when_the_manifest_allows_and_both_searches_ran() -> None:
    allowed = {"name": "auto_evidence", "on_no_match": "none"}
    assert evaluate(allowed, _request([])) == {"choice": "none", "reason": decide([]).reason}
    assert evaluate("auto_evidence", _request([])) is None
    assert evaluate(allowed, _request([], address_searched=False)) is None
    assert evaluate(allowed, _request([], name_searched=False)) is None  # a refused name search


@pytest.mark.parametrize(("spec", "message"), [
    ({"name": "auto_evidence", "on_no_match": "maybe"}, "on_no_match must be one of review, none"),
    ({"name": "auto_evidence", "margin": 2}, "margin must be between 0 and 1"),
    ({"name": "auto_evidence", "threshold": "high"}, "threshold must be a number"),
    ({"name": "auto_evidence", "guess": True}, "has no option 'guess'"),
])
def test_auto_evidence_options_are_checked(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        policy_name(spec)


# -- held-out hard cases (tests/matcher_fixtures_adversarial) ---------------------------------------

@pytest.mark.parametrize("status", ["Struck-off", "Deregistered", "In Receivership", "Dissolved",
                                    "Amalgamated", "Voluntary Administration", "91", ""])
def test_only_a_registered_company_is_ever_chosen(status: str) -> None:
    """Status is free text: anything but Registered (or its code 50), spelled however, is never chosen."""
    at_home = company("1", "RUBY NOODLE BAR LIMITED", "88 Cuba Street, Te Aro, Wellington 6011",
                      phones=["04 801 8800"], status=status)
    assert score_candidates(Facts.of(RESTAURANT), [at_home])[0]["eligible"] is False
    assert verdict([at_home])[0] == "ask"


@pytest.mark.parametrize("status", ["Registered", "REGISTERED", "50", " registered "])
def test_registered_spellings_stay_eligible(status: str) -> None:
    scored = score_candidates(Facts.of(RESTAURANT), [company("1", "X LIMITED", status=status)])
    assert scored[0]["eligible"] is True


FRANCHISE_SITE = WebsiteFacts(legal_names=("Kiwi Crust Pizza Limited",))
BRANCH = {"name": "Kiwi Crust Pizza (Kilbirnie)", "address": "52 Bay Road, Kilbirnie, Wellington 6022",
          "city": "Wellington", "phone": "04 387 5200", "email": "owner@kiwicrustpizzakilbirnie.example.nz",
          "website": "https://kiwicrustpizzakilbirnie.example.nz/"}
HEAD_OFFICE = "Level 3, 80 Boulcott Street, Wellington Central, Wellington 6011"


def test_a_company_only_the_brand_points_at_loses_to_one_at_the_restaurants_address() -> None:
    """The franchisor's name and website footer say whose brand it is, not who runs this shop: when
    another company is at the shop's address (or has its phone), the brand alone never decides."""
    franchisor = company("1", "KIWI CRUST PIZZA LIMITED", HEAD_OFFICE)
    franchisee = company("2", "BAY ROAD FOODS LIMITED", BRANCH["address"])
    assert verdict([franchisor, franchisee], BRANCH, FRANCHISE_SITE)[0] == "ask"
    with_phone = company("3", "KC KILBIRNIE LIMITED", "Level 1, 15 Johnston Street, Wellington 6011",
                         phones=["04 387 5200"])
    assert verdict([franchisor, with_phone], BRANCH, FRANCHISE_SITE)[0] == "ask"
    # with nothing at the place, the website's legal name still decides (a company at its accountant's)
    assert verdict([franchisor], BRANCH, FRANCHISE_SITE)[:2] == ("company", "1")


@pytest.mark.parametrize("signal", ["franchise wording", "branch mailbox", "brand at several addresses"])
def test_brand_evidence_alone_never_picks_a_chain_brand_owner(signal: str) -> None:
    """A chain: the website says its stores are franchised, or the restaurant's e-mail is its branch's
    mailbox on the brand's domain, or several companies carry the brand at different addresses. Then
    the brand's name, website and domain point at the brand's owner; a pick needs the shop's address,
    phone or owner — or a company named for this branch."""
    restaurant, site = dict(BRANCH), FRANCHISE_SITE
    franchisor = company("1", "KIWI CRUST PIZZA LIMITED", HEAD_OFFICE, emails=["office@kiwicrust.example.nz"])
    others = []
    if signal == "franchise wording":
        site = WebsiteFacts(legal_names=FRANCHISE_SITE.legal_names, franchised=True)
    elif signal == "branch mailbox":
        restaurant["email"] = "kilbirnie@kiwicrust.example.nz"
    else:
        others = [company("2", "KIWI CRUST PIZZA HAMILTON LIMITED", "9 Victoria Street, Hamilton 3204"),
                  company("3", "KIWI CRUST PIZZA (2015) LIMITED", "4 Queen Street, Auckland 1010")]
    choice, _, _ = verdict([franchisor, *others], restaurant, site)
    assert choice == "ask"
    # the branch's own company, named for it, is still picked on the website's word
    branch_company = company("4", "KIWI CRUST PIZZA KILBIRNIE LIMITED", HEAD_OFFICE)
    branch_site = WebsiteFacts(legal_names=("Kiwi Crust Pizza Kilbirnie Limited",),
                               franchised=site.franchised)
    assert verdict([franchisor, branch_company, *others], restaurant, branch_site)[:2] == ("company", "4")


def test_franchise_wording_is_read_from_the_website() -> None:
    page = "<footer>© 2026 Kiwi Crust Pizza Limited. Each store is independently owned and operated.</footer>"
    assert legal_facts(page).franchised is True
    assert legal_facts("<p>Kiwi Crust Pizza franchise opportunities</p>").franchised is True
    assert legal_facts("<footer>© 2026 Fern &amp; Fig Eatery Limited</footer>").franchised is False


@pytest.mark.parametrize("footer", [
    "© 2026 Lotus Garden. Website by Pixel Studio Ltd",
    "Online ordering powered by Pixel Studio Limited",
    "Website Design By Pixel Studio Limited",
    "Photography by Pixel Studio Ltd · Site hosted by Pixel Studio Limited",
])
def test_a_suppliers_credit_is_not_the_restaurants_legal_name(footer: str) -> None:
    assert legal_facts(f"<footer>{footer}</footer>").legal_names == ()


@pytest.mark.parametrize(("footer", "name"), [
    ("Manuka Smokehouse is owned and operated by Te Awa Hospitality Limited", "Te Awa Hospitality Limited"),
    ("© 2026 Lotus Garden Whanganui Limited. Website by Pixel Studio Ltd", "Lotus Garden Whanganui Limited"),
])
def test_the_operator_is_still_read_beside_a_credit(footer: str, name: str) -> None:
    assert legal_facts(f"<footer>{footer}</footer>").legal_names == (name,)


def test_a_printed_nzbn_does_not_outweigh_the_company_with_the_shops_phone_at_its_address() -> None:
    """A chain's site prints the franchisor's NZBN; the franchisee at the shop has the shop's phone."""
    site = WebsiteFacts(nzbns=("9429000000001",))
    franchisor = company("1", "KIWI CRUST PIZZA LIMITED", HEAD_OFFICE, nzbn="9429000000001")
    franchisee = company("2", "BAY ROAD FOODS LIMITED", BRANCH["address"], phones=["04 387 5200"])
    assert verdict([franchisor, franchisee], BRANCH, site)[0] == "ask"


def test_an_address_without_a_town_is_placed_in_the_restaurants_city() -> None:
    """"15 Victoria Street" with city Hamilton is not the same address as 15 Victoria Street, Wellington."""
    bare = {**RESTAURANT, "name": "Hot Pot House", "address": "15 Victoria Street", "city": "Hamilton",
            "phone": "07 839 1515"}
    namesake = company("1", "HOT POT HOUSE LIMITED", "15 Victoria Street, Te Aro, Wellington 6011")
    assert verdict([namesake], bare)[0] == "ask"
    here = company("2", "HOT POT HOUSE LIMITED", "15 Victoria Street, Hamilton Central, Hamilton 3204")
    assert verdict([here], bare)[:2] == ("company", "2")


def test_a_freephone_number_is_the_brands_not_the_shops() -> None:
    """A chain's 0800 number, listed by the franchisor, says nothing about who runs this branch."""
    central = {**BRANCH, "phone": "0800 468 778"}
    franchisor = company("1", "KIWI CRUST PIZZA LIMITED", HEAD_OFFICE, phones=["0800 468 778"])
    franchisee = company("2", "BAY ROAD FOODS LIMITED", BRANCH["address"])
    assert verdict([franchisor, franchisee], central)[0] == "ask"
    [scored] = score_candidates(Facts.of(central), [franchisor])
    assert "phone" not in [e["kind"] for e in scored["evidence"]]


def test_a_company_named_for_another_eatery_is_not_picked_on_the_premises_alone() -> None:
    """Address and phone say who is at the premises; a company named like another eatery there, sharing no
    word with the restaurant, is the earlier business's (a previous tenant keeping the phone number)."""
    shop = {**RESTAURANT, "name": "Kererū Kitchen", "address": "101 Ponsonby Road, Ponsonby, Auckland 1011",
            "phone": "09 376 1010"}
    previous = company("1", "PONSONBY BISTRO LIMITED", shop["address"], phones=["09 376 1010"])
    assert verdict([previous], shop)[0] == "ask"
    operator = company("2", "WAKEFIELD QUAY HOSPITALITY LIMITED", shop["address"], phones=["09 376 1010"])
    assert verdict([operator], shop)[:2] == ("company", "2")  # an operating company's name: still picked
