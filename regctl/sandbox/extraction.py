"""What the sandbox's extraction API "sees" on a page: menus, branding, markdown — from the fixtures.

Pages of the Companies Office register website (``app.companiesoffice.govt.nz``: the search page by
name or ``addressKeyword``, a company's detail page) are answered from the fixture companies
(:func:`companies_office_page`), in the rows the prior system's schema asked for.

There is no language model here, so a ``json`` scrape returns the fixture menu in one canonical shape
(below) and then keeps only what the request's schema asks for: an object schema's properties are
looked up by exact name, then ignoring case and ``_``, then through a few synonyms (``name`` ↔
``dishName``, ``items`` ↔ ``dishes``…). A schema that matches nothing gets the whole canonical menu.

Canonical menu::

    {"restaurantName": str, "categories": [{"categoryName": str, "items": [{
        "dishName": str, "dishPrice": float, "dishDescription": str, "imageUrl": str | None,
        "optionSets": [{"name", "required", "minSelections", "maxSelections",
                        "options": [{"name", "price": "+$1.50", "priceValue": 1.5}]}]}]}]}
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from regctl.sandbox.fixture_menus import FixtureOptionSet
from regctl.sandbox.fixtures import CompanyFixture, RestaurantFixture, slugify
from regctl.sandbox.register import search

REGISTER_HOST = "app.companiesoffice.govt.nz"
_REGISTER_SEARCH = "/companies/app/ui/pages/companies/search"
_REGISTER_DETAIL = re.compile(r"^/companies/app/ui/pages/companies/(\w+)(?:/detail)?/?$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

__all__ = ["branding_json", "companies_office_page", "menu_json", "menu_markdown", "project",
           "restaurant_for_url"]

JSON = dict[str, Any]

SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("dishname", "categoryname", "restaurantname"),
    "title": ("dishname", "categoryname"),
    "price": ("dishprice", "pricevalue"),
    "description": ("dishdescription",),
    "image": ("imageurl",),
    "photo": ("imageurl",),
    "dishes": ("items",),
    "menuitems": ("items",),
    "products": ("items",),
    "menu": ("categories",),
    "menucategories": ("categories",),
    "sections": ("categories",),
    "modifiers": ("optionsets",),
    "modifiergroups": ("optionsets",),
    "choices": ("options",),
    "isrequired": ("required",),
    "min": ("minselections",),
    "max": ("maxselections",),
}


def restaurant_for_url(url: str, restaurants: tuple[RestaurantFixture, ...]) -> RestaurantFixture | None:
    """The fixture behind a delivery-platform store URL, a sandbox site URL or its example.nz host."""
    parts = urlsplit(url)
    path = parts.path
    host = (parts.hostname or "").lower()
    for pattern in (r"/store/([a-z0-9-]+)", r"/sites/([a-z0-9-]+)"):
        match = re.search(pattern, path)
        if match:
            return next((r for r in restaurants if r.slug == match.group(1)), None)
    if host.endswith(".example.nz"):
        label = host.removeprefix("www.").split(".", 1)[0]
        return next((r for r in restaurants if r.slug.replace("-", "") == label), None)
    return None


def _register_date(iso: str) -> str:
    """``2012-09-03`` as the register's pages show it: ``03 Sep 2012``."""
    year, month, day = iso.split("-")
    return f"{day} {_MONTHS[int(month) - 1]} {year}"


def _register_row(c: CompanyFixture) -> JSON:
    return {
        "company_name": c.name,
        "company_number": c.number,
        "nzbn": c.nzbn,
        "status": c.status,
        "incorporation_date": _register_date(c.incorporated),
        "registered_address": c.address.full(),
    }


def companies_office_page(url: str, companies: tuple[CompanyFixture, ...]) -> tuple[str, JSON] | None:
    """What a scrape of the Companies Office register website sees: ``(title, content)``, else None.

    The search page (``…/companies/search?q=<name>&addressKeyword=<address>&entityStatusGroups=REGISTERED``)
    lists the matching companies as ``{"companies": [{company_name, company_number, nzbn, status,
    incorporation_date, registered_address}], "total_results"}`` — the rows the prior system's schema
    asked for (its companies-office-batch-service.js); a detail page (``…/companies/<number>/detail``)
    gives one company's row. Any other register URL is an empty page.
    """
    parts = urlsplit(url)
    if (parts.hostname or "").lower() != REGISTER_HOST:
        return None
    if parts.path.rstrip("/") == _REGISTER_SEARCH:
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        term, address = query.get("q", "").strip(), query.get("addressKeyword", "").strip()
        groups = {g.strip().upper() for g in query.get("entityStatusGroups", "").split(",") if g.strip()}
        found = search(companies, term=term, address=address, statuses=groups or None)
        return "Search - Companies Register", {"companies": [_register_row(c) for c in found],
                                               "total_results": len(found)}
    match = _REGISTER_DETAIL.match(parts.path)
    company = next((c for c in companies if match and c.number == match.group(1)), None)
    if company is None:
        return "Companies Register", {"companies": [], "total_results": 0}
    return f"{company.name} ({company.number}) - Companies Register", {"company_info": _register_row(company)}


