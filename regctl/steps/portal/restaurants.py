"""The portal's restaurant list: names, name matching (reference §5 scoring) and "Manage".

The list is read as the real scripts read it (real-portal-pages.md §3.3): every ``h4`` on the
dashboard is a restaurant name, and the i-th belongs to ``#restaurant-list-item-{i}``.

Matching normalises both names (lowercase, apostrophes removed, accents/macrons folded, spaces
collapsed) and scores: exact name 1000; else per search word longer than one character: same word
10, similar word 8 (length within 2, all but one letter shared), substring 5; +50 when every word
matched; −2 per extra word in the candidate; a zero score whose name contains the whole term: 25.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.locators import DASHBOARD, wait_loader_gone, wait_url_on_host

__all__ = ["RestaurantCard", "best_match", "list_restaurants", "match_score", "normalise_name",
           "open_restaurant", "restaurant_id_from_url"]

RESTAURANT_URL = re.compile(r"/restaurant/(RES[A-Za-z0-9]+)")


@dataclass(frozen=True)
class RestaurantCard:
    index: int  # i of #restaurant-list-item-{i}
    name: str


def normalise_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"['’`]", "", folded.lower())
    return re.sub(r"\s+", " ", folded).strip()


def _similar(word: str, other: str) -> bool:
    if abs(len(word) - len(other)) > 2:
        return False
    missing = Counter(word) - Counter(other)
    return sum(missing.values()) <= 1


def _word_score(word: str, candidate_words: list[str]) -> int:
    if word in candidate_words:
        return 10
    if any(_similar(word, other) for other in candidate_words):
        return 8
    return 5 if any(word in other for other in candidate_words) else 0


def match_score(term: str, candidate: str) -> int:
    """How well a list name ``candidate`` matches the searched ``term`` (higher is better)."""
    term_n, cand_n = normalise_name(term), normalise_name(candidate)
    if term_n == cand_n:
        return 1000
    words = [w for w in term_n.split() if len(w) > 1]
    cand_words = cand_n.split()
    scores = [_word_score(w, cand_words) for w in words]
    score = sum(scores)
    if words and all(scores):
        score += 50
    score -= 2 * max(0, len(cand_words) - len(term_n.split()))
    if sum(scores) == 0 and term_n and term_n in cand_n:
        return 25
    return max(score, 0)


def best_match(term: str, names: list[str], minimum: int = 1) -> tuple[int, int] | None:
    """(index, score) of the best-scoring name, the first on ties; None when none reaches ``minimum``."""
    scored = [(match_score(term, name), -index) for index, name in enumerate(names)]
    if not scored:
        return None
    score, neg_index = max(scored)
    return (-neg_index, score) if score >= minimum else None


async def list_restaurants(page: Page) -> list[RestaurantCard]:
    """The restaurants on the list, in page order (waits for the loading cover first)."""
    await wait_loader_gone(page)
    names = DASHBOARD["names"].primary.build(page)
    return [RestaurantCard(index=i, name=name.strip())
            for i, name in enumerate(await names.all_text_contents())]


def restaurant_id_from_url(url: str) -> str:
    match = RESTAURANT_URL.search(url)
    if match is None:
        raise PermanentStepError(f"no restaurant id (RES…) in the portal URL {url}")
    return match.group(1)


async def open_restaurant(page: Page, name: str, *, minimum: int = 1) -> str:
    """Click "Manage" on the card best matching ``name``; the restaurant id (RES…) from the URL."""
    cards = await list_restaurants(page)
    chosen = best_match(name, [card.name for card in cards], minimum)
    if chosen is None:
        raise PermanentStepError(f"no restaurant like {name!r} in the portal's list "
                                 f"({len(cards)} restaurants)")
    item = await DASHBOARD.find(page, "item", i=cards[chosen[0]].index)
    manage = await DASHBOARD.find(item, "manage")
    await manage.first.click()
    await wait_url_on_host(page, page.url, "/restaurant/**")
    await wait_loader_gone(page)
    return restaurant_id_from_url(page.url)
