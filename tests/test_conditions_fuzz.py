"""Any text either compiles to a condition or is refused with ConditionError; a compiled condition
answers a bool for any data, never raising."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regctl.conditions import ConditionError, compile

FUZZ = settings(max_examples=300, deadline=None, derandomize=True)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=5)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abcxyz"), inner,
                                                                        max_size=3)),
    max_leaves=10)
data = st.fixed_dictionaries({r: json_values for r in ("restaurant", "config", "results", "params")})
parts = st.sampled_from(["restaurant", "config.a", "results.b.c", "params.x[0]", "restaurant['y']",
                         "1", "'a'", "true", "null", "[1, 'a']", "-2.5"])
ops = st.sampled_from([" and ", " or ", " == ", " != ", " in ", " not in ", " < ", " >= "])


@st.composite
def expressions(draw: st.DrawFn) -> str:
    expr = draw(parts)
    for _ in range(draw(st.integers(0, 4))):
        expr = f"{'not ' if draw(st.booleans()) else ''}({expr}){draw(ops)}{draw(parts)}"
    return expr


@FUZZ
@given(text=st.text(max_size=60))
def test_any_text_compiles_or_is_refused(text: str) -> None:
    try:
        compile(text)
    except ConditionError as exc:
        assert str(exc)


@FUZZ
@given(expr=expressions(), values=data)
def test_compiled_conditions_answer_a_bool_for_any_data(expr: str, values: dict[str, Any]) -> None:
    assert compile(expr)(values) in (True, False)


@pytest.mark.parametrize("expr", ["(" * 500 + "true" + ")" * 500, "-" * 1990 + "1",
                                  "restaurant" + ".a" * 900, "true or " * 400 + "true", "\x00"])
def test_huge_or_deep_expressions_are_refused_not_crashing(expr: str) -> None:
    with pytest.raises(ConditionError):
        compile(expr)


def test_moderately_deep_expressions_still_work() -> None:
    assert compile("not " * 301 + "false")({}) is True


def test_a_mapping_is_never_a_key_of_a_mapping() -> None:
    # found by the fuzz test above: `x in mapping` with an unhashable x raised TypeError
    assert compile("(restaurant) in restaurant")({"restaurant": {}}) is False
    assert compile("restaurant.tags in restaurant")({"restaurant": {"tags": ["a"]}}) is False
