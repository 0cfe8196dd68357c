"""End to end: a service's own 429 signal reaches the engine as RateLimited — the step waits as long as
the service said (``next_attempt_at``) and the wait spends no attempt (issue 12, throttling)."""

from __future__ import annotations

from typing import Any

import pytest
from engine_helpers import manifest, spec

from regctl.db.store import Store
from regctl.engine import api


@pytest.fixture()
def target_sandbox(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    return sandbox


def test_a_firecrawl_429_waits_the_time_in_its_text_without_spending_the_only_attempt(
    store: Store, target_sandbox: Any
) -> None:
    # The address search (Companies Office through Firecrawl) is answered 429 "please retry after 1s"
    # once; with a single attempt allowed, the step must still complete.
    target_sandbox.set_faults({"faults": {"firecrawl.scrape": {
        "burst_429": {"every": 1, "length": 1, "retry_after": 1}, "times": 1}}})
    restaurant = {"name": "Harbourside Eats (Nelson)", "address": "88 Wakefield Quay, Nelson 7010",
                  "city": "Nelson"}
    m = manifest([spec("search", "search_companies", retries=1)], restaurants=[restaurant])
    ref = api.submit_batch(store, m, actor="t")
    assert api.supervise(store, concurrency=1, until_idle=True, batch_id=ref.id).exit_code == 0
    [job] = store.batch_view(ref.id)["jobs"]
    [step] = store.job_view(job["id"])["steps"]
    assert (step["status"], step["attempts"], step["max_attempts"]) == ("completed", 1, 1)
    assert step["result"]["address_results"] == 1  # WAKEFIELD QUAY HOSPITALITY LIMITED, by address
    events = store.events(batch_id=ref.id)
    waits = [e["message"] for e in events if e["to_status"] == "ready" and e["message"]]
    assert waits == ["retry in 1.0s: RateLimited: extraction_api POST /v2/scrape: rate limited (HTTP 429), "
                     "retry after 1 s"]  # the wait Firecrawl's text gave, not the 5 s default
