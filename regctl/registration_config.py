"""The registration config of SPEC §4 and the one pure function that derives its defaults.

:func:`derive_config` takes the restaurant record (as a dict: columns plus ``branding``, ``company``
and ``menus``) and the manifest's ``defaults:`` (+ a person's edits) and returns the config as a
plain dict with snake_case names. Precedence: edits > manifest defaults > derived values.

Rules (reference §2, with SPEC §4's changes):
- password: strong random by default; ``password_rule: legacy`` (in ``defaults.account``) = the prior
  rule (letters and digits of the name, first upper, rest lower, + ``789!``; ``Restaurant789!`` if
  empty) — kept byte-for-byte so accounts made by the old system still log in;
- subdomain: the portal's rule (lower-case letters and digits only, macrons folded to ASCII;
  ``order-`` prefix under 4 characters);
- opening hours: ``[{day, open, close}]``; past-midnight ranges split at midnight, closed days dropped;
- colours ``#RRGGBB`` (primary ``#000000``, secondary ``#FFFFFF`` when missing); theme from branding
  else dark; text colours ``secondary`` on light themes, ``white`` on dark.
"""

from __future__ import annotations

import re
import secrets as pysecrets
import string
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "RegistrationConfig",
    "config_schema",
    "deep_merge",
    "derive_config",
    "legacy_password",
    "normalise_color",
    "normalise_hours",
    "strong_password",
    "subdomain_for",
]

RegistrationMode = Literal["existing_account_first_restaurant", "existing_account_additional_restaurant",
                           "new_account_with_restaurant"]
Tint = Literal["none", "white", "black", "primary", "secondary", "custom"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Account(_Section):
    register_new_user: bool = True
    email: str = ""
    password: str = ""
    password_rule: Literal["strong", "legacy"] = "strong"
    phone: str = ""


class OpeningHours(_Section):
    day: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    open: str = Field(pattern=r"^\d{2}:\d{2}$")
    close: str = Field(pattern=r"^\d{2}:\d{2}$")


class Restaurant(_Section):
    registration_mode: RegistrationMode = "existing_account_first_restaurant"
    name: str = Field(min_length=1)
    phone: str = ""
    address: str = ""
    city: str = ""
    subdomain: str = Field(pattern=r"^[a-z0-9-]{4,63}$")
    opening_hours: list[OpeningHours] = Field(default_factory=list)


class Menu(_Section):
    import_menu: bool = True  # import a menu (and, with the flags below, its images/option sets/tags)
    menu_id: int | None = None
    upload_images: bool = True
    add_option_sets: bool = True
    add_item_tags: bool = True


class Website(_Section):
    theme: Literal["dark", "light"] = "dark"
    cuisines: list[str] = Field(default_factory=list)
    primary_color: str = Field("#000000", pattern=r"^#[0-9A-Fa-f]{6}$")
    secondary_color: str = Field("#FFFFFF", pattern=r"^#[0-9A-Fa-f]{6}$")
    disable_gradients: bool = False
    configure_header: bool = False
    header_image_source: str | None = None
    header_logo_source: str | None = None
    nav_logo_source: str | None = None
    header_logo_tint: Tint = "none"
    nav_logo_tint: Tint = "none"
    nav_text_color: str = "white"
    card_text_color: str = "white"
    favicon_source: str | None = None
    item_layout: Literal["card", "list"] = "card"


class Payment(_Section):
    include_stripe_link: bool = False


class Onboarding(_Section):
    create_user: bool = True
    sync: bool = True
    user_name: str = ""
    user_email: str = ""
    user_password: str = ""


class RegistrationConfig(_Section):
    account: Account
    restaurant: Restaurant
    menu: Menu
    website: Website
    payment: Payment = Field(default_factory=Payment)
    onboarding: Onboarding


def config_schema() -> dict[str, Any]:
    """JSON Schema of a valid config (the configure_registration answer)."""
    return RegistrationConfig.model_json_schema()


# ---------------------------------------------------------------- rules --------------------------

def legacy_password(name: str) -> str:
    """The prior system's predictable rule, kept exact for accounts it created."""
    letters = re.sub(r"[^A-Za-z0-9]", "", name or "")
    if not letters:
        return "Restaurant789!"
    return letters[0].upper() + letters[1:].lower() + "789!"


def strong_password(length: int = 20) -> str:
    """Random, with at least one upper, lower, digit and symbol (portal password rules)."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^*-_"
    while True:
        candidate = "".join(pysecrets.choice(alphabet) for _ in range(length))
        classes = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())
        if all(any(test(c) for c in candidate) for test in classes):
            return candidate


def ascii_fold(text: str) -> str:
    """Macrons and other accents removed: "Kāpiti Café" → "Kapiti Cafe"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def subdomain_for(name: str) -> str:
    core = re.sub(r"[^a-z0-9]", "", ascii_fold(name).lower())
    if len(core) < 4:
        core = f"order-{core}" if core else "order-restaurant"
    return core[:63]


def normalise_color(value: object, fallback: str) -> str:
    """``#RRGGBB`` upper-case from ``#rgb``/``#rrggbb``/``rrggbb``; ``fallback`` for anything else."""
    text = str(value or "").strip().lstrip("#")
    if re.fullmatch(r"[0-9A-Fa-f]{3}", text):
        text = "".join(c * 2 for c in text)
    if re.fullmatch(r"[0-9A-Fa-f]{6}", text):
        return "#" + text.upper()
    return fallback


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^\s*(\d{1,2})(?::|\.)?(\d{2})?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)


