"""Score one register candidate against one restaurant, and say why.

Each piece of evidence has a weight in (-1, 1): a positive weight is how sure that evidence alone
would make us (a phone number shared with the restaurant: 0.6); the score combines them as
independent witnesses — ``1 - Π(1 - w)`` over the positive ones, times ``Π(1 + w)`` over the negative
ones — so one witness never reaches the default threshold (0.75) unless it is conclusive by itself
(the website printing this company's NZBN), while two agreeing ones do (name + address: 0.75).
Status is not weighed: only a Registered company is ``eligible``; anything else the register writes
(Removed, Struck off, In Liquidation, Deregistered…, or no status at all) is never chosen.

A *chain* (three or more companies carry the restaurant's brand at different addresses, its website says the
stores are franchised, or its e-mail is a branch mailbox on the brand's domain) makes brand evidence —
the name, the website's legal name or NZBN, the e-mail domain — point at the brand's owner, not at
whoever runs this shop: a candidate with nothing tying it to this branch (its address, its phone, its
owner, or a name carrying the branch's location) gets a negative ``chain`` witness and is never picked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from regctl.matching.addresses import NzAddress, address_relation
from regctl.matching.names import core_name, fold, full_name, name_relation
from regctl.matching.website import WebsiteFacts

__all__ = ["WEIGHTS", "Evidence", "Facts", "is_ineligible", "score_candidate", "score_candidates"]

JSON = dict[str, Any]

WEIGHTS = {
    "name:equal": 0.5, "name:typo": 0.3, "name:contains": 0.15,
    "trading_name:equal": 0.5, "trading_name:typo": 0.3, "trading_name:contains": 0.15,
    "address:same": 0.5, "address:same_street": 0.1,
    "phone": 0.6, "email_domain": 0.6,
    "website_nzbn": 0.98, "website_legal_name": 0.9, "website_other_nzbn": -0.8,
    "director:owner": 0.5, "director:email": 0.5,
    "chain": -0.4, "other_venue": -0.3,
}
FREE_MAIL = {"gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "xtra.co.nz", "icloud.com",
             "live.com", "me.com", "yahoo.co.nz", "hotmail.co.nz", "outlook.co.nz", "protonmail.com"}
ELIGIBLE = ("registered", "50")  # the NZBN status description or code of a company that exists
_GENERIC_LOCAL = {"info", "owner", "admin", "hello", "contact", "orders", "office", "accounts", "enquiries",
                  "sales", "manager", "reception", "bookings", "team", "kitchen", "eat"}


@dataclass(frozen=True)
class Evidence:
    # name, trading_name, address, phone, email_domain, website_nzbn, website_legal_name, director, status
    kind: str
    detail: str
    weight: float

    def to_json(self) -> JSON:
        return {"kind": self.kind, "detail": self.detail, "weight": self.weight}


@dataclass(frozen=True)
class Facts:
    """What we know of the restaurant (from the manifest and its website)."""

    name: str
    address: NzAddress | None = None
    phone: str = ""  # national significant digits
    domains: frozenset[str] = frozenset()  # its website's and (non-free-mail) e-mail's domains
    owner_names: tuple[tuple[str, ...], ...] = ()  # folded name words: ("priya", "sharma")
    email_names: tuple[str, ...] = ()  # folded words of the e-mail's local part ("priya", "sharma")
    website: WebsiteFacts = field(default_factory=WebsiteFacts)
    branch: tuple[str, ...] = ()  # folded words of the name's bracketed location: ("mount", "eden")
    branch_mailbox: bool = False  # the e-mail is the branch's mailbox on an own domain (kilbirnie@brand.nz)

    @classmethod
    def of(cls, restaurant: Mapping[str, Any], website: WebsiteFacts | None = None) -> Facts:
        raw_extra = restaurant.get("extra")
        extra: Mapping[str, Any] = raw_extra if isinstance(raw_extra, Mapping) else {}
        owners = [str(v) for v in (restaurant.get("owner_name"), restaurant.get("contact_name"),
                                   extra.get("owner_name"), extra.get("contact_name")) if v]
        email = str(restaurant.get("email") or "")
        address = str(restaurant.get("address") or "")
        return cls(name=str(restaurant.get("name") or ""),
                   address=_address_in(address, str(restaurant.get("city") or "")),
                   phone=national_digits(str(restaurant.get("phone") or "")),
                   domains=frozenset(d for d in (domain_of(str(restaurant.get("website") or "")),
                                                 email.rpartition("@")[2].lower()) if _own_domain(d)),
                   owner_names=tuple(tuple(fold(o).split()) for o in owners if fold(o)),
                   email_names=_local_names(email),
                   website=website or WebsiteFacts(),
                   branch=_branch_words(str(restaurant.get("name") or "")),
                   branch_mailbox=_branch_mailbox(restaurant, email))


def _address_in(address: str, city: str) -> NzAddress | None:
    """The restaurant's address; one written without town or postcode ("15 Victoria Street") is placed
    in the manifest's ``city``, so it is not "the same address" as 15 Victoria Street in every town."""
    if not address.strip():
        return None
    parsed = NzAddress.parse(address)
    if not (parsed.city or parsed.suburb or parsed.postcode) and city.strip():
        return NzAddress.parse(f"{address}, {city}")
    return parsed


