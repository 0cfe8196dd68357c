"""The Companies Office public register website, searched through the extraction API (Firecrawl).

The Companies Office has no open search API: the prior system (Pumpdnz/restaurant-menu-automation,
``companies-office-batch-service.js``) scraped its search page with a Firecrawl ``json`` format, by
name (``q=<name>``) and by address (``q=&addressKeyword=<street city>``). The NZBN API has no address
search, so this is the only address search there is. This module does the same:

    POST {extraction_api}/v2/scrape
    {"url": "https://app.companiesoffice.govt.nz/companies/app/ui/pages/companies/search?q=&
             entityStatusGroups=REGISTERED&addressKeyword=148%20Ponsonby%20Road%20Auckland&
             advancedPanel=true&mode=advanced#results",
     "formats": [{"type": "json", "schema": SEARCH_SCHEMA, "prompt": SEARCH_PROMPT}],
     "waitFor": 4000, "onlyMainContent": true, "removeBase64Images": true, "timeout": 120000}
    → {"success": true, "data": {"json": {"companies": [{company_name, company_number, nzbn, status,
                                                         incorporation_date, registered_address}],
                                          "total_results": 1}, "metadata": {…}}}

The public face (stable; the company matcher builds on it):

* :meth:`CompaniesOffice.search_by_name` ``(name, *, registered_only=True) -> list[Candidate]``
* :meth:`CompaniesOffice.search_by_address` ``(street, city="", *, registered_only=True) -> list[Candidate]``
* a *Candidate* is a dict with exactly the keys of :data:`CANDIDATE_FIELDS` — the same keys
  :func:`regctl.providers.company_register.candidate_from_entity` gives for an NZBN search item, all
  strings (``""`` when the page did not show it): ``company_name, company_number, nzbn, status,
  incorporation_date, registered_address, entity_type``. Rows without a company number are dropped;
  duplicates (same number) are kept once, in page order.

Every search is one extraction call: it takes a token of the shared ``extraction_api`` limit (the
client's ``before_request``) and raises what :class:`~regctl.providers.extraction.ExtractionApi`
raises (RateLimited with the service's wait, RetryableStepError, PermanentStepError).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from regctl.providers.extraction import ExtractionApi
from regctl.targets import Target

__all__ = [
    "CANDIDATE_FIELDS",
    "SEARCH_PAGE",
    "SEARCH_PROMPT",
    "SEARCH_SCHEMA",
    "CompaniesOffice",
    "address_search_url",
    "candidates_from_page",
    "detail_url",
    "name_search_url",
]

SEARCH_PAGE = "https://app.companiesoffice.govt.nz/companies/app/ui/pages/companies/search"
DETAIL_PAGE = "https://app.companiesoffice.govt.nz/companies/app/ui/pages/companies/{number}/detail"
WAIT_FOR_MS = 4000  # the register is a single-page app: give it time to render the results

CANDIDATE_FIELDS = ("company_name", "company_number", "nzbn", "status", "incorporation_date",
                    "registered_address", "entity_type")

SEARCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "companies": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "company_name": {"type": "string", "description": "Full legal company name"},
                    "company_number": {"type": "string", "description": "Company registration number"},
                    "nzbn": {"type": "string", "description": "New Zealand Business Number (13 digits)"},
                    "status": {"type": "string",
                               "description": "Entity status: Registered, In liquidation, Removed, etc."},
                    "incorporation_date": {"type": "string", "description": "Date of incorporation"},
                    "registered_address": {"type": "string", "description": "Registered office address"},
                },
                "required": ["company_name", "company_number"],
            },
        },
        "total_results": {"type": "integer", "description": "Total number of results found"},
    },
}
SEARCH_PROMPT = ("Extract all company search results from this Companies Register search page. For each "
                 "company capture the full legal name exactly as shown, the company number, the 13-digit "
                 "NZBN if shown, the status (Registered, In liquidation, Removed, ...), the incorporation "
                 "date and the registered address if shown. Count the total results in total_results. "
                 "Only extract data visible on the page; leave fields empty when not visible; extract "
                 "every result shown.")


def _search_url(query: str, address: str, registered_only: bool) -> str:
    status = "&entityStatusGroups=REGISTERED" if registered_only else ""
    keyword = f"&addressKeyword={quote(address, safe='')}" if address else ""
    tail = "&advancedPanel=true&mode=advanced#results"
    return f"{SEARCH_PAGE}?q={quote(query, safe='')}{status}{keyword}{tail}"


def name_search_url(name: str, *, registered_only: bool = True) -> str:
    """The register's search page for a company name."""
    return _search_url(name.strip(), "", registered_only)


def address_search_url(street: str, city: str = "", *, registered_only: bool = True) -> str:
    """The register's advanced search page for an address keyword (``street city``), name left empty."""
    return _search_url("", " ".join(p for p in (street.strip(), city.strip()) if p), registered_only)


def detail_url(company_number: str) -> str:
    return DETAIL_PAGE.format(number=quote(company_number.strip(), safe=""))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # a model may give an address as its lines
        return ", ".join(_text(v) for v in value if _text(v))
    return " ".join(str(value).split())


def candidates_from_page(extracted: Any) -> list[dict[str, Any]]:
    """The candidates on one extracted search page (the ``json`` of the scrape), numbered rows only."""
    rows = extracted.get("companies") if isinstance(extracted, Mapping) else None
    found: dict[str, dict[str, Any]] = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, Mapping):
            continue
        candidate = {field: _text(row.get(field)) for field in CANDIDATE_FIELDS}
        number = candidate["company_number"]
        if number and number not in found:
            found[number] = candidate
    return list(found.values())


class CompaniesOffice:
    """Searches of the Companies Office register website through an :class:`ExtractionApi`."""

    def __init__(self, extraction: ExtractionApi) -> None:
        self.extraction = extraction

    @classmethod
    def for_target(cls, target: Target, *, transport: httpx.BaseTransport | None = None,
                   before_request: Callable[[], None] | None = None) -> CompaniesOffice:
        return cls(ExtractionApi.for_target(target, transport=transport, before_request=before_request))

    def close(self) -> None:
        self.extraction.close()

    def __enter__(self) -> CompaniesOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _search(self, url: str) -> list[dict[str, Any]]:
        formats = [{"type": "json", "schema": SEARCH_SCHEMA, "prompt": SEARCH_PROMPT}]
        data = self.extraction.scrape(url, formats, wait_for_ms=WAIT_FOR_MS, only_main_content=True,
                                      removeBase64Images=True)
        return candidates_from_page(data.get("json"))

    def search_by_name(self, name: str, *, registered_only: bool = True) -> list[dict[str, Any]]:
        """Companies whose name matches ``name`` (the register's own search)."""
        return self._search(name_search_url(name, registered_only=registered_only)) if name.strip() else []

    def search_by_address(self, street: str, city: str = "", *,
                          registered_only: bool = True) -> list[dict[str, Any]]:
        """Companies with an address matching ``street city`` (the register's ``addressKeyword``)."""
        if not (street.strip() or city.strip()):
            return []
        return self._search(address_search_url(street, city, registered_only=registered_only))
