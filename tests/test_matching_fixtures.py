"""Hands-free company matching on whole fixture sets: the built-in one (the bench's target), a set
the matcher was not tuned on (tests/matcher_fixtures), the documented example directory, and the
checks that make fixture files as strict as manifests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_support import regctl
from enrich_support import EnrichCtx, make_database
from handsfree_support import Outcome, run

from regctl.errors import ManifestError, PermanentStepError
from regctl.providers.company_register import CompanyRegister
from regctl.sandbox.fixtures import load_fixture_dir
from regctl.sandbox.manifest import manifest_dict
from regctl.sandbox.server import running_sandbox
from regctl.steps.onboarding.company_evidence import read_website, register_facts
from regctl.targets import SANDBOX_URL_ENV, sandbox_target

HERE = Path(__file__).parent
HELD_OUT = HERE / "matcher_fixtures"
EXAMPLE = HERE.parent / "docs" / "fixtures-example"


def _by_name(outcomes: list[Outcome]) -> dict[str, Outcome]:
    return {o.restaurant: o for o in outcomes}


@pytest.mark.slow
def test_the_builtin_fixtures_run_hands_free_without_a_wrong_pick() -> None:
    outcomes = run()
    assert [o.restaurant for o in outcomes if o.wrong] == []
    assert sum(o.asked for o in outcomes) / len(outcomes) <= 0.1


# Each held-out case: what the matcher must do, and (for picks) the evidence that must be among the reasons.
HELD_OUT_EXPECTED: dict[str, tuple[str, str | None]] = {
    "Totara Street Deli": ("company", "address"),
    "Blue Kettle Café (Devonport)": ("company", "trading_name"),
    "Ruby Noodle Bar": ("ask", None),  # two registered companies with the name at the address
    "Kumara Kitchen (Gisborne)": ("ask", None),  # only a Removed company, at the right address
    "Tide Pool Fish Bar": ("company", "phone"),  # the registered successor, not the Removed one
    "Fern & Fig Eatery": ("company", "website_legal_name"),
    "Lighthouse Grill (Napier)": ("company", "website_nzbn"),
    "Harbour Bites (Picton)": ("company", "director"),
    "Moana Poke Co (Raglan)": ("none", None),
    "Saffron Spoon": ("ask", None),  # the name alone
    "Bao Down (Food Court)": ("ask", None),  # two companies at one food-court address
    "Kiwiana Pies": ("ask", None),  # found by address (unit prefix, "Rd"), name a near miss: not enough
    "Sprout Kitchen (Kingsland)": ("company", "website_legal_name"),  # found through its website
}


@pytest.mark.slow
def test_a_fixture_set_the_matcher_never_saw() -> None:
    outcomes = _by_name(run(HELD_OUT))
    assert set(outcomes) == set(HELD_OUT_EXPECTED)
    assert [o.restaurant for o in outcomes.values() if o.wrong] == []
    for name, (choice, evidence) in HELD_OUT_EXPECTED.items():
        assert outcomes[name].choice == choice, (name, outcomes[name].reason)
        if evidence is not None:
            assert evidence in outcomes[name].decided_by, (name, outcomes[name].decided_by)


def test_the_documented_example_directory_is_served() -> None:
    restaurants, companies = load_fixture_dir(EXAMPLE)
    assert [r.name for r in restaurants][:2] == ["Kauri Kitchen (Takapuna)", "Night Market Dumplings"]
    assert {c.number for c in companies} >= {"8100017"}
    with running_sandbox(seed=0, fixtures=EXAMPLE) as sandbox:
        site = httpx.get(f"{sandbox.url}/sites/night-market-dumplings/").text
        assert "NZBN 9429050000017" in site
        assert httpx.get(f"{sandbox.url}/sites/sunday-roast-co/").status_code == 404
        assert sandbox.state()["fixtures"]["restaurants"] == [r.slug for r in restaurants]
    outcomes = _by_name(run(EXAMPLE))
    assert outcomes["Night Market Dumplings"].chosen == "8100017"
    assert outcomes["Sunday Roast Co"].choice == "none"


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(EXAMPLE, target)
    text = (target / file).read_text(encoding="utf-8")
    assert old in text
    (target / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(("file", "old", "new", "where"), [
    ("restaurants.yaml", "    theme: light ", "    colour: light ",
     "restaurants.yaml:12: restaurants[0].colour"),
    ("restaurants.yaml", "    menu: kiwi", "    menu: sushi_deluxe",
     "restaurants.yaml:28: restaurants[2].menu"),
    ("restaurants.yaml", '    city: Tirau\n', "", "restaurants.yaml:24: restaurants[2].city"),
    ("companies.yaml", "    trading_names:", "    trading_as:", "companies.yaml:12: companies[0].trading_as"),
    ("companies.yaml", "{first: Jun, last: LI,", "{first: Jun, surname: LI,",
     "companies.yaml:14: companies[0].directors[0].surname"),
    ("menus.yaml", '["Eggs your way"]', '["Eggs any way"]', "menus.yaml:8: templates.kauri_brunch.Brunch[0]"),
    ("menus.yaml", "{required: true, min: 1", "{required: true, minimum: 1",
     'menus.yaml:4: option_sets.Eggs your way.minimum'),
    ("companies.yaml", 'for: "Night Market Dumplings"      #', 'for: "Night Market"      #',
     "companies.yaml:16: companies[1].for"),
    # typed values: a quoted "no" is not false, one name is not a list, numbers and NZBNs are unique
    ("restaurants.yaml", "    website: false ", '    website: "no" ',
     "restaurants.yaml:30: restaurants[2].website"),
    ("companies.yaml", '    trading_names: ["Night Market Dumplings"]',
     '    trading_names: "Night Market Dumplings"', "companies.yaml:12: companies[0].trading_names"),
    ("companies.yaml", "    right: true", '    right: "yes"', "companies.yaml:6: companies[0].right"),
    ("companies.yaml", '"10 Hobson Street, Auckland Central, Auckland 1010"',
     '"10 Hobson Street Auckland 1010"', "companies.yaml:17: companies[1].address"),
    ("companies.yaml", "    status: Removed ", '    number: "8100017"\n    status: Removed ',
     "companies.yaml:18: companies[1].number"),
    ("companies.yaml", "    status: Removed ", '    nzbn: "9429050000017"\n    status: Removed ',
     "companies.yaml:18: companies[1].nzbn"),
])
def test_fixture_files_are_checked_like_manifests(tmp_path: Path, file: str, old: str, new: str,
                                                   where: str) -> None:
    broken = _broken_copy(tmp_path, file, old, new)
    with pytest.raises(ManifestError) as caught:
        load_fixture_dir(broken)
    assert str(caught.value).startswith(f"{broken / where.split(':')[0]}:{where.split(':', 1)[1]}")


def test_free_text_status_and_a_two_part_owner_are_accepted(tmp_path: Path) -> None:
    fixtures = _broken_copy(tmp_path, "companies.yaml", "status: Removed", "status: Closed")
    text = (fixtures / "restaurants.yaml").read_text(encoding="utf-8")
    two_part = text.replace('[Anaru, "", PAKI]', "[Anaru, PAKI]")
    (fixtures / "restaurants.yaml").write_text(two_part, encoding="utf-8")
    restaurants, companies = load_fixture_dir(fixtures)
    assert restaurants[0].owner == ("Anaru", "", "PAKI")
    assert companies[-1].status == "Closed"


def test_sandbox_serve_refuses_a_bad_fixture_directory_with_exit_2(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path, "restaurants.yaml", "    theme: light ", "    colour: light ")
    result = regctl("sandbox", "serve", "--port", "0", "--fixtures", str(broken))
    assert result.code == 2
    assert f"{broken / 'restaurants.yaml'}:12: restaurants[0].colour" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_sandbox_manifest_lists_a_fixture_directorys_restaurants() -> None:
    result = regctl("sandbox", "manifest", "--fixtures", str(EXAMPLE))
    assert result.code == 0
    assert "Night Market Dumplings" in result.out and "Texas Chicken" not in result.out


def test_a_candidate_without_an_nzbn_still_gets_its_register_entry(sandbox: Any) -> None:
    # A Companies Office row may not show the NZBN: it is found on the NZBN API by name and number.
    with CompanyRegister.for_target(sandbox_target(sandbox.url)) as register:
        [row] = register_facts(register, [{"company_name": "WAKEFIELD QUAY HOSPITALITY LIMITED",
                                           "company_number": "5104033", "nzbn": "", "status": "Registered"}])
    assert row["nzbn"].startswith("9429") and len(row["nzbn"]) == 13
    assert row["register"]["phones"] == ["+6435482020"]
    assert row["register"]["directors"] == [{"name": "Fiona Jane MACDONALD", "active": True}]


def test_python_m_sandbox_refuses_a_bad_fixture_directory(tmp_path: Path) -> None:
    from regctl.sandbox.__main__ import main

    broken = _broken_copy(tmp_path, "restaurants.yaml", "    theme: light ", "    colour: light ")
    assert main(["--port", "0", "--fixtures", str(broken)]) == 2


@pytest.mark.parametrize(("source", "tokens"), [("native", []), ("extraction", ["extraction_api"])])
def test_the_website_is_read_natively_or_through_the_extraction_api(
        sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str,
        tokens: list[str]) -> None:
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    restaurants = manifest_dict(base_url=sandbox.url)["restaurants"]
    [entry] = [e for e in restaurants if e["name"] == "Curry Leaf (Hillcrest)"]
    row = {k: entry[k] for k in ("name", "address", "city", "phone", "email", "website")}
    url, rid = make_database(tmp_path / "one.db", row)
    ctx = EnrichCtx(database_url=url, data_dir=tmp_path, restaurant=row | {"id": rid},
                    params={"website_source": source})
    facts = read_website(ctx, ctx.restaurant["website"])
    assert facts.nzbns == ("9429040871090",) and facts.legal_names == ("Patel Family Foods Ltd",)
    assert ctx.rate_limits_taken == tokens
    with pytest.raises(PermanentStepError, match="website_source must be native or extraction"):
        read_website(EnrichCtx(database_url=url, data_dir=tmp_path, restaurant=ctx.restaurant,
                               params={"website_source": "carrier pigeon"}), "http://x.example.nz/")


def test_a_written_companys_default_email_is_not_the_restaurants_by_accident(tmp_path: Path) -> None:
    """The default e-mail of a written entry was cut to 20 letters, so "HARBOUR LIGHTS CHINESE LIMITED"
    (office@harbourlightschinese…) shared the domain of the restaurant "Harbour Lights Chinese" (20
    letters): e-mail-domain evidence for any namesake, which no real namesake has."""
    (tmp_path / "restaurants.yaml").write_text(
        'restaurants:\n  - {name: "Harbour Lights Chinese", address: "22 Esplanade, Petone, Lower Hutt 5012",'
        ' city: Lower Hutt, phone: "04 568 2222", register: namesake}\n', encoding="utf-8")
    (tmp_path / "companies.yaml").write_text(
        'companies:\n  - {name: "HARBOUR LIGHTS CHINESE LIMITED", address: "1 Queen Street, Auckland 1010",'
        ' directors: [{first: Ming, last: HO, appointed: "2005-05-05"}]}\n', encoding="utf-8")
    [restaurant], [namesake] = load_fixture_dir(tmp_path)
    assert namesake.email.partition("@")[2] != restaurant.email.partition("@")[2]
    assert namesake.email == "office@harbourlightschineselimited.example.nz"
