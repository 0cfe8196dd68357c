"""needs/after/when/critical, retries with backoff, timeouts and retry_job — on both databases."""

from __future__ import annotations

from collections import Counter

import pytest
from engine_helpers import manifest, spec, statuses

from regctl.db.store import Store
from regctl.engine import api
from regctl.engine.policy import RetryPolicy

FAST = RetryPolicy(base=0.05, jitter=0.0)


def run(store: Store, batch_id: int, **kw: object) -> api.RunSummary:
    return api.supervise(store, concurrency=8, until_idle=True, batch_id=batch_id, retry=FAST, **kw)  # type: ignore[arg-type]


def test_non_critical_failure_skips_dependents_and_warns(store: Store) -> None:
    steps = [
        spec("a", "builtin.fail", params={"times": 9, "retryable": False}, critical=False),
        spec("b", needs=["a"]),
        spec("c", after=["a"]),
        spec("d"),
    ]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    assert run(store, ref.id).exit_code == 0
    assert statuses(store, ref.id) == {
        "0.a": "failed",
        "0.b": "skipped",
        "0.c": "completed",
        "0.d": "completed",
    }
    job = store.batch_view(ref.id)["jobs"][0]
    assert job["status"] == "completed_with_warnings"
    assert {s["key"]: s["note"] for s in job["steps"]}["b"] == "needs a, which failed"


def test_condition_false_skips_with_reason_and_dependents_still_run(store: Store) -> None:
    steps = [spec("a", when="restaurant.website"), spec("b", needs=["a"])]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    run(store, ref.id)
    view = store.batch_view(ref.id)["jobs"][0]
    assert [(s["key"], s["status"]) for s in view["steps"]] == [("a", "skipped"), ("b", "completed")]
    assert view["steps"][0]["note"] == "when false: restaurant.website"
    assert view["status"] == "completed"


def test_fail_twice_completes_on_the_third_attempt_after_persisted_backoff(store: Store) -> None:
    ref = api.submit_batch(store, manifest([spec("a", "builtin.fail", params={"times": 2})]), actor="t")
    assert run(store, ref.id).exit_code == 0
    job = store.job_view(store.batch_view(ref.id)["jobs"][0]["id"])
    assert (job["steps"][0]["status"], job["steps"][0]["attempts"]) == ("completed", 3)
    retries = [e for e in job["events"] if e["from_status"] == "running" and e["to_status"] == "ready"]
    assert [e["attempt"] for e in retries] == [1, 2]
    assert all(e["message"].startswith("retry in") for e in retries)


def test_critical_failure_fails_the_job_blocks_dependents_and_retry_job_completes_it(store: Store) -> None:
    steps = [
        spec("a", "builtin.fail", params={"times": 5}, retries=3),
        spec("b", needs=["a"]),
        spec("c", needs=["b"]),
        spec("d"),
    ]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    assert run(store, ref.id).exit_code == 1
    assert statuses(store, ref.id) == {
        "0.a": "failed",
        "0.b": "blocked",
        "0.c": "blocked",
        "0.d": "completed",
    }
    job_id = store.batch_view(ref.id)["jobs"][0]["id"]
    assert store.find_job(job_id)["status"] == "failed"
    assert store.batch_row(ref.id)["status"] == "failed"
    assert api.retry_job(store, job_id, actor="t") == 3
    assert run(store, ref.id).exit_code == 0
    assert set(statuses(store, ref.id).values()) == {"completed"}
    assert store.job_view(job_id)["steps"][0]["attempts"] == 6


def test_retry_from_a_step_reruns_it_and_its_dependents(store: Store) -> None:
    steps = [spec("a"), spec("b", needs=["a"]), spec("c", after=["b"]), spec("d")]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    run(store, ref.id)
    job_id = store.batch_view(ref.id)["jobs"][0]["id"]
    assert api.retry_job(store, job_id, from_step="b", actor="t") == 2
    run(store, ref.id)
    runs = Counter(e["step_id"] for e in store.events(job_id=job_id) if e["to_status"] == "running")
    by_key = {s["key"]: s["id"] for s in store.job_view(job_id)["steps"]}
    assert {k: runs[i] for k, i in by_key.items()} == {"a": 1, "b": 2, "c": 2, "d": 1}


def test_a_step_past_its_timeout_is_a_retryable_failure(store: Store) -> None:
    steps = [spec("slow", "builtin.sleep", params={"seconds": 5}, timeout=0.2, retries=2)]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    assert run(store, ref.id).exit_code == 1
    step = store.job_view(store.batch_view(ref.id)["jobs"][0]["id"])["steps"][0]
    assert (step["status"], step["attempts"]) == ("failed", 2)
    assert "timed out after 0.2s" in step["error"]


def test_an_unknown_step_type_fails_at_once_without_retrying(store: Store) -> None:
    steps = [spec("a", "builtin.noop")]
    m = manifest(steps)
    object.__setattr__(m.pipeline.steps[0], "uses", "no_such_module:step")
    ref = api.submit_batch(store, m, actor="t")
    run(store, ref.id)
    step = store.job_view(store.batch_view(ref.id)["jobs"][0]["id"])["steps"][0]
    assert (step["status"], step["attempts"]) == ("failed", 1)
    assert "no_such_module" in step["error"]


@pytest.mark.parametrize("limit", [1, 3])
def test_max_parallel_restaurants_bounds_running_jobs(store: Store, limit: int) -> None:
    steps = [spec("a", "builtin.sleep", params={"seconds": 0.05}), spec("b", needs=["a"])]
    ref = api.submit_batch(store, manifest(steps, restaurants=6, max_parallel_restaurants=limit), actor="t")
    assert run(store, ref.id).exit_code == 0
    events = store.events(batch_id=ref.id)
    started, finished, peak = set(), set(), 0
    job_of_last = {}
    for e in events:
        job_of_last[e["job_id"]] = e
        if e["to_status"] == "running":
            started.add(e["job_id"])
        if e["to_status"] == "completed" and e["step_id"] == max(
            s["id"] for s in store.job_view(e["job_id"])["steps"]
        ):
            finished.add(e["job_id"])
        peak = max(peak, len(started - finished))
    assert peak == limit
