"""The vertical slice: submit a batch, supervise it to completion, on both databases."""

from __future__ import annotations

from collections import Counter

import pytest
from engine_helpers import chain, manifest, spec, statuses

from regctl.db.store import Store
from regctl.engine import api
from regctl.errors import UsageError


def test_a_chain_of_noops_completes_and_every_transition_is_logged(store: Store) -> None:
    ref = api.submit_batch(store, manifest(chain(3), restaurants=4), actor="tester")
    summary = api.supervise(store, concurrency=4, until_idle=True, batch_id=ref.id)
    assert summary.exit_code == 0 and summary.steps_completed == 12
    assert set(statuses(store, ref.id).values()) == {"completed"}
    moves = Counter((e["from_status"], e["to_status"]) for e in store.events(batch_id=ref.id))
    assert moves == {("pending", "ready"): 12, ("ready", "running"): 12, ("running", "completed"): 12}
    assert store.batch_row(ref.id)["status"] == "completed"


def test_submitting_the_same_manifest_twice_resumes_without_duplicates(store: Store) -> None:
    first = api.submit_batch(store, manifest(chain(2), restaurants=3), actor="tester")
    again = api.submit_batch(store, manifest(chain(2), restaurants=3), actor="tester")
    assert (first.created, first.jobs_created) == (True, 3)
    assert (again.id, again.created, again.jobs_created, again.jobs_existing) == (first.id, False, 0, 3)
    assert len(store.batch_view(first.id)["jobs"]) == 3


def test_a_restaurant_has_at_most_one_active_job_across_batches(store: Store) -> None:
    api.submit_batch(store, manifest(chain(1), restaurants=1, batch="one"), actor="tester")
    with pytest.raises(UsageError, match="already has an active job in batch 'one'"):
        api.submit_batch(store, manifest(chain(1), restaurants=1, batch="two"), actor="tester")
    assert [b["name"] for b in store.list_batches()] == ["one"]  # nothing of "two" was written


def test_restaurant_fields_are_stored_and_unknown_ones_kept_as_extra(store: Store) -> None:
    row = {
        "name": "Texas Chicken (Henderson)",
        "address": "12 Great North Road",
        "phone": "09 836 1234",
        "cuisine_hint": "chicken",
    }
    ref = api.submit_batch(store, manifest([spec("a")], restaurants=[row]), actor="tester")
    job = store.job_view(store.batch_view(ref.id)["jobs"][0]["id"])
    assert job["restaurant"]["phone"] == "09 836 1234"
    assert job["restaurant"]["extra"] == {"cuisine_hint": "chicken"}
    assert job["restaurant"]["key"] == "texas chicken henderson|12 great north rd"  # "Road" = "Rd"
    assert job["config"] == {}
