"""Gather the evidence the matcher weighs, for search_companies to store with its candidates.

Three sources beyond the search results themselves: the companies the restaurant's website names
(:func:`printed_companies`, added to the candidates), each candidate's register entry (addresses,
phones, e-mails, directors, trading names — one NZBN entity read per candidate, at most
:data:`MAX_DETAILED`, address hits first) and the restaurant's own website (home page plus at most
:data:`MAX_EXTRA_PAGES` linked terms/privacy/about/contact pages, fetched natively like
extract_branding's default source, or through the extraction API with ``with: {website_source:
extraction}``) for a printed legal name or NZBN. Neither source failing fails the
step: a missing register entry or an unreachable website only means less evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any
from urllib.parse import urljoin, urlsplit

from regctl.errors import PermanentStepError, RateLimited, RetryableStepError
from regctl.matching import Facts, WebsiteFacts, legal_facts, score_candidates
from regctl.matching.website import terms_links
from regctl.providers.company_register import CompanyRegister, candidate_from_entity
from regctl.providers.extraction import ExtractionApi
from regctl.providers.http import Refused
from regctl.providers.website import Website
from regctl.steps.base import StepContext
from regctl.steps.onboarding.enrich_common import extraction_api

__all__ = ["MAX_DETAILED", "MAX_EXTRA_PAGES", "printed_companies", "read_website", "register_facts", "score",
           "website_facts"]

JSON = dict[str, Any]
MAX_DETAILED = 10
MAX_EXTRA_PAGES = 2
MAX_PRINTED = 2  # NZBNs and legal names looked up from what the website prints


def _compact(details: Mapping[str, Any]) -> JSON:
    """The parts of a register entry the matcher reads (kept with the candidate, so review shows them)."""
    directors = [{"name": d.get("name", ""), "active": not d.get("cessation_date")
                  and str(d.get("status") or "active").lower() in ("active", "current", "registered", "")}
                 for d in details.get("directors") or []]
    return {"addresses": [a.get("full_address", "") for a in details.get("addresses") or []
                          if a.get("full_address")],
            "phones": list(details.get("phone_numbers") or []),
            "emails": list(details.get("email_addresses") or []),
            "directors": directors, "trading_names": list(details.get("trading_names") or [])}


def _detail_order(candidate: Mapping[str, Any]) -> tuple[bool, float]:
    return (candidate.get("match_source") == "name", -float(candidate.get("similarity") or 0.0))


def _nzbn_of(register: CompanyRegister, candidate: Mapping[str, Any]) -> str:
    """The candidate's NZBN; a Companies Office row may lack it (the page did not show it), so the NZBN
    API is searched by the company's name for the entry with the same company number."""
    if candidate.get("nzbn") or not candidate.get("company_name"):
        return str(candidate.get("nzbn") or "")
    number = str(candidate.get("company_number") or "")
    found = register.search_by_name(str(candidate["company_name"]))
    same = [c for c in found if c["company_number"] == number]
    return str(same[0]["nzbn"]) if same else ""


def register_facts(register: CompanyRegister, candidates: Sequence[Mapping[str, Any]]) -> list[JSON]:
    """The candidates, each of the first :data:`MAX_DETAILED` with its ``register`` entry attached."""
    wanted = {id(c) for c in sorted(candidates, key=_detail_order)[:MAX_DETAILED]}
    out = []
    for candidate in candidates:
        enriched = dict(candidate)
        nzbn = _nzbn_of(register, candidate) if id(candidate) in wanted else ""
        if nzbn:
            enriched["nzbn"] = nzbn
            with suppress(Refused):  # no entry to read: the candidate keeps only its search evidence
                enriched["register"] = _compact(register.details(nzbn))
        out.append(enriched)
    return out


Fetch = Callable[[str], str | None]  # a page's HTML, or None when it cannot be read


def _native(site: Website) -> Fetch:
    def fetch(url: str) -> str | None:
        try:
            return site.request("GET", url).text
        except (RetryableStepError, PermanentStepError):
            return None
    return fetch


def _extraction(api: ExtractionApi) -> Fetch:
    def fetch(url: str) -> str | None:
        try:
            data = api.scrape(url, ["rawHtml"])
        except RateLimited:
            raise  # the step waits for its token, as every extraction call does
        except (RetryableStepError, PermanentStepError):
            return None
        return str(data.get("rawHtml") or "") or None
    return fetch


def website_facts(url: str | None, fetch: Fetch) -> WebsiteFacts:
    """Legal names and NZBNs printed on the home page and its linked terms-like pages."""
    home = fetch(url) if url else None
    if url is None or home is None:
        return WebsiteFacts()
    facts = legal_facts(home, url)
    host = urlsplit(url).hostname
    for link in terms_links(home)[:MAX_EXTRA_PAGES]:
        target = urljoin(url, link)
        page = fetch(target) if urlsplit(target).hostname == host else None
        if page is not None:
            facts = facts.merged(legal_facts(page, target))
    return facts


def read_website(ctx: StepContext, url: str | None) -> WebsiteFacts:
    """:func:`website_facts` through the source ``with: {website_source}`` names: ``native`` (default,
    one GET per page, like extract_branding) or ``extraction`` (the extraction API's ``rawHtml``,
    rate-limited)."""
    source = str(ctx.params.get("website_source") or "native")
    if source == "native":
        with Website() as site:
            return website_facts(url, _native(site))
    if source == "extraction":
        with extraction_api(ctx) as api:
            return website_facts(url, _extraction(api))
    raise PermanentStepError(f"search_companies: website_source must be native or extraction, not {source!r}")


def printed_companies(register: CompanyRegister, site: WebsiteFacts) -> list[JSON]:
    """Register entries the website names — each printed NZBN read, each printed legal name searched —
    so a company trading under another name at another address is still found."""
    found: list[JSON] = []
    for nzbn in site.nzbns[:MAX_PRINTED]:
        with suppress(Refused):  # a mistyped or foreign NZBN: nothing to read
            entity = register.entity(nzbn)
            if entity:
                found.append(candidate_from_entity(entity))
    for name in site.legal_names[:MAX_PRINTED]:
        found.extend(register.search_by_name(name))
    return found


def score(ctx: StepContext, register: CompanyRegister, candidates: Sequence[Mapping[str, Any]],
          site: WebsiteFacts) -> list[JSON]:
    """The candidates with register facts, ``evidence``, ``score`` and ``eligible``, best first."""
    ctx.check_cancelled()
    detailed = register_facts(register, candidates)
    return score_candidates(Facts.of(ctx.restaurant, site), detailed)
