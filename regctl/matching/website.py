"""What a restaurant's own pages say about the company behind it: a legal name, an NZBN.

NZ businesses often print them in a footer or on a terms page ("© 2026 Spice Route Mount Eden
Limited", "NZBN 9429041234567"). The text is the page's HTML or markdown; tags are ignored.
An NZBN is 13 digits starting 94 (the GS1 prefix NZ uses); a legal name is the run of capitalised
words before "Limited"/"Ltd".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any

__all__ = ["WebsiteFacts", "legal_facts", "terms_links"]

_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_NZBN = re.compile(r"\b94(?:[ \-]?\d){11}\b")  # "9429041234567", "9429 0412 34567"
_WORD = r"[A-Z0-9ĀĒĪŌŪ][\w'’&.\-]*"
_PART = rf"(?:{_WORD}|\([^)]*\))"
_JOINERS = "&|of|and|the|de|del|la|le|da|di|on|at"  # "House of Dumplings Limited"
_LEGAL = re.compile(rf"({_PART}(?:[ \t]+(?:{_PART}|{_JOINERS}))*?)[ \t]+(Limited|Ltd|LIMITED|LTD)\b\.?")
_LEADING_NOISE = re.compile(r"^(?:(?:©|\(c\)|copyright|\d{4}(?:\s*[-–]\s*\d{4})?|all|rights|reserved|by|of|"
                            r"operated|owned|and|a|an|the|is|trading|as|t/a)\s+)+", re.IGNORECASE)
_TERMS_HREF = re.compile(r"""<a\b[^>]*href=["']([^"']+)["'][^>]*>(.*?)</a>""", re.IGNORECASE | re.DOTALL)
_TERMS_WORDS = ("terms", "privacy", "legal", "about", "contact")
# "Website by Pixel Studio Ltd", "Online ordering powered by …", "Photography by …": a supplier's credit,
# not the business behind the restaurant ("owned and operated by …" is).
_CREDIT = re.compile(r"\b(?:web\s*site|site|web|design(?:ed)?|powered|hosted|hosting|built|developed|created|"
                     r"photo(?:graphy|s)?|supplied|ordering|delivery|payments?|marketing|seo|logo|branding|"
                     r"app|technology|platform)\b[\w\s&,]{0,24}?\bby\s*$", re.IGNORECASE)
_BY = re.compile(r"\s+by\s+", re.IGNORECASE)
# A chain's site: its legal name is the brand owner's (the franchisor), not this shop's operator's.
_FRANCHISED = re.compile(r"\bfranchis(?:e|ed|es|ee|ees|or|ing)\b|\bindependently\s+owned\b", re.IGNORECASE)


@dataclass(frozen=True)
class WebsiteFacts:
    legal_names: tuple[str, ...] = ()  # "Spice Route Mount Eden Limited", as printed
    nzbns: tuple[str, ...] = ()
    pages: tuple[str, ...] = field(default=(), compare=False)  # where they were read
    franchised: bool = False  # the site says its stores are franchised / independently owned

    def merged(self, other: WebsiteFacts) -> WebsiteFacts:
        return WebsiteFacts(_unique(self.legal_names + other.legal_names), _unique(self.nzbns + other.nzbns),
                            _unique(self.pages + other.pages), self.franchised or other.franchised)

    def to_json(self) -> dict[str, Any]:
        return {"legal_names": list(self.legal_names), "nzbns": list(self.nzbns), "pages": list(self.pages),
                "franchised": self.franchised}

    @classmethod
    def from_json(cls, raw: object) -> WebsiteFacts:
        if not isinstance(raw, dict):
            return cls()
        keys = ("legal_names", "nzbns", "pages")
        names, nzbns, pages = (tuple(str(v) for v in raw.get(k) or ()) for k in keys)
        return cls(names, nzbns, pages, bool(raw.get("franchised")))


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _text(page: str) -> str:
    return re.sub(r"[ \t\xa0]+", " ", unescape(_TAGS.sub("\n", page)))


def legal_facts(page: str, url: str = "") -> WebsiteFacts:
    """The legal names and NZBNs ``page`` (HTML or markdown) prints."""
    text = _text(page)
    names = []
    for line in text.splitlines():
        for match in _LEGAL.finditer(line):
            name = _LEADING_NOISE.sub("", match.group(1)).strip()
            before = line[:match.start(1)] + match.group(1)[: match.group(1).rfind(name)]
            *credited, name = _BY.split(name)  # "Website By Pixel Studio" (capitalised "By")
            before += " by ".join([*credited, ""]) if credited else ""
            if name and not _CREDIT.search(before):
                names.append(f"{name} {match.group(2)}")
    nzbns = tuple(re.sub(r"\D", "", m.group(0)) for m in _NZBN.finditer(text))
    return WebsiteFacts(_unique(tuple(names)), _unique(nzbns), (url,) if url else (),
                        bool(_FRANCHISED.search(text)))


def terms_links(page: str) -> list[str]:
    """Hrefs of links whose text or target names a terms, privacy, legal, about or contact page."""
    found = []
    for href, label in _TERMS_HREF.findall(page):
        text = f"{href} {_text(label)}".lower()
        if any(w in text for w in _TERMS_WORDS) and not href.startswith(("mailto:", "tel:", "#")):
            found.append(href)
    return list(dict.fromkeys(found))
