"""The company register: search semantics and NZBN API v5 JSON shapes for the fixture companies.

Search (the sandbox's defined semantics, documented in docs/sandbox.md): both the search term and
the candidate text are folded (case, macrons, apostrophes, punctuation ignored) and split into
words; an entity matches when *every* word of the term is one of its words. ``search-term``
looks at the entity name and trading names; ``address-keyword`` at its addresses.
"""

from __future__ import annotations

from typing import Any

from regctl.sandbox.fixtures import CompanyFixture, DirectorFixture, fold

__all__ = ["entity_json", "search", "search_item_json", "search_page_json"]

JSON = dict[str, Any]

STATUS_CODES = {"Registered": "50", "Removed": "80"}


def _words(text: str) -> set[str]:
    return set(fold(text).split())


def _matches(term: str, texts: list[str]) -> bool:
    wanted = _words(term)
    if not wanted:
        return False
    have: set[str] = set()
    for text in texts:
        have |= _words(text)
    return wanted <= have


def search(
    companies: tuple[CompanyFixture, ...],
    *,
    term: str = "",
    address: str = "",
    statuses: set[str] | None = None,
) -> list[CompanyFixture]:
    """Entities matching the name term and/or the address keyword (both must match when both given)."""
    found = []
    for company in companies:
        if term and not _matches(term, [company.name, *company.trading_names]):
            continue
        if address and not _matches(address, [company.address.full()]):
            continue
        if (
            statuses
            and STATUS_CODES.get(company.status, "") not in statuses
            and company.status.upper() not in statuses
        ):
            continue
        if term or address:
            found.append(company)
    return found


def search_item_json(c: CompanyFixture) -> JSON:
    """One item of ``GET /entities``' ``items`` (the v5 SearchEntity shape)."""
    return {
        "entityStatusCode": STATUS_CODES.get(c.status, "50"),
        "entityName": c.name,
        "nzbn": c.nzbn,
        "entityTypeCode": "LTD",
        "entityTypeDescription": "NZ Limited Company",
        "entityStatusDescription": c.status,
        "registrationDate": f"{c.incorporated}T00:00:00.000+1200",
        "sourceRegister": "COMPANY",
        "sourceRegisterUniqueId": c.number,
        "tradingNames": [{"name": n} for n in c.trading_names],
        "classifications": [
            {"classificationCode": "H451110", "classificationDescription": "Restaurant operation"}
        ],
        "previousEntityNames": [],
        "links": [{"rel": "self", "href": f"/entities/{c.nzbn}"}],
    }


def search_page_json(found: list[CompanyFixture], page: int, page_size: int) -> JSON:
    start = page * page_size
    return {
        "pageSize": page_size,
        "page": page,
        "totalItems": len(found),
        "sortBy": "entityName",
        "sortOrder": "ASC",
        "items": [search_item_json(c) for c in found[start : start + page_size]],
    }


def _address_json(c: CompanyFixture, address_type: str) -> JSON:
    a = c.address
    return {
        "uniqueIdentifier": f"{c.number}-{address_type}",
        "startDate": f"{c.incorporated}T00:00:00.000+1200",
        "endDate": None,
        "addressType": address_type,
        "address1": a.street,
        "address2": a.suburb or None,
        "address3": a.city,
        "address4": None,
        "postCode": a.postcode,
        "countryCode": "NZ",
        "careOf": None,
        "pafId": None,
    }


def _role_json(c: CompanyFixture, d: DirectorFixture) -> JSON:
    return {
        "roleType": "DIR",
        "roleTypeDescription": "Director",
        "roleStatus": "ACTIVE" if d.active else "INACTIVE",
        "startDate": f"{d.appointed}T00:00:00.000+1200",
        "endDate": f"{d.ceased}T00:00:00.000+1200" if d.ceased else None,
        "rolePerson": {
            "title": None,
            "firstName": d.first,
            "middleNames": d.middle or None,
            "lastName": d.last,
        },
        "roleEntity": None,
        "roleAddress": [
            {
                "address1": c.address.street,
                "address3": c.address.city,
                "postCode": c.address.postcode,
                "countryCode": "NZ",
            }
        ],
    }


def _shareholding_json(c: CompanyFixture) -> JSON:
    holders = [d for d in c.directors if d.active] or list(c.directors[:1])
    per = 1000 // max(1, len(holders))
    return {
        "numberOfShares": per * len(holders),
        "shareAllocation": [
            {
                "allocation": per,
                "shareholder": [
                    {
                        "type": "Individual",
                        "appointmentDate": f"{d.appointed}T00:00:00.000+1200",
                        "individualShareholder": {
                            "firstName": d.first,
                            "middleNames": d.middle or None,
                            "lastName": d.last,
                            "fullName": d.full_name,
                        },
                        "otherShareholder": None,
                        "shareholderAddress": {
                            "address1": c.address.street,
                            "address3": c.address.city,
                            "postCode": c.address.postcode,
                            "countryCode": "NZ",
                        },
                    }
                ],
            }
            for d in holders
        ],
    }


def entity_json(c: CompanyFixture) -> JSON:
    """``GET /entities/{nzbn}`` (the v5 FullEntity shape, the parts regctl reads)."""
    country, area, number = c.phone
    return {
        **{k: v for k, v in search_item_json(c).items() if k not in {"links", "sourceRegisterUniqueId"}},
        "sourceRegisterUniqueIdentifier": c.number,
        "lastUpdatedDate": "2026-01-01T00:00:00.000+1300",
        "australianBusinessNumber": None,
        "emailAddresses": [
            {
                "uniqueIdentifier": f"{c.number}-e1",
                "emailAddress": c.email,
                "emailPurpose": "Email",
                "emailPurposeDescription": "Email",
                "startDate": f"{c.incorporated}T00:00:00.000+1200",
            }
        ]
        if c.email
        else [],
        "phoneNumbers": [
            {
                "uniqueIdentifier": f"{c.number}-p1",
                "phoneCountryCode": country,
                "phoneAreaCode": area,
                "phoneNumber": number,
                "phonePurpose": "Phone",
                "phonePurposeDescription": "Phone",
                "startDate": f"{c.incorporated}T00:00:00.000+1200",
            }
        ],
        "gstNumbers": [
            {
                "uniqueIdentifier": f"{c.number}-g1",
                "gstNumber": c.gst_number,
                "purpose": "Sales",
                "purposeDescription": "Sales",
                "startDate": f"{c.incorporated}T00:00:00.000+1200",
            }
        ]
        if c.gst_number
        else [],
        "websites": [],
        "addresses": {
            "links": [],
            "addressList": [_address_json(c, "REGISTERED"), _address_json(c, "SERVICE")],
        },
        "roles": [_role_json(c, d) for d in c.directors],
        "company-details": {
            "annualReturnFilingMonth": 3,
            "countryOfOrigin": "NZ",
            "extensiveShareholding": False,
            "shareholding": _shareholding_json(c),
            "ultimateHoldingCompany": {"yn": False},
        },
        "industryClassifications": [
            {"classificationCode": "H451110", "classificationDescription": "Restaurant operation"}
        ],
    }
