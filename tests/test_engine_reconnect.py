"""Losing the database connection: how it is recognised, and what the engine does about it.

The whole supervisor surviving a cut is tests/test_chaos_reconnect.py; these are its parts.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import psycopg
import pytest
import sqlalchemy as sa
from engine_helpers import chain, listening, manifest, statuses
from fixtures_db import ADMIN_URL

from regctl.db.store import LOST_CLAIM, Store, connection_lost, describe_db_error, notify_txn
from regctl.engine import api


def cut_connections(store: Store) -> int:
    """Terminate every session on the store's database (not the server); returns how many."""
    name = store.engine.url.database
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


def test_a_claim_lost_with_the_connection_is_handed_back_unspent(store: Store) -> None:
    ref = api.submit_batch(store, manifest(chain(1), restaurants=3), actor="tester")
    admitted = store.cycle([], supervisor_id="sup-a", claim=3, lease=60.0, admit=True)
    assert (admitted.admitted, admitted.claimed) == (3, [])  # admission commits on its own
    first = store.cycle([], supervisor_id="sup-a", claim=3, lease=60.0)
    assert len(first.claimed) == 3
    kept = first.claimed[0]
    # the supervisor only saw `kept`: the others were claimed by a commit whose answer was lost
    store.cycle([], supervisor_id="sup-a", claim=0, lease=60.0, keep=[kept.id])
    assert Counter(statuses(store, ref.id).values()) == {"running": 1, "ready": 2}
    again = store.cycle([], supervisor_id="sup-b", claim=3, lease=60.0)
    assert sorted(c.attempt for c in again.claimed) == [1, 1]  # the lost claim spent no attempt
    assert kept.id not in {c.id for c in again.claimed}
    released = [e for e in store.events(batch_id=ref.id) if e["message"] == LOST_CLAIM]
    assert len(released) == 2


def test_a_cycle_without_keep_leaves_our_leases_alone(store: Store) -> None:
    ref = api.submit_batch(store, manifest(chain(1), restaurants=2), actor="tester")
    store.cycle([], supervisor_id="sup-a", claim=2, lease=60.0, admit=True)
    store.cycle([], supervisor_id="sup-a", claim=2, lease=60.0)
    store.cycle([], supervisor_id="sup-a", claim=0, lease=60.0)
    assert Counter(statuses(store, ref.id).values()) == {"running": 2}


def test_ordinary_database_errors_are_not_a_lost_connection(store: Store) -> None:
    with pytest.raises(sa.exc.DBAPIError) as missing:
        store.transact(lambda c: c.execute(sa.text("SELECT * FROM no_such_table")))
    assert not connection_lost(missing.value)
    assert not connection_lost(ValueError("not a database error"))


def test_a_terminated_backend_is_a_lost_connection(dialect: str, store: Store) -> None:
    if dialect != "postgres":
        pytest.skip("backends are terminated on the PostgreSQL server")
    with store.engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
        assert cut_connections(store) >= 1
        with pytest.raises(sa.exc.DBAPIError) as cut:
            conn.execute(sa.text("SELECT 1"))
    assert connection_lost(cut.value)
    assert "SELECT" not in describe_db_error(cut.value)  # no SQL (nor its parameters) in the log line
    assert store.transact(lambda c: c.execute(sa.text("SELECT 1")).scalar()) == 1  # the pool recovers


def test_the_listener_reconnects_and_hears_notifications_again(dialect: str, store: Store) -> None:
    if dialect != "postgres":
        pytest.skip("LISTEN is PostgreSQL's")
    with listening(store) as (heard, got):
        assert _heard(store, got, heard, "before")
        assert cut_connections(store) >= 1
        assert _heard(store, got, heard, "after"), f"no notification after the cut; heard {heard}"
        assert "" in heard  # the reconnection itself woke the supervisor (it may have missed some)


def _heard(store: Store, got: threading.Event, heard: list[str], payload: str) -> bool:
    """NOTIFY ``payload`` until the listener hears it (or 30 s pass: a hang, not a speed check)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        got.clear()
        try:
            store.transact(lambda c: notify_txn(c, payload))
        except sa.exc.DBAPIError as error:
            if not connection_lost(error):
                raise
        if got.wait(0.3) and payload in heard:
            return True
    return False
