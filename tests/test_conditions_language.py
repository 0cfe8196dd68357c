"""The `when:` language: what it answers, and what it refuses to run."""

from __future__ import annotations

from typing import Any

import pytest

from regctl.conditions import ConditionError, compile, evaluate

DATA: dict[str, Any] = {
    "restaurant": {"name": "Texas Chicken", "website": "https://t.example", "menu_file": None,
                   "extra": {"tier": 2, "contact_lookup": "no"}, "cuisines": ["chicken", "burgers"]},
    "config": {"menu": {"add_item_tags": True, "upload_images": False}, "account": {}},
    "results": {"select_company": {"choice": "company"}, "extract-menu": {"items": 12}},
    "params": {"mode": "fast"},
}


@pytest.mark.parametrize(("expr", "expected"), [
    ("restaurant.website", True),
    ("restaurant.menu_file", False),
    ("restaurant.website or restaurant.menu_file", True),
    ("restaurant.website and restaurant.menu_file", False),
    ("not restaurant.menu_file", True),
    ("config.menu.add_item_tags", True),
    ("config.menu.upload_images", False),
    ("config.account.register_new_user", False),  # missing → null → false
    ("config.nothing.at.all", False),
    ("config.nothing.at.all == null", True),
    ("results.select_company.choice == 'company'", True),
    ("results.select_company.choice != \"company\"", False),
    ("results.select_company.choice in ['company', 'manual']", True),
    ("params.mode not in ['slow']", True),
    ("'chicken' in restaurant.cuisines", True),
    ("'Texas' in restaurant.name", True),
    ("'x' in restaurant.missing", False),
    ("restaurant.extra.tier >= 2", True),
    ("restaurant.extra.tier > 2", False),
    ("restaurant.extra.nope > 2", False),  # ordering against null is false, not an error
    ("restaurant.name < 3", False),  # mismatched types: false
    ("restaurant.extra.contact_lookup not in [false, 'false', 'no', '0']", False),
    ("results['extract-menu'].items == 12", True),
    ("restaurant.cuisines[0] == 'chicken'", True),
    ("restaurant.cuisines[9] == null", True),
    ("true", True),
    ("False or None", False),
    ("1 < restaurant.extra.tier <= 2", True),
    ("-1 < 0", True),
])
def test_evaluates(expr: str, expected: bool) -> None:
    assert evaluate(expr, DATA) is expected


@pytest.mark.parametrize(("expr", "fragment"), [
    ("__import__('os').system('true')", "function call"),
    ("restaurant.__class__", "private attribute"),
    ("open", "unknown name 'open'"),
    ("os.environ", "unknown name 'os'"),
    ("restaurant.name + 'x'", "arithmetic"),
    ("[x for x in params]", "ListComp"),
    ("lambda: 1", "lambda"),
    ("restaurant[params.key]", "constant key"),
    ("restaurant.name is None", "comparison Is"),
    ("(restaurant.name", "cannot parse"),
    ("   ", "non-empty"),
    ("{'a': 1}", "dict literal"),
    ("'a'.upper", "cannot start a path"),
])
def test_refuses(expr: str, fragment: str) -> None:
    with pytest.raises(ConditionError, match=None) as info:
        compile(expr)
    assert fragment in str(info.value)


def test_compile_is_reusable_and_pure() -> None:
    cond = compile("params.mode == 'fast'")
    assert cond({"params": {"mode": "fast"}}) is True
    assert cond({"params": {"mode": "slow"}}) is False
    assert cond({}) is False
