"""The sandbox's fixture world: fictional NZ restaurants and their company-register entries.

Source data lives in ``fixtures/restaurants.yaml`` and ``fixtures/companies.yaml`` (and menu
templates in ``menus.yaml``) — or in a directory of your own in the same format
(``regctl sandbox serve --fixtures DIR``, docs/sandbox.md). Everything else (slugs, brand colours,
opening hours, menus, clear-match companies, directors, NZBNs, GST numbers) is derived here
deterministically, so the same fixtures come out on every machine. Files are checked like manifests:
an unknown or missing key is a :class:`ManifestError` naming ``FILE:LINE: field``.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from regctl.errors import ManifestError
from regctl.manifest.located_yaml import Located, Path_, load_located
from regctl.sandbox.fixture_menus import FixtureCategory, FixtureOptionSet, menu_for, option_sets, templates

__all__ = [
    "DAYS",
    "FIXTURE_DIR",
    "HOURS_PATTERNS",
    "Address",
    "CompanyFixture",
    "DirectorFixture",
    "RestaurantFixture",
    "fold",
    "load_companies",
    "load_fixture_dir",
    "load_restaurants",
    "slugify",
]

FIXTURE_DIR = Path(__file__).with_name("fixtures")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# (days, open, close); a close earlier than open runs past midnight. Days not listed are closed.
HOURS_PATTERNS: dict[str, tuple[tuple[tuple[str, ...], str, str], ...]] = {
    "standard": ((DAYS, "11:00", "21:00"),),
    "closed_monday": ((DAYS[1:], "11:30", "21:30"),),
    "late_night": ((DAYS[:4], "17:00", "23:00"), (DAYS[4:6], "17:00", "02:00"), (DAYS[6:], "17:00", "22:00")),
    "split": ((DAYS[1:6], "11:00", "14:30"), (DAYS[1:6], "17:00", "21:30")),
    "cafe": ((DAYS[:5], "07:00", "15:00"), (DAYS[5:], "08:00", "14:00")),
    "all_night": ((DAYS[:4], "11:00", "23:00"), (DAYS[4:6], "11:00", "04:00")),
}


def fold(text: str) -> str:
    """Lower-case, macrons and accents removed, apostrophes dropped, other punctuation → space."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"['’]", "", plain.lower())
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def slugify(text: str) -> str:
    return fold(text).replace(" ", "-")


@dataclass(frozen=True)
class Address:
    street: str  # "148 Ponsonby Road"
    suburb: str  # may be ""
    city: str
    postcode: str

    @classmethod
    def parse(cls, text: str) -> Address:
        """``"148 Ponsonby Road, Ponsonby, Auckland 1011"`` → its parts (the last part holds the postcode)."""
        parts = [p.strip() for p in text.split(",")]
        match = re.match(r"^(.*?)\s*(\d{4})?$", parts[-1])
        city, postcode = (match.group(1), match.group(2) or "") if match else (parts[-1], "")
        suburb = ", ".join(parts[1:-1])
        return cls(parts[0], suburb, city, postcode)

    def full(self) -> str:
        middle = f", {self.suburb}" if self.suburb else ""
        return f"{self.street}{middle}, {self.city} {self.postcode}".strip()


@dataclass(frozen=True)
class DirectorFixture:
    first: str
    middle: str
    last: str
    appointed: str
    ceased: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first, self.middle, self.last) if p)

    @property
    def active(self) -> bool:
        return self.ceased is None


