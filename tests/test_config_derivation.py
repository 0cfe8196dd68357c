"""registration_config: the default derivation, table-driven (reference §2 examples and edge cases)."""

from __future__ import annotations

import string
from typing import Any

import pytest
from pydantic import ValidationError

from regctl.registration_config import (
    config_schema,
    derive_config,
    legacy_password,
    normalise_color,
    normalise_hours,
    strong_password,
    subdomain_for,
)


def _restaurant(**over: Any) -> dict[str, Any]:
    base = {
        "name": "Texas Chicken (Henderson)",
        "email": "owner@texas.example.nz",
        "phone": "09 836 1234",
        "address": "12 Great North Road, Henderson, Auckland 0612",
        "city": "Auckland",
    }
    return base | over


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Texas Chicken (Henderson)", "Texaschickenhenderson789!"),  # brackets kept as letters (prior rule)
        ("Mama Rosa's Pizzeria", "Mamarosaspizzeria789!"),
        ("KFC", "Kfc789!"),
        ("", "Restaurant789!"),  # empty name
        ("!!! ???", "Restaurant789!"),  # nothing left after stripping
        ("Pōhutukawa Café", "Phutukawacaf789!"),  # macrons dropped exactly as the prior system did
        ("7 Days Pizza", "7dayspizza789!"),  # a digit first: upper() leaves it
    ],
)
def test_legacy_password_is_the_prior_rule(name: str, expected: str) -> None:
    assert legacy_password(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Texas Chicken (Henderson)", "texaschickenhenderson"),
        ("Pōhutukawa Café", "pohutukawacafe"),  # macrons folded, not dropped
        ("Whānau Burgers (Taupō)", "whanauburgerstaupo"),
        ("KFC", "order-kfc"),  # under 4 characters
        ("", "order-restaurant"),
        ("O'Malley's Fish & Chips", "omalleysfishchips"),
    ],
)
def test_subdomain(name: str, expected: str) -> None:
    assert subdomain_for(name) == expected


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (
            [{"day": "Friday", "open": "18:00", "close": "02:00"}],
            [
                {"day": "Friday", "open": "18:00", "close": "23:59"},
                {"day": "Saturday", "open": "00:00", "close": "02:00"},
            ],
        ),
        (
            [{"day": "Sunday", "open": "17:00", "close": "01:30"}],  # wraps to Monday
            [
                {"day": "Monday", "open": "00:00", "close": "01:30"},
                {"day": "Sunday", "open": "17:00", "close": "23:59"},
            ],
        ),
        (
            [
                {"day": "Monday", "open": "Closed", "close": "Closed"},
                {"day": "Tuesday", "open": "9:00", "close": "17:00"},
            ],
            [{"day": "Tuesday", "open": "09:00", "close": "17:00"}],
        ),
        (
            {"Wednesday": {"open": "11am", "close": "9pm"}, "Thursday": "Closed"},  # legacy day-keyed form
            [{"day": "Wednesday", "open": "11:00", "close": "21:00"}],
        ),
        (
            [{"day": "Monday", "hours": {"open": "10:00", "close": "24:00"}}],  # canonical nested form, 24:00
            [{"day": "Monday", "open": "10:00", "close": "23:59"}],
        ),
        (
            [{"day": "Saturday", "open": "20:00", "close": "00:00"}],  # to midnight: nothing on the next day
            [{"day": "Saturday", "open": "20:00", "close": "23:59"}],
        ),
        ([{"day": "Monday", "closed": True, "open": "10:00", "close": "12:00"}], []),
        (None, []),
    ],
)
def test_opening_hours(hours: Any, expected: list[dict[str, str]]) -> None:
    assert normalise_hours(hours) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#abc", "#AABBCC"),
        ("1a2b3c", "#1A2B3C"),
        ("#1A2B3C", "#1A2B3C"),
        ("", "#000000"),
        (None, "#000000"),
        ("red", "#000000"),
        ("#12345", "#000000"),
    ],
)
def test_colours(value: Any, expected: str) -> None:
    assert normalise_color(value, "#000000") == expected