def _hhmm(value: object) -> str | None:
    """``HH:MM`` (24 h) from "9:00", "0900", "9pm", "24:00" (→ 23:59); None when not a time."""
    match = _TIME.match(str(value or ""))
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        return "23:59"
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def _day(value: object) -> str | None:
    text = str(value or "").strip().lower()
    return next((d for d in DAYS if text and d.lower().startswith(text[:3])), None)


def _ranges(hours: object) -> list[tuple[Any, Any, Any]]:
    """(day, open, close) triples from the accepted shapes: a list of {day, open, close} or
    {day, hours: {open, close}}, or a day-keyed mapping {Monday: {open, close} | "Closed"}."""
    if isinstance(hours, Mapping):
        hours = [{"day": day, **(v if isinstance(v, Mapping) else {"open": v, "close": v})}
                 for day, v in hours.items()]
    triples = []
    for entry in hours if isinstance(hours, list) else []:
        if not isinstance(entry, Mapping) or entry.get("closed") is True:
            continue
        nested = entry.get("hours")
        times: Mapping[str, Any] = nested if isinstance(nested, Mapping) else entry
        triples.append((entry.get("day"), times.get("open"), times.get("close")))
    return triples


def normalise_hours(hours: object) -> list[dict[str, str]]:
    """``[{day, open, close}]`` sorted by day: closed days dropped, past-midnight ranges split
    (Friday 18:00–02:00 → Friday 18:00–23:59 + Saturday 00:00–02:00)."""
    out: list[tuple[int, str, str]] = []
    for raw_day, raw_open, raw_close in _ranges(hours):
        day, start, end = _day(raw_day), _hhmm(raw_open), _hhmm(raw_close)
        if day is None or start is None or end is None or start == end:
            continue  # "Closed", unparseable, or an empty range
        index = DAYS.index(day)
        if end < start:  # past midnight
            out.append((index, start, "23:59"))
            if end != "00:00":
                out.append(((index + 1) % 7, "00:00", end))
        else:
            out.append((index, start, end))
    return [{"day": DAYS[i], "open": o, "close": c} for i, o, c in sorted(set(out))]


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` laid over it, section by section."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------- derivation ---------------------

def _branding(restaurant: Mapping[str, Any]) -> Mapping[str, Any]:
    return restaurant.get("branding") or {}


def _company(restaurant: Mapping[str, Any]) -> Mapping[str, Any]:
    return restaurant.get("company") or {}


def _registration_mode(restaurant: Mapping[str, Any]) -> str:
    extra = restaurant.get("extra") or {}
    done = str(extra.get("registration_status", "")).lower() == "completed"
    if done or extra.get("platform_restaurant_id"):
        return "existing_account_additional_restaurant"
    return "existing_account_first_restaurant"


def _website(restaurant: Mapping[str, Any]) -> dict[str, Any]:
    branding = _branding(restaurant)
    theme = "light" if str(branding.get("theme", "")).lower() == "light" else "dark"
    header = next((branding.get(k) for k in ("og_image", "facebook_cover_image", "ubereats_og_image")
                   if branding.get(k)), None)
    logo = branding.get("logo_nobg") or branding.get("logo_standard") or branding.get("logo")
    text_color = "secondary" if theme == "light" else "white"
    return {
        "theme": theme,
        "cuisines": list(restaurant.get("cuisines") or []),
        "primary_color": normalise_color(branding.get("primary_color"), "#000000"),
        "secondary_color": normalise_color(branding.get("secondary_color"), "#FFFFFF"),
        "configure_header": bool(header),
        "header_image_source": header,
        "header_logo_source": logo,
        "nav_logo_source": logo,
        "nav_text_color": text_color,
        "card_text_color": text_color,
        "favicon_source": branding.get("favicon"),
    }


def _account_and_onboarding(restaurant: Mapping[str, Any], password: str) -> dict[str, Any]:
    company = _company(restaurant)
    email = restaurant.get("email") or company.get("contact_email") or ""
    return {
        "account": {"email": email, "password": password, "phone": restaurant.get("phone") or ""},
        "onboarding": {"user_name": company.get("contact_name") or "", "user_email": email,
                       "user_password": password},
    }


def _menu(restaurant: Mapping[str, Any]) -> dict[str, Any]:
    """The first menu; import wanted when there is a menu or a source one could come from."""
    menus = restaurant.get("menus") or []
    has_source = bool(menus or restaurant.get("menu_file") or restaurant.get("ubereats_url"))
    return {"menu_id": int(menus[0]["id"]) if menus else None, "import_menu": has_source}


def _password(restaurant: Mapping[str, Any], rule: str, make_password: Callable[[], str]) -> str:
    return legacy_password(str(restaurant.get("name") or "")) if rule == "legacy" else make_password()


def derive_config(restaurant: Mapping[str, Any], defaults: Mapping[str, Any] | None = None,
                  edits: Mapping[str, Any] | None = None, *,
                  make_password: Callable[[], str] = strong_password) -> dict[str, Any]:
    """The registration config for one restaurant (pure but for the random password)."""
    defaults, edits = defaults or {}, edits or {}
    rule = str(deep_merge(defaults, edits).get("account", {}).get("password_rule", "strong"))
    name = str(restaurant.get("name") or "").strip()
    derived: dict[str, Any] = {
        **_account_and_onboarding(restaurant, _password(restaurant, rule, make_password)),
        "restaurant": {
            "registration_mode": _registration_mode(restaurant), "name": name,
            "phone": restaurant.get("phone") or "", "address": restaurant.get("address") or "",
            "city": restaurant.get("city") or "", "subdomain": subdomain_for(name),
            "opening_hours": normalise_hours(restaurant.get("opening_hours")),
        },
        "menu": _menu(restaurant),
        "website": _website(restaurant),
    }
    derived["account"]["password_rule"] = rule
    merged = deep_merge(deep_merge(derived, defaults), edits)
    _sync_onboarding(merged, edits)
    return RegistrationConfig.model_validate(merged).model_dump(mode="json")


def _sync_onboarding(config: dict[str, Any], edits: Mapping[str, Any]) -> None:
    """An empty onboarding e-mail/password follows the account's (as the prior form did)."""
    onboarding, account = config.setdefault("onboarding", {}), config.get("account", {})
    for mine, theirs in (("user_email", "email"), ("user_password", "password")):
        if not onboarding.get(mine):
            onboarding[mine] = account.get(theirs, "")
    if "password" in edits.get("account", {}) and "user_password" not in edits.get("onboarding", {}):
        onboarding["user_password"] = account.get("password", "")
