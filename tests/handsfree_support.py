"""Run the company lookup hands-free over a fixture set and judge it against the set's ground truth.

Shared by tests/test_matching_fixtures.py and bench/handsfree.py. For each fixture restaurant:
search_companies (real sandbox, real SQLite), then the ``auto_evidence`` policy on select_company's
request. The truth is the fixture set's own: the register entry written ``for:`` the restaurant with
``right: true`` (generated ``register: clear`` entries are right by construction); none → "none of
these" is the right answer and any pick is wrong.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from enrich_support import EnrichCtx, make_batch_database

from regctl.review.policies import evaluate
from regctl.sandbox.fixtures import FIXTURE_DIR, load_companies
from regctl.sandbox.manifest import manifest_dict
from regctl.sandbox.server import running_sandbox
from regctl.steps.onboarding import select_company
from regctl.steps.onboarding.search_companies import search_companies
from regctl.targets import SANDBOX_URL_ENV

FIELDS = ("name", "address", "city", "phone", "email", "website", "ubereats_url")
POLICY: dict[str, Any] = {"name": "auto_evidence", "on_no_match": "none"}


@dataclass(frozen=True)
class Outcome:
    restaurant: str
    right: str | None  # the right company number, None when no company is right
    choice: str  # "company" | "none" | "ask"
    chosen: str | None
    decided_by: tuple[str, ...]  # evidence kinds behind a pick, strongest first
    reason: str

    @property
    def wrong(self) -> bool:
        """An automatic answer that is not the truth (asking is never wrong)."""
        return self.choice != "ask" and self.chosen != self.right

    @property
    def asked(self) -> bool:
        return self.choice == "ask"


def truth(fixtures: Path) -> dict[str, str | None]:
    """Restaurant name → the right company number (None: no company is right)."""
    right = {c.for_restaurant: c.number for c in load_companies(fixtures) if c.right and c.for_restaurant}
    return right


@contextmanager
def _contexts(sandbox_url: str, fixtures: Path, tmp: Path) -> Iterator[list[EnrichCtx]]:
    entries = manifest_dict(base_url=sandbox_url, fixtures_dir=fixtures)["restaurants"]
    rows = [{k: v for k, v in e.items() if k in FIELDS} for e in entries]
    url, ids = make_batch_database(tmp / "handsfree.db", rows)
    yield [EnrichCtx(database_url=url, data_dir=tmp / str(job), restaurant=row | {"id": rid}, job_id=job)
           for row, (rid, job) in zip(rows, ids, strict=True)]


def judge(ctx: EnrichCtx, right: str | None, policy: Mapping[str, Any] = POLICY) -> Outcome:
    search_companies(ctx)
    request = select_company.request(ctx)
    answer = evaluate(dict(policy), request, ctx)
    name = str(ctx.restaurant["name"])
    if answer is None:
        return Outcome(name, right, "ask", None, (), _ask_reason(request.options))
    kinds = tuple(e["kind"] for e in sorted(answer.get("evidence") or [], key=lambda e: -e["weight"])
                  if e["weight"] > 0)
    reason = str(answer.get("reason", ""))
    return Outcome(name, right, answer["choice"], answer.get("company_number"), kinds, reason)


def _ask_reason(candidates: list[dict[str, Any]]) -> str:
    from regctl.matching import decide

    return decide(candidates).reason


def run(fixtures: Path = FIXTURE_DIR, policy: Mapping[str, Any] = POLICY,
        sandbox_url: str | None = None) -> list[Outcome]:
    """Every restaurant of ``fixtures`` through search + policy; a sandbox is started unless given."""
    expected = truth(fixtures)
    with tempfile.TemporaryDirectory() as tmp:
        if sandbox_url is not None:
            with _contexts(sandbox_url, fixtures, Path(tmp)) as ctxs:
                return [judge(c, expected.get(str(c.restaurant["name"])), policy) for c in ctxs]
        with running_sandbox(seed=0, fixtures=fixtures) as sandbox:
            previous = os.environ.get(SANDBOX_URL_ENV)
            os.environ[SANDBOX_URL_ENV] = sandbox.url
            try:
                with _contexts(sandbox.url, fixtures, Path(tmp)) as ctxs:
                    return [judge(c, expected.get(str(c.restaurant["name"])), policy) for c in ctxs]
            finally:
                if previous is None:
                    os.environ.pop(SANDBOX_URL_ENV, None)
                else:
                    os.environ[SANDBOX_URL_ENV] = previous