def test_defaults_from_a_bare_record() -> None:
    config = derive_config(_restaurant(), make_password=lambda: "Xy9!Xy9!Xy9!Xy9!")
    assert config["account"] == {
        "register_new_user": True,
        "email": "owner@texas.example.nz",
        "password": "Xy9!Xy9!Xy9!Xy9!",
        "password_rule": "strong",
        "phone": "09 836 1234",
    }
    assert config["restaurant"]["registration_mode"] == "existing_account_first_restaurant"
    assert config["restaurant"]["subdomain"] == "texaschickenhenderson"
    website = config["website"]
    assert (website["theme"], website["primary_color"], website["secondary_color"]) == (
        "dark",
        "#000000",
        "#FFFFFF",
    )
    assert (website["nav_text_color"], website["card_text_color"]) == ("white", "white")
    assert website["configure_header"] is False and website["item_layout"] == "card"
    assert config["menu"] == {
        "import_menu": False,
        "menu_id": None,
        "upload_images": True,
        "add_option_sets": True,
        "add_item_tags": True,
    }
    assert config["onboarding"]["user_email"] == "owner@texas.example.nz"
    assert config["onboarding"]["user_password"] == "Xy9!Xy9!Xy9!Xy9!"
    assert config["payment"] == {"include_stripe_link": False}


def test_branding_company_and_menu_flow_into_the_config() -> None:
    record = _restaurant(
        email=None,
        branding={
            "theme": "light",
            "primary_color": "#a1b2c3",
            "secondary_color": None,
            "og_image": "http://x/og.jpg",
            "logo_nobg": "/data/logo_nobg.png",
            "favicon": "/data/favicon.png",
        },
        company={"contact_name": "Bradley James Cooper", "contact_email": "accounts@texas.example.nz"},
        menus=[{"id": 7}],
        extra={"registration_status": "completed"},
    )
    config = derive_config(record, make_password=lambda: "p")
    website = config["website"]
    assert (website["theme"], website["primary_color"], website["secondary_color"]) == (
        "light",
        "#A1B2C3",
        "#FFFFFF",
    )
    assert (website["nav_text_color"], website["card_text_color"]) == ("secondary", "secondary")
    assert website["configure_header"] is True and website["header_image_source"] == "http://x/og.jpg"
    assert website["nav_logo_source"] == website["header_logo_source"] == "/data/logo_nobg.png"
    assert website["favicon_source"] == "/data/favicon.png"
    assert config["account"]["email"] == "accounts@texas.example.nz"  # contact e-mail when none given
    assert config["onboarding"]["user_name"] == "Bradley James Cooper"
    assert config["menu"]["menu_id"] == 7 and config["menu"]["import_menu"] is True
    assert config["restaurant"]["registration_mode"] == "existing_account_additional_restaurant"


def test_precedence_edits_over_manifest_defaults_over_derived() -> None:
    defaults = {"website": {"theme": "light", "item_layout": "list"}, "menu": {"add_item_tags": False}}
    edits = {"website": {"theme": "dark"}, "account": {"password": "Typed-by-a-person-1"}}
    config = derive_config(_restaurant(), defaults, edits, make_password=lambda: "generated")
    assert config["website"]["theme"] == "dark" and config["website"]["item_layout"] == "list"
    assert config["menu"]["add_item_tags"] is False
    assert config["account"]["password"] == config["onboarding"]["user_password"] == "Typed-by-a-person-1"


def test_legacy_rule_is_opt_in_through_defaults() -> None:
    config = derive_config(_restaurant(), {"account": {"password_rule": "legacy"}})
    assert config["account"]["password"] == "Texaschickenhenderson789!"
    assert config["account"]["password_rule"] == "legacy"


def test_strong_password_is_random_and_mixed() -> None:
    passwords = {strong_password() for _ in range(20)}
    assert len(passwords) == 20
    for p in passwords:
        assert len(p) == 20
        assert any(c in string.ascii_uppercase for c in p) and any(c in string.ascii_lowercase for c in p)
        assert any(c.isdigit() for c in p) and any(not c.isalnum() for c in p)


def test_default_password_is_strong_not_the_rule() -> None:
    config = derive_config(_restaurant())
    assert config["account"]["password"] != legacy_password("Texas Chicken (Henderson)")
    assert len(config["account"]["password"]) == 20


@pytest.mark.parametrize(
    ("edits", "field"),
    [
        ({"website": {"theme": "purple"}}, "theme"),
        ({"website": {"primary_color": "red"}}, "primary_color"),
        ({"restaurant": {"subdomain": "Bad Sub"}}, "subdomain"),
        ({"menu": {"unknown": 1}}, "unknown"),
        ({"restaurant": {"opening_hours": [{"day": "Funday", "open": "10:00", "close": "11:00"}]}}, "day"),
    ],
)
def test_invalid_edits_are_refused_naming_the_field(edits: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        derive_config(_restaurant(), edits=edits, make_password=lambda: "p")
    assert field in str(info.value)


def test_schema_describes_every_section() -> None:
    schema = config_schema()
    assert set(schema["properties"]) == {"account", "restaurant", "menu", "website", "payment", "onboarding"}
