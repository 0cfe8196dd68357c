"""Hands-free company matching: which register entry runs this restaurant, and why (issue 16).

Pure functions, no I/O: :mod:`.names` and :mod:`.addresses` normalise what is compared,
:mod:`.evidence` scores one candidate and explains the score, :mod:`.website` reads the legal name
and NZBN a restaurant's own pages print, and :mod:`.verdict` decides — a company, "none of these",
or "ask a person". The company search (steps/onboarding/search_companies.py) gathers the facts and
stores each candidate's ``evidence`` and ``score``; the ``auto_evidence`` policy applies the verdict.
"""

from __future__ import annotations

from regctl.matching.evidence import Evidence, Facts, score_candidate, score_candidates
from regctl.matching.verdict import DEFAULT_MARGIN, DEFAULT_THRESHOLD, PLAUSIBLE, Verdict, decide
from regctl.matching.website import WebsiteFacts, legal_facts

__all__ = [
    "DEFAULT_MARGIN",
    "DEFAULT_THRESHOLD",
    "PLAUSIBLE",
    "Evidence",
    "Facts",
    "Verdict",
    "WebsiteFacts",
    "decide",
    "legal_facts",
    "score_candidate",
    "score_candidates",
]
