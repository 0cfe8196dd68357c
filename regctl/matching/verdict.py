"""The decision the evidence supports: a company, "none of these", or ask a person.

* **company** — the best *eligible* candidate scores at least ``threshold`` and leads every other
  eligible candidate by at least ``margin``. Close candidates are never guessed between; nor is a
  leader with nothing at the restaurant's place (its address or phone) chosen over another eligible
  candidate that is there: the name and website say whose brand it is, the place says who runs the
  shop (a franchisor against its franchisee) — unless the website's NZBN rules out the one at the
  address (many companies share an address; only the shop's own company has its phone).
* **none** — no candidate is even plausible (every score below :data:`PLAUSIBLE`, Removed ones
  included: a Removed company at the right address is worth a person's look) — only when the
  manifest allows it (``on_no_match: none``).
* **ask** — anything else, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DEFAULT_MARGIN", "DEFAULT_THRESHOLD", "PLAUSIBLE", "Verdict", "decide"]

DEFAULT_THRESHOLD = 0.75  # two agreeing witnesses (name + address) or one conclusive one
DEFAULT_MARGIN = 0.25  # the lead over the next eligible candidate
PLAUSIBLE = 0.15  # below this a candidate shares nothing with the restaurant worth a look


@dataclass(frozen=True)
class Verdict:
    choice: str  # "company" | "none" | "ask"
    reason: str
    company_number: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    score: float | None = None


def _score(candidate: Mapping[str, Any]) -> float:
    return float(candidate.get("score") or 0.0)


def _name(candidate: Mapping[str, Any]) -> str:
    return f"{candidate.get('company_name')} ({candidate.get('company_number')})"


def at_the_place(candidate: Mapping[str, Any]) -> bool:
    """The candidate is registered at the restaurant's address (number and street) or has its phone."""
    for e in candidate.get("evidence") or ():
        if e.get("kind") == "phone" or (e.get("kind") == "address" and float(e.get("weight") or 0) >= 0.5):
            return True
    return False


def _has_the_phone(candidate: Mapping[str, Any]) -> bool:
    return any(e.get("kind") == "phone" for e in candidate.get("evidence") or ())


def _contradicted(candidate: Mapping[str, Any]) -> bool:
    """A witness speaks against it (the website prints another company's NZBN)."""
    return any(float(e.get("weight") or 0) < 0 for e in candidate.get("evidence") or ())


def decide(candidates: Sequence[Mapping[str, Any]], *, threshold: float = DEFAULT_THRESHOLD,
           margin: float = DEFAULT_MARGIN, none_when_nothing: bool = False) -> Verdict:
    """The verdict on scored candidates (each with ``score``, ``eligible`` and ``evidence``)."""
    plausible = [c for c in candidates if _score(c) >= PLAUSIBLE]
    if not plausible:
        why = f"no candidate is plausible ({len(candidates)} found, none scoring {PLAUSIBLE} or more)"
        return Verdict("none", why) if none_when_nothing else Verdict("ask", why)
    eligible = sorted((c for c in candidates if c.get("eligible", True)), key=lambda c: -_score(c))
    if not eligible:
        return Verdict("ask", "only companies that can never be chosen (Removed, Struck off…) are plausible")
    if _score(eligible[0]) < threshold:
        return Verdict("ask", f"not conclusive: {_name(eligible[0])} scores {_score(eligible[0]):.2f}, "
                              f"below {threshold:.2f}")
    top = eligible[0]
    if len(eligible) > 1 and _score(top) - _score(eligible[1]) < margin:
        return Verdict("ask", f"too close: {_name(top)} {_score(top):.2f} vs {_name(eligible[1])} "
                              f"{_score(eligible[1]):.2f} (margin {margin:.2f})")
    there = next((c for c in eligible[1:] if _has_the_phone(c) or (at_the_place(c) and not _contradicted(c))),
                 None)
    if there is not None and not at_the_place(top):
        return Verdict("ask", f"conflicting: {_name(top)} leads on name or website ({_score(top):.2f}) but "
                              f"{_name(there)} is at the restaurant's address or phone")
    return Verdict("company", f"{_name(top)} scores {_score(top):.2f}", str(top.get("company_number")),
                   list(top.get("evidence") or []), _score(top))
