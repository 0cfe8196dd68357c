"""What each sandbox fixture should yield — the expectations written to ``fixtures/ground_truth.json``.

Enrichment tests compare a run against this file. The rules behind the derived fields:

* **tags** come from markers in item names only: (V) Vegetarian, (VE)/(VG) Vegan, (GF) Gluten Free,
  (DF) Dairy Free, (NF) Nut Free, (H) Halal, the word "Spicy" → Spicy, "Gluten Free" → Gluten Free.
  Other parentheses (e.g. "(Saveloy)") are part of the name. Descriptions carry no tag words.
* **company queries** follow reference §3: name with every ``(…)`` removed; street cut after the first
  whole-word street type (else the first three words) plus the city.
* **candidates** = name search ∪ address search (all statuses), de-duplicated by company number.
* **auto_single_strong_match** = the only REGISTERED candidate whose name equals the name query once
  both are folded (case, macrons, apostrophes, punctuation) and a trailing LIMITED/LTD is dropped —
  i.e. what a similarity ≥ 0.9 policy should pick; ``null`` when there are none or several.
* **chosen company** = the right company for the restaurant (what a person would pick); its first
  *active* director (list order) gives ``full_legal_name`` (register casing) and ``contact_name``
  (Python ``str.title()``); no active director → both ``null``.

Regenerate after changing fixtures: ``python -m regctl.sandbox.ground_truth``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from regctl.sandbox.fixtures import FIXTURE_DIR, CompanyFixture, RestaurantFixture, fold, load_companies
from regctl.sandbox.fixtures import load_restaurants as _restaurants
from regctl.sandbox.register import search

__all__ = ["GROUND_TRUTH_FILE", "address_query", "ground_truth", "name_query", "tags_of"]

JSON = dict[str, Any]
GROUND_TRUTH_FILE = FIXTURE_DIR / "ground_truth.json"
MARKERS = {
    "V": "Vegetarian",
    "VE": "Vegan",
    "VG": "Vegan",
    "GF": "Gluten Free",
    "DF": "Dairy Free",
    "NF": "Nut Free",
    "H": "Halal",
}
STREET_TYPES = (
    "street",
    "road",
    "avenue",
    "lane",
    "place",
    "way",
    "crescent",
    "drive",
    "terrace",
    "boulevard",
    "court",
    "close",
    "parade",
    "highway",
    "grove",
    "rise",
    "mews",
    "quay",
    "esplanade",
    "square",
    "walk",
    "path",
    "row",
)


def tags_of(name: str) -> list[str]:
    tags = {MARKERS[m] for m in re.findall(r"\((VE|VG|GF|DF|NF|V|H)\)", name)}
    if re.search(r"\bspicy\b", name, re.I):
        tags.add("Spicy")
    if re.search(r"\bgluten free\b", name, re.I):
        tags.add("Gluten Free")
    return sorted(tags)


def clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\((?:VE|VG|GF|DF|NF|V|H)\)", "", name)).strip()


def name_query(name: str) -> str:
    cleaned = re.sub(r"\s+", " ", re.sub(r"\([^)]*\)", "", name)).strip()
    return cleaned or name


def address_query(address: str, city: str) -> str:
    pattern = r"\b(" + "|".join(STREET_TYPES) + r")\b"
    match = re.search(pattern, address, re.I)
    street = address[: match.end()] if match else " ".join(address.split()[:3])
    return f"{street.strip().rstrip(',')} {city}".strip()


def _company_key(name: str) -> str:
    return re.sub(r"\s+(limited|ltd)$", "", fold(name))


def _menu_truth(r: RestaurantFixture) -> JSON:
    items = [(c.name, i) for c in r.menu() for i in c.items]
    tag_counts: dict[str, int] = {}
    for _, item in items:
        for tag in tags_of(item.name):
            tag_counts[tag] = tag_counts.get(tag, 0) + 1
    return {
        "categories": len(r.menu()),
        "items": len(items),
        "items_with_images": sum(1 for _, i in items if i.has_image),
        "option_sets": len(r.option_sets()),
        "option_set_names": sorted(r.option_sets()),
        "items_with_option_sets": sum(1 for _, i in items if i.option_sets),
        "tag_counts": dict(sorted(tag_counts.items())),
        "tags": sorted(tag_counts),
        "item_list": [
            {
                "category": c,
                "name": i.name,
                "clean_name": clean_name(i.name),
                "price": i.price,
                "tags": tags_of(i.name),
                "option_sets": list(i.option_sets),
            }
            for c, i in items
        ],
    }


def _chosen_truth(c: CompanyFixture | None) -> JSON | None:
    if c is None:
        return None
    active = next((d for d in c.directors if d.active), None)
    return {
        "company_number": c.number,
        "nzbn": c.nzbn,
        "company_name": c.name,
        "status": c.status,
        "gst_number": c.gst_number,
        "contact_email": c.email,
        "contact_phone": "+" + "".join(c.phone),
        "full_legal_name": active.full_name if active else None,
        "contact_name": active.full_name.title() if active else None,
        "directors": [{"name": d.full_name, "active": d.active} for d in c.directors],
    }


def _company_truth(r: RestaurantFixture, companies: tuple[CompanyFixture, ...]) -> JSON:
    nq, aq = name_query(r.name), address_query(r.address, r.city)
    merged: dict[str, CompanyFixture] = {}
    for c in [*search(companies, term=nq), *search(companies, address=aq)]:
        merged.setdefault(c.number, c)
    strong = [c for c in merged.values() if c.status == "Registered" and _company_key(c.name) == fold(nq)]
    right = next((c for c in companies if c.for_restaurant == r.name and c.right), None)
    return {
        "case": r.register_case,
        "name_query": nq,
        "address_query": aq,
        "by_name": [c.number for c in search(companies, term=nq)],
        "by_address": [c.number for c in search(companies, address=aq)],
        "candidate_count": len(merged),
        "candidate_numbers": list(merged),
        "registered_candidate_count": sum(1 for c in merged.values() if c.status == "Registered"),
        "auto_single_strong_match": strong[0].number if len(strong) == 1 else None,
        "chosen": _chosen_truth(right),
    }


def _fixture_truth(r: RestaurantFixture, companies: tuple[CompanyFixture, ...]) -> JSON:
    logo = "logo.svg" if r.index % 2 == 0 else "logo.png"
    return {
        "name": r.name,
        "slug": r.slug,
        "email": r.email,
        "phone": r.phone,
        "address": r.address,
        "city": r.city,
        "already_registered": r.already_registered,
        "has_website": r.has_website,
        "has_menu_source": r.has_menu_source,
        "ubereats_url": r.ubereats_url if r.has_menu_source else None,
        "opening_hours": r.opening_hours(),
        "closed_days": r.closed_days(),
        "past_midnight_days": sorted({h["day"] for h in r.opening_hours() if h["close"] < h["open"]}),
        "branding": {
            "primary_colour": r.primary_colour,
            "secondary_colour": r.secondary_colour,
            "theme": r.theme,
            "logo_path": f"/sites/{r.slug}/{logo}",
            "favicon_path": f"/sites/{r.slug}/favicon.png",
            "og_image_path": f"/sites/{r.slug}/og.jpg",
        }
        if r.has_website
        else None,
        "menu": _menu_truth(r) if r.has_menu_source else None,
        "company": _company_truth(r, companies),
    }


def ground_truth() -> JSON:
    companies = load_companies()
    return {
        "rules": "see regctl/sandbox/ground_truth.py",
        "restaurants": {r.slug: _fixture_truth(r, companies) for r in _restaurants()},
    }


def render() -> str:
    return json.dumps(ground_truth(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    GROUND_TRUTH_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {GROUND_TRUTH_FILE}")
