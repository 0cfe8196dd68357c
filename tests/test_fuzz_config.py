"""Fuzzing the registration config derivation (regctl.registration_config.derive_config).

Two properties:
1. Any restaurant record the pipeline can produce (manifest fields, enrichment's branding and company
   data, odd opening hours in every accepted shape) derives a config that validates, with the
   invariants of SPEC §4: a subdomain the portal accepts, #RRGGBB colours, sorted well-formed hours,
   a strong password unless the legacy rule is asked for.
2. Any manifest `defaults:` either fails at load time (exit 2, a located ManifestError naming a
   `defaults` field) or derives a valid config for every restaurant of that manifest — a bad default
   must not wait days to blow up in configure_registration.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regctl.errors import ManifestError
from regctl.registration_config import DAYS, RegistrationConfig, derive_config

FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
maybe_text = st.none() | st.text(max_size=40)
times = st.sampled_from(["9:00", "09:00", "0900", "9pm", "12am", "24:00", "23:59", "00:00", "25:00",
                         "closed", "", "7.30", "noon"]) | st.text(max_size=6)
days = st.sampled_from([*DAYS, "mon", "Tue", "FRIDAY", "", "Funday"]) | st.text(max_size=8)
hour_entry = st.fixed_dictionaries({"day": days, "open": times, "close": times},
                                   optional={"closed": st.booleans()})
opening_hours = st.one_of(
    st.none(),
    st.lists(hour_entry, max_size=8),
    st.lists(st.fixed_dictionaries({"day": days, "hours": st.fixed_dictionaries({"open": times,
                                                                                  "close": times})}),
             max_size=4),
    st.dictionaries(days, st.fixed_dictionaries({"open": times, "close": times}) | st.just("Closed"),
                    max_size=7),
    st.text(max_size=20),
)
colours = (st.none() | st.sampled_from(["#fff", "abc123", "#A1B2C3", "red", "#12345", ""])
           | st.text(max_size=8))
branding = st.none() | st.fixed_dictionaries({}, optional={
    "theme": st.sampled_from(["light", "dark", "LIGHT", "", "neon"]), "primary_color": colours,
    "secondary_color": colours, "og_image": maybe_text, "logo": maybe_text, "logo_nobg": maybe_text,
    "logo_standard": maybe_text, "favicon": maybe_text})
company = st.none() | st.fixed_dictionaries({}, optional={"contact_name": maybe_text,
                                                          "contact_email": maybe_text})
names = st.text(min_size=1, max_size=80).filter(lambda s: s.strip() != "")
restaurants = st.fixed_dictionaries(
    {"name": names},
    optional={"address": maybe_text, "city": maybe_text, "phone": maybe_text, "email": maybe_text,
              "opening_hours": opening_hours,
              "cuisines": st.none() | st.lists(st.text(max_size=10), max_size=3),
              "branding": branding, "company": company,
              "extra": st.dictionaries(st.sampled_from(["registration_status", "platform_restaurant_id",
                                                        "x"]), maybe_text, max_size=2),
              "menus": st.lists(st.fixed_dictionaries({"id": st.integers(1, 10**9)}), max_size=2)})


def assert_invariants(config: dict[str, Any], restaurant: dict[str, Any], legacy: bool) -> None:
    RegistrationConfig.model_validate(config)
    assert re.fullmatch(r"[a-z0-9-]{4,63}", config["restaurant"]["subdomain"])
    for key in ("primary_color", "secondary_color"):
        assert re.fullmatch(r"#[0-9A-F]{6}", config["website"][key].upper())
    hours = config["restaurant"]["opening_hours"]
    order = [(DAYS.index(h["day"]), h["open"], h["close"]) for h in hours]
    assert order == sorted(order), "hours sorted by day"
    assert all(h["open"] < h["close"] for h in hours), f"every range ends after it starts: {hours}"
    password = config["account"]["password"]
    if not legacy:
        assert len(password) >= 16 and not password.endswith("789!"), "strong by default"
    assert config["onboarding"]["user_password"] == password


@FUZZ
@given(restaurant=restaurants)
def test_any_restaurant_record_derives_a_valid_config(restaurant: dict[str, Any]) -> None:
    assert_invariants(derive_config(restaurant), restaurant, legacy=False)


@FUZZ
@given(restaurant=restaurants)
def test_the_legacy_password_rule_is_opt_in_and_exact(restaurant: dict[str, Any]) -> None:
    config = derive_config(restaurant, {"account": {"password_rule": "legacy"}})
    assert_invariants(config, restaurant, legacy=True)
    assert config["account"]["password"].endswith("789!")


# ------------------------------------------------------------------ defaults through the manifest


def _manifest_loader_exists() -> bool:
    from regctl.manifest import load_manifest

    try:
        load_manifest("/nonexistent/regctl-fuzz.yaml")
    except NotImplementedError:
        return False
    except Exception:
        return True
    return True


SECTIONS = {
    "account": {"register_new_user": st.booleans(), "email": maybe_text,
                "password_rule": st.sampled_from(["strong", "legacy", "weak"]), "phone": maybe_text},
    "restaurant": {"registration_mode": st.sampled_from(["new_account_with_restaurant", "bogus"]),
                   "subdomain": st.sampled_from(["good-one", "Bad Sub", "ab"]), "city": maybe_text},
    "menu": {"upload_images": st.booleans() | st.text(max_size=4), "add_item_tags": st.booleans(),
             "menu_id": st.none() | st.integers() | st.text(max_size=4)},
    "website": {"theme": st.sampled_from(["dark", "light", "purple"]), "primary_color": colours,
                "item_layout": st.sampled_from(["card", "list", "grid"]),
                "cuisines": st.lists(st.text(max_size=5))},
    "payment": {"include_stripe_link": st.booleans() | st.integers()},
    "onboarding": {"create_user": st.booleans(), "user_name": maybe_text},
    "nonsense": {"x": st.integers()},
}
defaults_strategy = st.dictionaries(
    st.sampled_from(sorted(SECTIONS)),
    st.none(), max_size=3).flatmap(lambda chosen: st.fixed_dictionaries(
        {section: st.fixed_dictionaries({}, optional=SECTIONS[section]) for section in chosen}))


@pytest.mark.skipif(not _manifest_loader_exists(), reason="regctl.manifest.load_manifest not written yet")
@settings(FUZZ, max_examples=30)  # each example loads a manifest (~0.1-0.3 s)
@given(defaults=defaults_strategy,
       phone=st.none() | st.text(max_size=12) | st.integers(0, 10**10))
def test_manifest_defaults_fail_at_load_or_derive_for_every_restaurant(defaults: dict[str, Any],
                                                                       phone: Any) -> None:
    from regctl.manifest import load_manifest

    doc = {"batch": "fuzz-config", "organisation": "fuzz", "target": "sandbox", "pipeline": "onboarding",
           "defaults": defaults,
           "restaurants": [{"name": "Kāpiti Café", "address": "1 Beach Road, Paraparaumu", "phone": phone,
                            "opening_hours": [{"day": "Friday", "open": "18:00", "close": "02:00"}]}]}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True))
        try:
            manifest = load_manifest(path)
        except ManifestError as exc:
            assert exc.line is not None, f"unlocated: {exc}"
            return
    for restaurant in manifest.restaurants:
        derive_config(restaurant, manifest.defaults)  # must not raise: the loader vouched for it