def _option_set_json(o: FixtureOptionSet) -> JSON:
    return {
        "name": o.name,
        "required": o.required,
        "minSelections": o.min_selections,
        "maxSelections": o.max_selections,
        "options": [{"name": n, "price": f"+${p:.2f}" if p else "", "priceValue": p} for n, p in o.options],
    }


def menu_json(r: RestaurantFixture, base_url: str) -> JSON:
    """The canonical menu of ``r``; image URLs point at this sandbox (``base_url``)."""
    option_sets = r.option_sets()
    images = f"{base_url.rstrip('/')}/sites/{r.slug}/images"
    return {
        "restaurantName": r.name,
        "categories": [
            {
                "categoryName": category.name,
                "items": [
                    {
                        "dishName": item.name,
                        "dishPrice": item.price,
                        "dishDescription": item.description,
                        "imageUrl": f"{images}/{slugify(item.name)}.jpg" if item.has_image else None,
                        "optionSets": [_option_set_json(option_sets[n]) for n in item.option_sets],
                    }
                    for item in category.items
                ],
            }
            for category in r.menu()
        ],
    }


def menu_markdown(r: RestaurantFixture) -> str:
    lines = [f"# {r.name}", ""]
    for category in r.menu():
        lines += [f"## {category.name}", ""]
        lines += [f"- **{i.name}** — ${i.price:.2f}  \n  {i.description}" for i in category.items]
        lines.append("")
    if r.website_footer:
        lines += ["---", r.website_footer, ""]
    return "\n".join(lines)


def _key(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _lookup(value: JSON, wanted: str) -> tuple[bool, Any]:
    if wanted in value:
        return True, value[wanted]
    folded = {_key(k): k for k in value}
    for candidate in (_key(wanted), *SYNONYMS.get(_key(wanted), ())):
        if candidate in folded:
            return True, value[folded[candidate]]
    return False, None


def _coerce(value: Any, schema: JSON) -> Any:
    kind = schema.get("type")
    if kind == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.2f}"
    if kind in ("number", "integer") and isinstance(value, str):
        digits = re.sub(r"[^0-9.]", "", value)
        return float(digits) if digits else 0.0
    return value


def project(value: Any, schema: Any) -> Any:
    """``value`` reduced to what ``schema`` (a JSON Schema) asks for; see the module docstring."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, list):
        return [project(v, schema.get("items", {})) for v in value]
    properties = schema.get("properties")
    if isinstance(value, dict) and isinstance(properties, dict):
        out: JSON = {}
        for name, sub in properties.items():
            found, raw = _lookup(value, name)
            if found:
                out[name] = project(raw, sub)
        return out or value
    return _coerce(value, schema)


def branding_json(r: RestaurantFixture, base_url: str) -> JSON:
    """Firecrawl's BrandingProfile for ``r``'s website (colours, fonts, logo, favicon, og:image)."""
    site = f"{base_url.rstrip('/')}/sites/{r.slug}"
    dark = r.theme == "dark"
    background, text = ("#111111", "#F5F5F5") if dark else ("#FFFFFF", "#1A1A1A")
    logo = f"{site}/logo.svg" if r.index % 2 == 0 else f"{site}/logo.png"
    return {
        "colorScheme": r.theme,
        "logo": logo,
        "colors": {
            "primary": r.primary_colour,
            "secondary": text,  # often a neutral on real pages; the brand's second colour is accent
            "accent": r.secondary_colour,
            "background": background,
            "textPrimary": text,
            "textSecondary": "#8A8A8A",
            "link": r.primary_colour,
        },
        "fonts": [{"family": "Gabarito"}, {"family": "Inter"}],
        "typography": {"fontFamilies": {"primary": "Inter", "heading": "Gabarito"}},
        "components": {
            "buttonPrimary": {"background": r.primary_colour, "textColor": text, "borderRadius": "8px"},
            "buttonSecondary": {
                "background": r.secondary_colour,
                "textColor": background,
                "borderRadius": "8px",
            },
        },
        "images": {"logo": logo, "favicon": f"{site}/favicon.png", "ogImage": f"{site}/og.jpg"},
    }
