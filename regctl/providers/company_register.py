"""The company register: NZBN API v5 (search by name; entity detail).

The NZBN API has no address search: searching by address is the Companies Office register website's
``addressKeyword`` search, through the extraction API (:mod:`regctl.providers.companies_office`).

Shapes follow the public NZBN API v5 (``/entities?search-term=…``, ``/entities/{nzbn}``; the
subscription key goes in ``Ocp-Apim-Subscription-Key``). Results are turned into plain dicts:
a *candidate* (``company_name, company_number, nzbn, status, incorporation_date,
registered_address, entity_type``) and *details* (directors, shareholders, addresses, GST numbers,
e-mails, phones, and the raw record).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any

import httpx

from regctl.providers.http import HttpProvider, Refused, parse_retry_after
from regctl.targets import Target

__all__ = ["STATUS_NAMES", "CompanyRegister", "candidate_from_entity", "details_from_entity"]

KEY_HEADER = "Ocp-Apim-Subscription-Key"
PAGE_SIZE = 50
# Azure API Management's 429: Retry-After, and the same wait in its message
_APIM_WAIT = re.compile(r"try again in (\d+(?:\.\d+)?) seconds?", re.IGNORECASE)


def _first(*values: Any) -> Any:
    return next((v for v in values if v not in (None, "", [])), None)


def _address_text(address: Mapping[str, Any]) -> str:
    if address.get("fullAddress") or address.get("full_address"):
        return str(address.get("fullAddress") or address.get("full_address"))
    parts = [address.get(f"address{i}") for i in range(1, 5)] + [address.get("postCode")]
    return ", ".join(str(p) for p in parts if p)


def _addresses(entity: Mapping[str, Any]) -> list[dict[str, Any]]:
    raw = entity.get("addresses") or []
    if isinstance(raw, Mapping):
        raw = raw.get("addressList") or []
    return [{"address_type": a.get("addressType", ""), "full_address": _address_text(a)} for a in raw]


def _registered_address(entity: Mapping[str, Any]) -> str:
    if entity.get("registeredAddress"):
        value = entity["registeredAddress"]
        if isinstance(value, list):  # v5 search items give a list of addresses
            value = next((v for v in value if isinstance(v, Mapping)), {})
        return _address_text(value) if isinstance(value, Mapping) else str(value)
    addresses = _addresses(entity)
    registered = [a for a in addresses if "REGISTERED" in str(a["address_type"]).upper()]
    return str(_first(*(a["full_address"] for a in registered + addresses)) or "")


# NZBN entity status codes (entityStatusCode) for items that carry no entityStatusDescription.
STATUS_NAMES = {"50": "Registered", "62": "In Liquidation", "70": "In Receivership", "80": "Removed",
                "90": "Inactive"}


def _status(entity: Mapping[str, Any]) -> str:
    code = str(entity.get("entityStatusCode") or "")
    return str(_first(entity.get("entityStatusDescription"), STATUS_NAMES.get(code), code) or "")


def _is_director(role: Mapping[str, Any]) -> bool:
    """v5 roles say ``roleType: "DIR"`` (``roleTypeDescription: "Director"``)."""
    kind = str(role.get("roleType") or "").upper()
    described = str(role.get("roleTypeDescription") or "").upper()
    return kind == "DIR" or "DIRECTOR" in kind or "DIRECTOR" in described


def candidate_from_entity(entity: Mapping[str, Any]) -> dict[str, Any]:
    """A search item (or full entity) as a candidate company."""
    return {
        "company_name": entity.get("entityName", ""),
        "company_number": str(_first(entity.get("sourceRegisterUniqueId"),
                                     entity.get("sourceRegisterUniqueIdentifier"),
                                     entity.get("companyNumber"), entity.get("nzbn")) or ""),
        "nzbn": str(entity.get("nzbn") or ""),
        "status": _status(entity),
        "incorporation_date": entity.get("registrationDate") or "",
        "registered_address": _registered_address(entity),
        "entity_type": _first(entity.get("entityTypeDescription"), entity.get("entityTypeCode")) or "",
    }


def _person_name(person: Mapping[str, Any]) -> str:
    parts = (person.get("firstName"), person.get("middleNames"), person.get("lastName"))
    return " ".join(str(p) for p in parts if p)


def _role_address(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else {}
    return _address_text(value) if isinstance(value, Mapping) else str(value or "")


def _director(role: Mapping[str, Any]) -> dict[str, Any]:
    person = role.get("rolePerson") or {}
    name = _person_name(person) or str((role.get("roleEntity") or {}).get("entityName") or "")
    return {
        "name": name,
        "full_legal_name": name,
        "position": role.get("roleTypeDescription") or "Director",  # only directors come here
        "appointment_date": role.get("startDate") or "",
        "cessation_date": role.get("endDate") or "",
        "status": role.get("roleStatus") or "",
        "address": _role_address(role.get("roleAddress")),
    }


def _shareholders(entity: Mapping[str, Any]) -> list[dict[str, Any]]:
    details = entity.get("company-details") or entity.get("companyDetails") or {}
    holding = details.get("shareholding") or {}
    found = []
    for allocation in holding.get("shareAllocation") or []:
        for holder in allocation.get("shareholders") or allocation.get("shareholder") or []:
            person = holder.get("individualShareholder") or {}
            other = holder.get("otherShareholder") or {}
            name = (person.get("fullName") or _person_name(person) or other.get("currentEntityName")
                    or other.get("entityName") or "")
            found.append({"name": name, "shareholder_type": holder.get("type", ""),
                          "shares": allocation.get("allocation")})
    return found


def _e164(phone: Mapping[str, Any]) -> str:
    """``+<country><area><number>`` from a v5 phone (the parts are typed in by the business: the area
    code may keep its trunk ``0`` — "04", "021" — which E.164 drops); the parts as given without a
    country code."""
    country, area, number = (re.sub(r"\D", "", str(phone.get(p) or ""))
                             for p in ("phoneCountryCode", "phoneAreaCode", "phoneNumber"))
    if not country:
        return "".join(str(phone.get(p) or "") for p in ("phoneAreaCode", "phoneNumber"))
    return f"+{country}{area.lstrip('0')}{number}"


def _values(entity: Mapping[str, Any], key: str, field: str) -> list[str]:
    out = []
    for item in entity.get(key) or []:
        if isinstance(item, Mapping):
            value = item.get(field)
            if key == "phoneNumbers":  # E.164: +<country><area><number>
                value = _e164(item)
            if value:
                out.append(str(value))
        elif item:
            out.append(str(item))
    return out


def details_from_entity(entity: Mapping[str, Any]) -> dict[str, Any]:
    """The full NZBN entity as the details extract_company_details stores (raw record kept)."""
    roles = entity.get("roles") or []
    directors = [_director(r) for r in roles if _is_director(r)]
    return {
        "company_info": candidate_from_entity(entity),
        "directors": directors,
        "shareholders": _shareholders(entity),
        "addresses": _addresses(entity),
        "gst_numbers": _values(entity, "gstNumbers", "gstNumber"),
        "email_addresses": _values(entity, "emailAddresses", "emailAddress"),
        "phone_numbers": _values(entity, "phoneNumbers", "phoneNumber"),
        "trading_names": _values(entity, "tradingNames", "name"),
        "raw": dict(entity),
    }


class CompanyRegister(HttpProvider):
    system = "company_register"

    @classmethod
    def for_target(cls, target: Target, *, transport: httpx.BaseTransport | None = None,
                   before_request: Callable[[], None] | None = None) -> CompanyRegister:
        sys = target.system("company_register")
        return cls(sys.url, headers={KEY_HEADER: sys.credential("key"), "Accept": "application/json"},
                   credential_env=sys.credential_env("key"), secrets=target.secrets(), transport=transport,
                   before_request=before_request)

    def _search(self, params: dict[str, str]) -> list[dict[str, Any]]:
        # All statuses: a removed company is still worth showing (the policy only picks registered ones).
        params = {**params, "page-size": str(PAGE_SIZE)}
        body = self.get_json("/entities", params=params)
        items = body.get("items") or [] if isinstance(body, Mapping) else []
        return [candidate_from_entity(i) for i in items]

    def search_by_name(self, name: str) -> list[dict[str, Any]]:
        return self._search({"search-term": name})

    def throttle_wait(self, response: httpx.Response) -> float:
        """APIM says ``Retry-After`` and "Rate limit is exceeded. Try again in 12 seconds."."""
        if response.headers.get("Retry-After"):
            return parse_retry_after(response.headers["Retry-After"])
        found = _APIM_WAIT.search(response.text)
        return float(found.group(1)) if found else parse_retry_after(None)

    def nzbn_of(self, company_number: str, company_name: str) -> str | None:
        """The NZBN of the company numbered ``company_number``, found by searching its name (a
        Companies Office result whose page did not show the NZBN)."""
        wanted = company_number.strip()
        found = self.search_by_name(company_name) if company_name.strip() and wanted else []
        return next((c["nzbn"] for c in found if c["company_number"] == wanted and c["nzbn"]), None)

    def entity(self, nzbn: str) -> dict[str, Any]:
        body = self.get_json(f"/entities/{nzbn}")
        return dict(body) if isinstance(body, Mapping) else {}

    def roles(self, nzbn: str) -> list[dict[str, Any]]:
        """``GET /entities/{nzbn}/roles``: the entity's roles (directors, shareholders …). Read as an
        array, or under ``roles`` or ``items`` (integration guides for v5 meet all three)."""
        body = self.get_json(f"/entities/{nzbn}/roles")
        if isinstance(body, Mapping):
            body = body.get("roles") or body.get("items") or []
        return [dict(r) for r in body if isinstance(r, Mapping)] if isinstance(body, list) else []

    def details(self, nzbn: str) -> dict[str, Any]:
        """The entity's details. A v5 entity record need not carry its roles (a verbatim v5 record —
        tests/fixtures/contract/nzbn/entity.json — has no ``roles`` key, and integration guides read
        directors from ``/entities/{nzbn}/roles``): when it has none, they are read from there. A
        refused roles read leaves the details without directors rather than failing them."""
        entity = self.entity(nzbn)
        if not entity.get("roles"):
            with suppress(Refused):
                entity = {**entity, "roles": self.roles(nzbn)}
        return details_from_entity(entity)
