"""A supervisor survives losing its database connections (PostgreSQL only).

`make chaos`'s `pgrestart` scenario restarts the whole server, which disturbs everyone sharing it;
here the same failure is made politely: every backend connected to *this test's* database is
terminated (`pg_terminate_backend`) while a `regctl supervise --until-idle` is mid-run. The
supervisor must reconnect and finish the batch itself (exit 0) — nothing lost, nothing twice.
"""

from __future__ import annotations

import random
import signal
import sys
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import chaos  # noqa: E402  (bench/ is not a package)
import chaos_harness as h  # noqa: E402

from regctl.db.connect import normalise_url  # noqa: E402

pytestmark = pytest.mark.slow


def terminate_backends(database_url: str) -> int:
    """Cut every other session on this test's database; returns how many were cut."""
    name = sa.make_url(normalise_url(database_url)).database
    with psycopg.connect(h.PG_ADMIN, autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchall()
    return len(rows)


def test_supervisor_reconnects_after_its_connections_are_cut(dialect: str, request: pytest.FixtureRequest,
                                                              tmp_path: Path) -> None:
    if dialect != "postgres":
        pytest.skip("connections are cut on the PostgreSQL server")
    database_url = request.getfixturevalue("database_url")
    trial = h.Trial(scenario="reconnect", number=0, seed=7, workdir=tmp_path, db_url=database_url)
    chaos.submit(trial, random.Random(7), restaurants=6, steps=5, seconds=0.1)
    proc = chaos.supervisor(trial, lease=30.0)
    try:
        chaos.started_work(trial)
        time.sleep(0.3)
        assert terminate_backends(database_url) > 0, "the supervisor had no session to cut"
        code = proc.wait(timeout=300)
    finally:
        h.stop(proc, signal.SIGKILL, wait=10)
    log = (tmp_path / "supervise.log").read_text(errors="replace")
    assert code == 0, f"supervise exited {code}: {chaos.last_error(tmp_path / 'supervise.log')}\n{log[-800:]}"
    verdict = h.check(trial)
    assert verdict.ok, verdict