def _branch_words(name: str) -> tuple[str, ...]:
    """``Kiwi Crust Pizza (Kilbirnie)`` → ("kilbirnie",): the words the core name drops."""
    core = set(core_name(name).split())
    return tuple(w for w in full_name(name).split() if w not in core)


def _branch_mailbox(restaurant: Mapping[str, Any], email: str) -> bool:
    """``kilbirnie@kiwicrust.co.nz`` for "Kiwi Crust Pizza (Kilbirnie)" at "…, Kilbirnie, Wellington":
    a mailbox named for the place on the brand's own domain."""
    local, _, domain = email.lower().partition("@")
    if not _own_domain(domain):
        return False
    local = re.sub(r"[^a-z]", "", fold(local))
    name = str(restaurant.get("name") or "")
    places = {"".join(_branch_words(name))}
    address = str(restaurant.get("address") or "")
    if address.strip():
        parsed = NzAddress.parse(address)
        places |= {re.sub(r"[^a-z]", "", p) for p in (*parsed.suburb.split(","), parsed.city)}
    return bool(local) and local in places - {""}


def _local_names(email: str) -> tuple[str, ...]:
    """``priya.sharma@…`` → ("priya", "sharma"); generic mailboxes (info@, owner@) say nothing."""
    if "@" not in email:
        return ()
    local = fold(email.partition("@")[0].replace(".", " ").replace("_", " ").replace("-", " "))
    return tuple(w for w in re.sub(r"\d+", " ", local).split() if len(w) > 1 and w not in _GENERIC_LOCAL)


def national_digits(phone: str) -> str:
    """``+64 9 376 1234``, ``09 376 1234``, ``(09) 3761234`` → ``93761234``."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("64") and len(digits) > 9:
        digits = digits[2:]
    return digits.lstrip("0")


def domain_of(url_or_email: str) -> str:
    text = url_or_email.strip().lower()
    if "@" in text and "://" not in text:
        return text.rpartition("@")[2]
    host = urlsplit(text if "://" in text else f"https://{text}").hostname or ""
    return host.removeprefix("www.")


def _own_domain(domain: str) -> bool:
    return "." in domain and domain not in FREE_MAIL and not domain.replace(".", "").isdigit()


def is_ineligible(candidate: Mapping[str, Any]) -> bool:
    """Anything but Registered: the register's status is free text, so an allow-list, not a deny-list."""
    return fold(str(candidate.get("status") or "")) not in ELIGIBLE