@dataclass(frozen=True)
class CompanyFixture:
    number: str
    nzbn: str
    name: str
    status: str  # Registered | Removed
    incorporated: str
    address: Address
    directors: tuple[DirectorFixture, ...]
    for_restaurant: str | None = None  # the restaurant name this entry was written for
    right: bool = False  # the right company for that restaurant (the ground truth a person would pick)
    gst_number: str = ""
    phone: tuple[str, str, str] = ("64", "9", "0000000")  # country, area, number
    email: str = ""
    trading_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestaurantFixture:
    index: int
    name: str
    slug: str
    address: str
    city: str
    phone: str
    email: str
    menu_template: str
    hours_pattern: str
    theme: str
    register_case: str
    owner: tuple[str, str, str]
    has_website: bool = True
    has_menu_source: bool = True
    already_registered: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    website_footer: str = ""  # printed at the foot of its website (a legal name, an NZBN…)
    menus_file: Path | None = None  # a fixture directory's own menus.yaml, added to the built-in one

    @property
    def primary_colour(self) -> str:
        return _hex_colour(self.index * 0.618034 % 1.0, 0.75, 0.55 if self.theme == "dark" else 0.45)

    @property
    def secondary_colour(self) -> str:
        return _hex_colour((self.index * 0.618034 + 0.5) % 1.0, 0.55, 0.85 if self.theme == "dark" else 0.3)

    @property
    def store_id(self) -> str:
        return hashlib.sha1(self.slug.encode()).hexdigest()[:22]

    @property
    def ubereats_url(self) -> str:
        return f"https://www.ubereats.com/nz/store/{self.slug}/{self.store_id}"

    def website_url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/sites/{self.slug}/"

    def opening_hours(self) -> list[dict[str, str]]:
        """The SPEC §5 manifest form: one entry per open day and slot; closed days are absent."""
        rows: list[dict[str, str]] = []
        for days, opens, closes in HOURS_PATTERNS[self.hours_pattern]:
            rows.extend({"day": day, "open": opens, "close": closes} for day in days)
        return sorted(rows, key=lambda r: (DAYS.index(r["day"]), r["open"]))

    def closed_days(self) -> list[str]:
        open_days = {row["day"] for row in self.opening_hours()}
        return [day for day in DAYS if day not in open_days]

    def menu(self) -> tuple[FixtureCategory, ...]:
        return menu_for(self.menu_template, self.index, self.menus_file)

    def option_sets(self) -> dict[str, FixtureOptionSet]:
        names = {n for cat in self.menu() for item in cat.items for n in item.option_sets}
        known = option_sets(self.menus_file)
        return {n: known[n] for n in sorted(names)}


def _hex_colour(hue: float, saturation: float, value: float) -> str:
    r, g, b = colorsys.hsv_to_rgb(hue, saturation, value)
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


_RESTAURANT_KEYS = {"name": True, "address": True, "city": True, "phone": True, "owner": False,
                    "menu": False, "hours": False, "theme": False, "register": False, "website": False,
                    "menu_source": False, "already_registered": False, "email": False,
                    "website_footer": False}
_COMPANY_KEYS = {"name": True, "directors": True, "for": False, "right": False, "at": False, "address": False,
                 "status": False, "number": False, "nzbn": False, "trading_names": False, "phone": False,
                 "email": False}
_DIRECTOR_KEYS = {"first": True, "middle": False, "last": True, "appointed": True, "ceased": False}
# Values the sandbox must understand; a company's status is free text (the register has many).
_CHOICES: dict[str, tuple[str, ...]] = {"hours": tuple(HOURS_PATTERNS), "theme": ("dark", "light")}
# Keys whose value has a type: a quoted "no" is not false, a string is not a one-name list.
_BOOLEANS = ("website", "menu_source", "already_registered", "right")
_LISTS = ("trading_names", "directors", "owner")


def _check_keys(doc: Located, path: Path_, row: Any, keys: dict[str, bool]) -> dict[str, Any]:
    """``row`` as a mapping with only known keys and every required one, else a located error."""
    if not isinstance(row, dict):
        raise doc.error("must be a mapping", path)
    for key in row:
        if key not in keys:
            raise doc.error(f"unknown key (known: {', '.join(keys)})", (*path, str(key)))
    for key, required in keys.items():
        if required and row.get(key) in (None, ""):
            raise doc.error("is required", (*path, key))
    for key, choices in _CHOICES.items():
        if key in row and key in keys and row[key] not in choices:
            raise doc.error(f"must be one of {', '.join(choices)}, not {row[key]!r}", (*path, key))
    for key in _BOOLEANS:
        if key in row and key in keys and not isinstance(row[key], bool):
            raise doc.error(f"must be true or false, not {row[key]!r}", (*path, key))
    for key in _LISTS:
        if key in row and key in keys and not isinstance(row[key], list):
            raise doc.error(f"must be a list, not {row[key]!r}", (*path, key))
    return row


def _document(file: Path, key: str) -> tuple[Located, list[Any]]:
    doc = load_located(file.read_text(encoding="utf-8"), str(file))
    rows = doc.value.get(key) if isinstance(doc.value, dict) else None
    if not isinstance(doc.value, dict) or set(doc.value) != {key} or not isinstance(rows, list):
        raise ManifestError(f"the file holds one key, {key}:, with a list", file=str(file), line=1, field=key)
    return doc, rows


_OPTION_SET_KEYS = {"required": True, "min": True, "max": True, "options": True}


