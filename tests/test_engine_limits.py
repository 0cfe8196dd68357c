"""Limits shared through the database: named rate limits and resource slots."""

from __future__ import annotations

import threading

from engine_helpers import manifest, spec

from regctl.db.store import Store
from regctl.engine import api


def test_resource_slots_bound_running_steps_of_a_batch(store: Store) -> None:
    steps = [spec("browse", "builtin.sleep", params={"seconds": 0.1}, resources={"browser": 1}), spec("free")]
    ref = api.submit_batch(store, manifest(steps, restaurants=8, limits={"browser": 2}), actor="t")
    assert api.supervise(store, concurrency=8, until_idle=True, batch_id=ref.id).exit_code == 0
    browsing = {s["id"] for j in store.batch_view(ref.id)["jobs"] for s in j["steps"] if s["key"] == "browse"}
    level = peak = 0
    for e in store.events(batch_id=ref.id):
        if e["step_id"] in browsing and e["to_status"] == "running":
            level += 1
        elif e["step_id"] in browsing and e["from_status"] == "running":
            level -= 1
        peak = max(peak, level)
    assert peak == 2


def test_a_named_rate_limit_is_shared_by_two_supervisors(store: Store) -> None:
    steps = [spec("limited", "engine_steps:limited", params={"limit": "test_limit"}, retries=1)]
    m = manifest(steps, restaurants=5, rate_limits={"test_limit": {"capacity": 2, "window": 1.0}})
    ref = api.submit_batch(store, m, actor="t")
    threads = [
        threading.Thread(
            target=api.supervise,
            args=(store,),
            kwargs={"concurrency": 4, "until_idle": True, "batch_id": ref.id},
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    jobs = store.batch_view(ref.id)["jobs"]
    assert {s["status"] for j in jobs for s in j["steps"]} == {"completed"}  # RateLimited spent no attempt
    times = sorted(store.job_view(j["id"])["steps"][0]["result"]["at"] for j in jobs)
    # at most 2 per second: any 3 consecutive completions span about a window (minus recording jitter)
    assert all(later - earlier >= 0.8 for earlier, later in zip(times, times[2:], strict=False))
    limited = [e for e in store.events(batch_id=ref.id) if "rate limit 'test_limit'" in (e["message"] or "")]
    assert limited and all(e["to_status"] == "ready" for e in limited)


def test_the_default_named_limits_exist(store: Store) -> None:
    from regctl.engine.policy import DEFAULT_RATE_LIMITS

    assert DEFAULT_RATE_LIMITS == {"platform_account_creation": (1, 60.0), "extraction_api": (10, 60.0)}
    assert store.take_rate_limit("org", "platform_account_creation", default=(1, 60.0)) == 0.0
    assert 59 < store.take_rate_limit("org", "platform_account_creation", default=(1, 60.0)) <= 60
    # per organisation: another organisation's token is its own
    assert store.take_rate_limit("other-org", "platform_account_creation", default=(1, 60.0)) == 0.0
