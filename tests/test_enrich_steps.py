"""Enrichment steps called directly with a small context on a real SQLite database (no engine)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from enrich_support import EnrichCtx, make_database, seed_batch

from regctl.db.domain import SearchStatus, records_for
from regctl.errors import DecisionError, PermanentStepError
from regctl.secrets import KEY_ENV, MASK, decrypt_secret_fields
from regctl.steps.onboarding import configure_registration, select_company
from regctl.steps.onboarding.extract_company_details import company_record
from regctl.steps.onboarding.extract_menu import extract_menu

RESTAURANT = {
    "name": "Texas Chicken (Henderson)",
    "address": "12 Great North Road, Henderson, Auckland 0612",
    "city": "Auckland",
    "phone": "09 836 1234",
    "email": "owner@texas.example.nz",
}

MENU_JSON = {
    "categories": [
        {
            "name": "Burgers",
            "items": [
                {
                    "name": "Zinger Burger (GF)",
                    "price": "$12.50",
                    "description": "Crispy with jalapeño mayo",
                    "image_url": "http://127.0.0.1/img/zinger.jpg",
                    "option_sets": [
                        {
                            "name": "Size",
                            "required": True,
                            "min_selections": 1,
                            "max_selections": 1,
                            "options": [{"name": "Regular", "price": 0}, {"name": "Large", "price": 2.5}],
                        }
                    ],
                },
                {"name": "Veggie Stack (V) (NF)", "price": 11, "option_sets": ["Size", "Extras"]},
            ],
        },
        {"name": "Combos", "items": [{"name": "Family Feast", "price": 39.9, "option_sets": ["Extras"]}]},
        {"name": "Vegan", "items": [{"name": "Tofu Bowl (VG)", "price": 14}]},
    ],
    "option_sets": [
        {
            "name": "Extras",
            "max_selections": 3,
            "options": [{"name": "Cheese", "price": 1}, {"name": "Bacon", "price": 2}],
        }
    ],
}


@pytest.fixture
def ctx(database_url: str, tmp_path: Path) -> EnrichCtx:
    """A batch with one restaurant in a migrated database of this test (SQLite and PostgreSQL)."""
    batch_id, [(rid, job_id)] = seed_batch(
        database_url, [RESTAURANT], defaults={"website": {"theme": "light"}}
    )
    return EnrichCtx(
        database_url=database_url,
        data_dir=tmp_path / "data",
        restaurant=RESTAURANT | {"id": rid},
        batch_id=batch_id,
        job_id=job_id,
    )


def _items(ctx: EnrichCtx, menu_id: int) -> dict[str, Any]:
    return {i["name"]: i for i in records_for(ctx.database_url).menu_items(menu_id)}


def test_menu_from_json_file_stores_everything(ctx: EnrichCtx, tmp_path: Path) -> None:
    (tmp_path / "menu.json").write_text(json.dumps(MENU_JSON))
    ctx.params = {"base_dir": str(tmp_path)}
    ctx.restaurant["menu_file"] = "menu.json"
    result = extract_menu(ctx)
    assert result is not None
    assert (result["categories"], result["items"], result["option_sets"], result["options"]) == (3, 4, 2, 4)
    items = _items(ctx, result["menu_id"])
    assert items["Zinger Burger"]["tags"] == ["Gluten Free", "Spicy"]  # marker stripped, jalapeño → Spicy
    assert items["Veggie Stack"]["tags"] == ["Vegetarian", "Nut Free"]
    assert items["Family Feast"]["tags"] == ["Deal"]  # category "Combos"
    assert items["Tofu Bowl"]["tags"] == ["Vegan"]
    assert str(items["Zinger Burger"]["price"]) == "12.50"
    assert items["Zinger Burger"]["images"] == ["http://127.0.0.1/img/zinger.jpg"]
    assert ctx.rate_limits_taken == []  # a file costs no extraction token


def test_relative_menu_file_is_found_next_to_the_manifest(ctx: EnrichCtx, tmp_path: Path) -> None:
    from sqlalchemy import update

    from regctl.db.connect import open_engine
    from regctl.db.schema import batches

    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "texas.json").write_text(json.dumps(MENU_JSON))
    engine = open_engine(ctx.database_url)
    with engine.begin() as conn:
        conn.execute(update(batches).values(manifest_path=str(tmp_path / "batch.yaml")))
    engine.dispose()
    ctx.restaurant["menu_file"] = "menus/texas.json"
    assert (extract_menu(ctx) or {})["items"] == 4


def test_rerun_replaces_the_menu(ctx: EnrichCtx, tmp_path: Path) -> None:
    (tmp_path / "menu.json").write_text(json.dumps(MENU_JSON))
    ctx.restaurant["menu_file"] = str(tmp_path / "menu.json")
    first, second = extract_menu(ctx), extract_menu(ctx)
    assert first and second
    menus = records_for(ctx.database_url).restaurant(ctx.restaurant["id"])["menus"]
    assert [m["id"] for m in menus] == [second["menu_id"]] and menus[0]["items"] == 4


def test_menu_from_platform_csv(ctx: EnrichCtx, tmp_path: Path) -> None:
    csv_text = (
        "menuName,categoryName,dishName,dishPrice,dishDescription,tags,imageExternalURL\n"
        "Menu,Mains,Spicy Wings (H),9.00,Hot hot,Popular,\n"
        "Menu,Mains,Plain Chips,4.5,,,http://127.0.0.1/chips.jpg\n"
        "Menu,Drinks,Cola,3,,,\n"
    )
    (tmp_path / "menu.csv").write_text(csv_text)
    ctx.restaurant["menu_file"] = str(tmp_path / "menu.csv")
    result = extract_menu(ctx)
    assert result and (result["categories"], result["items"], result["option_sets"]) == (2, 3, 0)
    items = _items(ctx, result["menu_id"])
    assert items["Spicy Wings"]["tags"] == ["Popular", "Halal", "Spicy"]


def test_menu_file_errors_name_the_file(ctx: EnrichCtx, tmp_path: Path) -> None:
    ctx.restaurant["menu_file"] = str(tmp_path / "missing.csv")
    with pytest.raises(PermanentStepError, match=r"missing\.csv"):
        extract_menu(ctx)
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    ctx.restaurant["menu_file"] = str(tmp_path / "bad.csv")
    with pytest.raises(PermanentStepError, match="dishName"):
        extract_menu(ctx)


def _save_candidates(ctx: EnrichCtx, candidates: list[dict[str, Any]]) -> None:
    records_for(ctx.database_url).save_search(
        ctx.job_id,
        ctx.restaurant["id"],
        queries={"restaurant_name": "Texas Chicken"},
        name_results=candidates,
        address_results=[],
        candidates=candidates,
        status=SearchStatus.AWAITING_SELECTION,
    )


CANDIDATES = [
    {
        "company_name": "TEXAS CHICKEN LIMITED",
        "company_number": "111",
        "nzbn": "9429000000111",
        "status": "Registered",
        "similarity": 1.0,
        "match_source": "name",
    },
    {
        "company_name": "TEXAS HOLDINGS LIMITED",
        "company_number": "222",
        "nzbn": "9429000000222",
        "status": "Registered",
        "similarity": 0.7,
        "match_source": "address",
    },
]


def test_select_company_request_and_choice(ctx: EnrichCtx) -> None:
    _save_candidates(ctx, CANDIDATES)
    request = select_company.request(ctx)
    assert request.kind == "select_company" and [o["company_number"] for o in request.options] == [
        "111",
        "222",
    ]
    assert request.defaults == {"choice": "company", "company_number": "111"}
    result = select_company.apply(ctx, {"choice": "company", "company_number": "111"})
    assert result["company_name"] == "TEXAS CHICKEN LIMITED"
    search = records_for(ctx.database_url).search(ctx.job_id)
    assert search and (search["status"], search["selected_company_number"]) == ("selected", "111")


def test_select_company_suggests_what_the_evidence_supports(ctx: EnrichCtx) -> None:
    # Scored candidates (search_companies stores evidence): the suggestion follows the evidence, and
    # two close candidates suggest nothing even though one has the stronger name.
    scored = [dict(CANDIDATES[0], score=0.5, eligible=True, evidence=[]),
              dict(CANDIDATES[1], score=0.9, eligible=True, evidence=[])]
    _save_candidates(ctx, scored)
    assert select_company.request(ctx).defaults == {"choice": "company", "company_number": "222"}
    _save_candidates(ctx, [dict(scored[0], score=0.8), scored[1]])
    assert select_company.request(ctx).defaults == {}


@pytest.mark.parametrize(
    ("answer", "where"),
    [
        ({"choice": "maybe"}, "choice"),
        ({"choice": "company"}, "company_number"),
        ({"choice": "manual", "manual": {"contact_email": "x@y.nz"}}, "contact_name"),
        ({"choice": "company", "company_number": "999"}, "999"),
    ],
)
def test_select_company_refuses_bad_answers(ctx: EnrichCtx, answer: dict[str, Any], where: str) -> None:
    _save_candidates(ctx, CANDIDATES)
    with pytest.raises(DecisionError, match=where):
        select_company.apply(ctx, answer)
    search = records_for(ctx.database_url).search(ctx.job_id)
    assert search and search["status"] == "awaiting_selection"  # nothing written


def test_manual_entry_writes_the_contact(ctx: EnrichCtx) -> None:
    _save_candidates(ctx, [])
    result = select_company.apply(
        ctx, {"choice": "manual", "manual": {"contact_name": "Jo Bloggs", "gst_number": "123-456-789"}}
    )
    assert result["manual_entry"] is True
    company = records_for(ctx.database_url).restaurant(ctx.restaurant["id"])["company"]
    assert company["contact_name"] == "Jo Bloggs" and company["gst_number"] == "123-456-789"


def test_company_record_takes_the_first_active_director() -> None:
    details = {
        "company_info": {"company_name": "O'MALLEY'S LIMITED", "company_number": "5", "nzbn": "94"},
        "directors": [
            {"name": "Graham PRENTICE", "status": "INACTIVE", "cessation_date": "2012-06-30"},
            {
                "name": "Seamus Patrick O'MALLEY",
                "full_legal_name": "Seamus Patrick O'MALLEY",
                "status": "ACTIVE",
            },
        ],
        "gst_numbers": ["101-123-456"],
        "email_addresses": ["a@b.nz"],
        "phone_numbers": ["64 7 5783344"],
        "raw": {"entityName": "O'MALLEY'S LIMITED"},
    }
    record = company_record(details)
    assert record["contact_name"] == "Seamus Patrick O'Malley"
    assert record["full_legal_name"] == "Seamus Patrick O'MALLEY"
    assert (record["gst_number"], record["contact_email"], record["contact_phone"]) == (
        "101-123-456",
        "a@b.nz",
        "64 7 5783344",
    )
    assert record["details"] == {"entityName": "O'MALLEY'S LIMITED"}


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    value = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, value)
    return value


def test_configure_registration_masks_then_encrypts(ctx: EnrichCtx, tmp_path: Path, key: str) -> None:
    (tmp_path / "menu.json").write_text(json.dumps(MENU_JSON))
    ctx.restaurant["menu_file"] = str(tmp_path / "menu.json")
    menu_id = (extract_menu(ctx) or {})["menu_id"]
    request = configure_registration.request(ctx)
    assert request.defaults["account"]["password"] == MASK
    assert request.defaults["website"]["theme"] == "light"  # the manifest's defaults
    assert request.context["has_menu"] is True and request.defaults["menu"]["menu_id"] == menu_id
    result = configure_registration.apply(ctx, request.defaults)
    assert result["configured"] is True and "password" not in json.dumps(result).lower().replace(
        "password_rule", ""
    )
    stored = records_for(ctx.database_url).job_config(ctx.job_id)
    assert stored["account"]["password"].startswith("enc:")
    plain = decrypt_secret_fields(stored)
    assert len(plain["account"]["password"]) == 20 and plain["account"]["password"] != MASK
    assert plain["onboarding"]["user_password"] == plain["account"]["password"]


def test_configure_registration_menu_gate(tmp_path: Path, key: str) -> None:
    restaurant = RESTAURANT | {"ubereats_url": "https://www.ubereats.com/nz/store/x/1"}
    url, rid = make_database(tmp_path / "gate.db", restaurant)  # a menu source, but no menu extracted
    ctx = EnrichCtx(database_url=url, data_dir=tmp_path, restaurant=restaurant | {"id": rid})
    request = configure_registration.request(ctx)
    assert request.defaults["menu"]["import_menu"] is True and request.context["has_menu"] is False
    with pytest.raises(DecisionError, match="import_menu: false"):
        configure_registration.apply(ctx, request.defaults)
    assert records_for(url).job_config(ctx.job_id) == {}  # nothing written
    result = configure_registration.apply(ctx, {"menu": {"import_menu": False}})
    assert result["import_menu"] is False


def test_reconfiguring_keeps_the_stored_password_unless_one_is_typed(ctx: EnrichCtx, key: str) -> None:
    def stored() -> dict[str, Any]:
        return decrypt_secret_fields(records_for(ctx.database_url).job_config(ctx.job_id))

    configure_registration.apply(ctx, {"menu": {"import_menu": False}})
    first = stored()["account"]["password"]
    configure_registration.apply(
        ctx, configure_registration.request(ctx).defaults | {"menu": {"import_menu": False}}
    )
    assert stored()["account"]["password"] == first  # masked again: kept (the account may exist already)
    configure_registration.apply(
        ctx, {"menu": {"import_menu": False}, "account": {"password": "New-Typed-1!"}}
    )
    assert stored()["account"]["password"] == stored()["onboarding"]["user_password"] == "New-Typed-1!"


def test_configure_registration_invalid_edit_names_field(ctx: EnrichCtx, key: str) -> None:
    with pytest.raises(DecisionError, match=r"website\.theme"):
        configure_registration.apply(ctx, {"website": {"theme": "neon"}})