def _check_menus(file: Path) -> None:
    """A directory's menus.yaml: ``option_sets`` and ``templates`` in the built-in format, nothing else."""
    doc = load_located(file.read_text(encoding="utf-8"), str(file))
    _check_keys(doc, (), doc.value, {"option_sets": False, "templates": False})
    known = set(option_sets())
    for name, spec in (doc.value.get("option_sets") or {}).items():
        _check_keys(doc, ("option_sets", name), spec, _OPTION_SET_KEYS)
        known.add(name)
    for template, categories in (doc.value.get("templates") or {}).items():
        if not isinstance(categories, dict):
            raise doc.error("must map category names to item lists", ("templates", template))
        for category, items in categories.items():
            for i, item in enumerate(items if isinstance(items, list) else [None]):
                where: Path_ = ("templates", template, category, i)
                if not (isinstance(item, list) and len(item) == 5 and isinstance(item[4], list)):
                    raise doc.error("an item is [name, price, description, has_photo, [option sets]]", where)
                for set_name in item[4]:
                    if set_name not in known:
                        raise doc.error(f"no option set {set_name!r}", where)


def _restaurant_from(index: int, raw: dict[str, Any], menus: Path | None = None) -> RestaurantFixture:
    slug = slugify(raw["name"])
    owner = tuple(raw.get("owner") or ("Alex", "", "OWNER"))
    if len(owner) == 2:
        owner = (owner[0], "", owner[1])
    return RestaurantFixture(
        index=index,
        name=raw["name"],
        slug=slug,
        address=raw["address"],
        city=raw["city"],
        phone=str(raw["phone"]),
        email=raw.get("email") or f"owner@{slug.replace('-', '')}.example.nz",
        menu_template=raw.get("menu", "kiwi"),
        hours_pattern=raw.get("hours", "standard"),
        theme=raw.get("theme", "light"),
        register_case=raw.get("register", "clear"),
        owner=(str(owner[0]), str(owner[1]), str(owner[2])),
        has_website=raw.get("website", True),
        has_menu_source=raw.get("menu_source", True),
        already_registered=raw.get("already_registered", False),
        website_footer=str(raw.get("website_footer") or ""),
        menus_file=menus,
    )


def _checked_restaurants(directory: Path) -> tuple[RestaurantFixture, ...]:
    file = directory / "restaurants.yaml"
    doc, rows = _document(file, "restaurants")
    own_menus = directory / "menus.yaml"
    menus = own_menus if own_menus.is_file() and directory != FIXTURE_DIR else None
    if menus is not None:
        _check_menus(menus)
    known_menus = templates(menus)
    out = []
    for i, row in enumerate(rows):
        path: Path_ = ("restaurants", i)
        _check_keys(doc, path, row, _RESTAURANT_KEYS)
        if row.get("menu", "kiwi") not in known_menus:
            known = ", ".join(known_menus)
            raise doc.error(f"no menu template {row['menu']!r} (known: {known})", (*path, "menu"))
        owner = row.get("owner")
        if owner is not None and not (isinstance(owner, list) and len(owner) in (2, 3)):
            raise doc.error("must be [first, middle, LAST] or [first, LAST]", (*path, "owner"))
        out.append(_restaurant_from(i, row, menus))
    names = [r.name for r in out]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise doc.error(f"{name!r} appears twice", ("restaurants", i, "name"))
    return tuple(out)


@cache
def load_restaurants(directory: Path = FIXTURE_DIR) -> tuple[RestaurantFixture, ...]:
    return _checked_restaurants(Path(directory))


def _nzbn(serial: int) -> str:
    return f"9429{40_000_000 + serial * 7919:09d}"


def _phone_parts(phone: str) -> tuple[str, str, str]:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("64"):
        digits = "0" + digits[2:]
    return ("64", digits[1:2], digits[2:])


def _company(
    serial: int, name: str, address: Address, directors: tuple[DirectorFixture, ...], **extra: Any
) -> CompanyFixture:
    return CompanyFixture(
        number=str(extra.pop("number", None) or f"{5_100_000 + serial * 37}"),
        nzbn=str(extra.pop("nzbn", None) or _nzbn(serial)),
        name=name,
        status=extra.pop("status", "Registered"),
        incorporated=min(d.appointed for d in directors),
        address=address,
        directors=directors,
        gst_number=f"1{serial:02d}-{(serial * 7331) % 1000:03d}-{(serial * 127) % 1000:03d}",
        **extra,
    )


def _clear_company(serial: int, r: RestaurantFixture) -> CompanyFixture:
    owner = DirectorFixture(r.owner[0], r.owner[1], r.owner[2], appointed=f"{2010 + r.index % 12}-03-01")
    directors: tuple[DirectorFixture, ...] = (owner,)
    if r.index % 3 == 0:  # a former director listed first: "first ACTIVE director" must skip them
        directors = (DirectorFixture("Graham", "", "PRENTICE", "2008-01-15", "2012-06-30"), owner)
    name = re.sub(r"\s*\([^)]*\)", "", r.name).strip().upper() + " LIMITED"
    domain = r.email.split("@", 1)[1]
    return _company(
        serial,
        name,
        Address.parse(r.address),
        directors,
        for_restaurant=r.name,
        right=True,
        phone=_phone_parts(r.phone),
        email=f"accounts@{domain}",
    )


