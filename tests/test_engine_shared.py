"""A supervisor closes its steps' shared resources (e.g. the browser) when it stops."""

from __future__ import annotations

import engine_steps
from engine_helpers import manifest, spec

from regctl.db.store import Store
from regctl.engine import api


def test_shared_resources_are_closed_once_when_the_supervisor_stops(store: Store) -> None:
    engine_steps.CLOSED.clear()
    steps = [spec("a", "engine_steps:holds_a_resource"), spec("b", "engine_steps:holds_a_resource")]
    ref = api.submit_batch(store, manifest(steps, restaurants=2), actor="tester")
    assert api.supervise(store, until_idle=True, batch_id=ref.id).exit_code == 0
    assert len(engine_steps.CLOSED) == 1