def _register(candidate: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = candidate.get("register")
    return raw if isinstance(raw, Mapping) else {}


def _strings(values: Any) -> list[str]:
    return [str(v) for v in values or () if v] if isinstance(values, list | tuple) else []


def _name_evidence(facts: Facts, candidate: Mapping[str, Any]) -> list[Evidence]:
    company = str(candidate.get("company_name") or "")
    best: Evidence | None = None
    for kind, text in [("name", company)] + [("trading_name", t) for t in _trading_names(candidate)]:
        relation, likeness = name_relation(facts.name, text)
        weight = WEIGHTS.get(f"{kind}:{relation}", 0.0)
        if weight and (best is None or weight > best.weight):
            said = {"equal": "is the restaurant's name",
                    "typo": f"is {likeness:.0%} alike to the restaurant's name",
                    "contains": "shares every word of the shorter name"}[relation]
            label = "register name" if kind == "name" else "trading name"
            best = Evidence(kind, f"{label} {text!r} {said} ({core_name(facts.name)!r})", weight)
    if best is None and _other_venue(facts.name, company):
        detail = (f"register name {company!r} is another eatery's name, sharing no word with "
                  f"{core_name(facts.name)!r}: the company of an earlier business at the address?")
        return [Evidence("other_venue", detail, WEIGHTS["other_venue"])]
    return [best] if best else []


# Words that make a company name a single eatery's name ("PONSONBY BISTRO LIMITED"), unlike an operating
# company's ("WAKEFIELD QUAY HOSPITALITY LIMITED", "PATEL FAMILY FOODS LIMITED").
_VENUE_WORDS = {"cafe", "bistro", "restaurant", "kitchen", "bar", "diner", "grill", "bakery", "pizzeria",
                "pizza", "sushi", "takeaway", "takeaways", "tavern", "pub", "brasserie", "cantina",
                "trattoria", "deli", "canteen", "espresso", "smokehouse", "teahouse", "noodle", "dumpling",
                "burger", "burgers", "kebab", "kebabs"}


def _other_venue(restaurant: str, company: str) -> bool:
    """The company is named like another eatery: venue words, and no word in common with the restaurant."""
    ours, theirs = set(full_name(restaurant).split()), set(core_name(company).split())
    return bool(theirs & _VENUE_WORDS) and not (theirs & ours)


def _trading_names(candidate: Mapping[str, Any]) -> list[str]:
    names = _strings(candidate.get("trading_names")) + _strings(_register(candidate).get("trading_names"))
    return list(dict.fromkeys(names))


def _addresses(candidate: Mapping[str, Any]) -> list[str]:
    texts = [str(candidate.get("registered_address") or ""), *_strings(_register(candidate).get("addresses"))]
    return [t for t in dict.fromkeys(texts) if t]


def _address_evidence(facts: Facts, candidate: Mapping[str, Any]) -> list[Evidence]:
    if facts.address is None or not facts.address.street:
        return []
    for wanted in ("same", "same_street"):
        for text in _addresses(candidate):
            if text and address_relation(facts.address, NzAddress.parse(text)) == wanted:
                said = "is at" if wanted == "same" else "is on the street of"
                detail = f"{text!r} {said} the restaurant's address ({facts.address.place()})"
                return [Evidence("address", detail, WEIGHTS[f"address:{wanted}"])]
    return []


# 0800 / 0508 freephone numbers: a chain's central line, the brand's rather than one shop's.
_FREEPHONE = ("800", "508")


def _phone_evidence(facts: Facts, candidate: Mapping[str, Any]) -> list[Evidence]:
    if len(facts.phone) < 7 or facts.phone.startswith(_FREEPHONE):
        return []
    for phone in _strings(_register(candidate).get("phones")) + _strings(candidate.get("phones")):
        if national_digits(phone) == facts.phone:
            return [Evidence("phone", f"register phone {phone} is the restaurant's phone", WEIGHTS["phone"])]
    return []


def _email_evidence(facts: Facts, candidate: Mapping[str, Any]) -> list[Evidence]:
    for email in _strings(_register(candidate).get("emails")) + _strings(candidate.get("emails")):
        domain = domain_of(email)
        if _own_domain(domain) and domain in facts.domains:
            detail = f"register e-mail {email} is on the restaurant's domain {domain}"
            return [Evidence("email_domain", detail, WEIGHTS["email_domain"])]
    return []


def _website_evidence(facts: Facts, candidate: Mapping[str, Any]) -> list[Evidence]:
    site = facts.website
    nzbn = str(candidate.get("nzbn") or "")
    where = f" ({site.pages[0]})" if site.pages else ""
    if nzbn and nzbn in site.nzbns:
        return [Evidence("website_nzbn", f"the restaurant's website prints this NZBN {nzbn}{where}",
                         WEIGHTS["website_nzbn"])]
    company = core_name(str(candidate.get("company_name") or ""))
    found: list[Evidence] = []
    if company and any(core_name(n) == company for n in site.legal_names):
        named = candidate.get("company_name")
        detail = f"the restaurant's website names {named!r} as its legal entity{where}"
        found.append(Evidence("website_legal_name", detail, WEIGHTS["website_legal_name"]))
    if site.nzbns and nzbn:
        shown = ", ".join(site.nzbns)
        detail = f"the restaurant's website prints NZBN {shown}, not this company's"
        found.append(Evidence("website_nzbn", detail, WEIGHTS["website_other_nzbn"]))
    return found


def _director_evidence(facts: Facts, candidate: Mapping[str, Any]) -> list[Evidence]:
    for director in _register(candidate).get("directors") or ():
        name = str(director.get("name") or "") if isinstance(director, Mapping) else str(director)
        held = set(fold(name).split())
        for owner in facts.owner_names:
            if len(owner) >= 2 and {owner[0], owner[-1]} <= held:
                return [Evidence("director", f"director {name} is the owner named for the restaurant",
                                 WEIGHTS["director:owner"])]
        if len(facts.email_names) >= 2 and set(facts.email_names) <= held:
            return [Evidence("director", f"director {name} matches the restaurant's e-mail address",
                             WEIGHTS["director:email"])]
    return []


_WITNESSES = (_name_evidence, _address_evidence, _phone_evidence, _email_evidence, _website_evidence,
              _director_evidence)


def combine(weights: Iterable[float]) -> float:
    """Independent witnesses: ``1 - Π(1 - w)`` over positives, times ``Π(1 + w)`` over negatives."""
    doubt, penalty = 1.0, 1.0
    for w in weights:
        if w > 0:
            doubt *= 1.0 - w
        elif w < 0:
            penalty *= 1.0 + w
    return round((1.0 - doubt) * penalty, 3)


def score_candidate(facts: Facts, candidate: Mapping[str, Any]) -> JSON:
    """The candidate with ``evidence`` (a list of {kind, detail, weight}), ``score`` and ``eligible``
    (weighed alone: the chain rule needs every candidate, :func:`score_candidates`)."""
    return _scored(candidate, [e for witness in _WITNESSES for e in witness(facts, candidate)])


def _scored(candidate: Mapping[str, Any], evidence: list[Evidence]) -> JSON:
    eligible = not is_ineligible(candidate)
    if not eligible:
        evidence.append(Evidence("status", f"status {candidate.get('status')!r}: never chosen", 0.0))
    return dict(candidate) | {"evidence": [e.to_json() for e in evidence],
                              "score": combine(e.weight for e in evidence), "eligible": eligible}


_TIED = ("phone", "director")
# Two namesakes are an ownership change or a coincidence; three or more carrying the brand at different
# addresses are a chain (a franchisor and its franchisees).
CHAIN_COMPANIES = 3


def _carries_brand(facts: Facts, candidate: Mapping[str, Any]) -> bool:
    brand = set(core_name(facts.name).split())
    names = [str(candidate.get("company_name") or ""), *_trading_names(candidate)]
    return bool(brand) and any(brand <= set(core_name(n).split()) for n in names)


def chain_signal(facts: Facts, candidates: Sequence[Mapping[str, Any]]) -> str:
    """Why the restaurant looks like one branch of a brand others run too ("" when it does not)."""
    if facts.website.franchised:
        return "the restaurant's website says its stores are franchised or independently owned"
    if facts.branch_mailbox:
        return "the restaurant's e-mail is its branch's mailbox on the brand's domain"
    places = {NzAddress.parse(a).place() + "|" + NzAddress.parse(a).postcode
              for c in candidates if not is_ineligible(c) and _carries_brand(facts, c)
              for a in _addresses(c)[:1]}
    if len(places) >= CHAIN_COMPANIES:
        brand = core_name(facts.name)
        return f"{len(places)} registered companies carry the brand {brand!r} at different addresses"
    return ""


def _tied_to_branch(facts: Facts, candidate: Mapping[str, Any], evidence: Sequence[Evidence]) -> bool:
    """Something beyond the brand ties the candidate to this shop: its address, its phone, its owner,
    or a name (or trading name) carrying the branch's location."""
    same_address = WEIGHTS["address:same"]
    if any(e.kind in _TIED or (e.kind == "address" and e.weight >= same_address) for e in evidence):
        return True
    names = [str(candidate.get("company_name") or ""), *_trading_names(candidate)]
    return bool(facts.branch) and any(set(facts.branch) <= set(fold(n).split()) for n in names)


def score_candidates(facts: Facts, candidates: Sequence[Mapping[str, Any]]) -> list[JSON]:
    """Every candidate scored, best first (eligible before ineligible; stable on ties)."""
    chain = chain_signal(facts, candidates)
    scored = []
    for candidate in candidates:
        evidence = [e for witness in _WITNESSES for e in witness(facts, candidate)]
        if chain and evidence and not _tied_to_branch(facts, candidate, evidence):
            detail = (f"a chain ({chain}): the brand's name, website and domain do not say who runs this "
                      "branch, and nothing ties this company to its address, phone or owner")
            evidence.append(Evidence("chain", detail, WEIGHTS["chain"]))
        scored.append(_scored(candidate, evidence))
    return sorted(scored, key=lambda c: (not c["eligible"], -float(c["score"])))