def _written_company(
    serial: int, raw: dict[str, Any], by_name: dict[str, RestaurantFixture]
) -> CompanyFixture:
    restaurant = by_name.get(raw.get("for", ""))
    if raw.get("at") == "restaurant" and restaurant is not None:
        address = Address.parse(restaurant.address)
    else:
        address = Address.parse(raw["address"])
    directors = tuple(
        DirectorFixture(d["first"], d.get("middle", ""), d["last"], str(d["appointed"]),
                        str(d["ceased"]) if d.get("ceased") else None)
        for d in raw["directors"]
    )
    if raw.get("phone"):
        phone = _phone_parts(str(raw["phone"]))
    elif restaurant and raw.get("right"):
        phone = _phone_parts(restaurant.phone)
    else:
        phone = ("64", "9", f"{3000000 + serial}")
    email = raw.get("email") or f"office@{slugify(raw['name']).replace('-', '')[:63]}.example.nz"
    return _company(
        serial,
        raw["name"],
        address,
        directors,
        status=raw.get("status", "Registered"),
        for_restaurant=raw.get("for"),
        right=bool(raw.get("right")),
        phone=phone,
        email=email,
        trading_names=tuple(str(n) for n in raw.get("trading_names") or ()),
        number=raw.get("number"),
        nzbn=raw.get("nzbn"),
    )


def _check_company(doc: Located, i: int, row: Any, by_name: dict[str, RestaurantFixture]) -> None:
    path: Path_ = ("companies", i)
    _check_keys(doc, path, row, _COMPANY_KEYS)
    if row.get("for") is not None and row["for"] not in by_name:
        raise doc.error(f"no restaurant named {row['for']!r} in restaurants.yaml", (*path, "for"))
    if row.get("at") is not None and (row["at"] != "restaurant" or row.get("for") is None):
        raise doc.error("the only value is `restaurant` (with `for:` naming it)", (*path, "at"))
    if row.get("at") is None and not row.get("address"):
        raise doc.error("is required (or `at: restaurant`)", (*path, "address"))
    if row.get("address") and "," not in str(row["address"]):  # else street, town and postcode run together
        raise doc.error("must be written `number street, suburb, city postcode` (parts separated by commas)",
                        (*path, "address"))
    if not isinstance(row["directors"], list) or not row["directors"]:
        raise doc.error("must be a non-empty list", (*path, "directors"))
    for j, director in enumerate(row["directors"]):
        _check_keys(doc, (*path, "directors", j), director, _DIRECTOR_KEYS)
    if row.get("nzbn") is not None and not re.fullmatch(r"94\d{11}", str(row["nzbn"])):
        raise doc.error("must be 13 digits starting 94", (*path, "nzbn"))


@cache
def load_companies(directory: Path = FIXTURE_DIR) -> tuple[CompanyFixture, ...]:
    """Every register entry: generated clear matches first, then the hand-written hard cases."""
    directory = Path(directory)
    restaurants = load_restaurants(directory)
    companies = [_clear_company(r.index + 1, r) for r in restaurants if r.register_case == "clear"]
    file = directory / "companies.yaml"
    if not file.is_file():
        return tuple(companies)
    doc, rows = _document(file, "companies")
    by_name = {r.name: r for r in restaurants}
    generated = len(companies)
    for offset, row in enumerate(rows):
        _check_company(doc, offset, row, by_name)
        companies.append(_written_company(100 + offset, row, by_name))
    for key, label in (("number", "company number"), ("nzbn", "NZBN")):
        values = [getattr(c, key) for c in companies]
        for at, value in enumerate(values):
            if value in values[:at]:  # a written entry (generated ones come first and are unique)
                raise doc.error(f"{label} {value} appears twice", ("companies", at - generated, key))
    return tuple(companies)


def load_fixture_dir(directory: Path) -> tuple[tuple[RestaurantFixture, ...], tuple[CompanyFixture, ...]]:
    """A fixture directory's restaurants and register entries, checked (ManifestError when wrong)."""
    directory = Path(directory)
    if not (directory / "restaurants.yaml").is_file():
        raise ManifestError("a fixture directory needs restaurants.yaml", file=str(directory), line=None)
    return load_restaurants(directory), load_companies(directory)
