"""A supervisor reclaims another's expired lease when it runs out, not at its own next heartbeat."""

from __future__ import annotations

import time

from engine_helpers import chain, manifest, statuses

from regctl.db.store import Store
from regctl.engine import api
from regctl.engine.policy import Leases


def test_a_dead_supervisors_steps_run_as_soon_as_their_lease_runs_out(store: Store) -> None:
    ref = api.submit_batch(store, manifest(chain(2), restaurants=3), actor="t")
    store.cycle([], supervisor_id="dead", claim=0, lease=1.0, admit=True)
    held = store.cycle([], supervisor_id="dead", claim=3, lease=1.0).claimed  # then it dies
    assert len(held) == 3
    started = time.monotonic()
    # 10-minute leases: this supervisor's own heartbeat (and its periodic reclaim) comes every 200 s
    summary = api.supervise(store, concurrency=4, until_idle=True, batch_id=ref.id, leases=Leases(600.0))
    took = time.monotonic() - started
    assert summary.exit_code == 0
    assert set(statuses(store, ref.id).values()) == {"completed"}
    expired = [e for e in store.events(batch_id=ref.id) if (e["message"] or "").startswith("lease expired")]
    assert sorted(e["step_id"] for e in expired) == sorted(s.id for s in held)
    # ~1-2 s when the lease's end is watched; 200 s when only the heartbeat reclaims (a wide margin:
    # this is behaviour, not speed)
    assert took < 100, f"reclaimed after {took:.1f} s: waited for the next heartbeat, not the lease"
