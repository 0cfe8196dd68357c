"""Time from a recorded decision to the next step starting, on PostgreSQL and on SQLite.

A batch of N restaurants each waits on ``approve`` (builtin.wait); ``publish`` (builtin.noop) needs
it. A real ``regctl supervise`` process watches the database. The benchmark answers the decisions
one at a time through ``record_decision`` (what `regctl decide` / `regctl review` call) and reads
``publish.started_at`` (set by the claim) minus the decision's time (taken as its transaction
starts, so the figure includes the commit). Postgres wakes
the supervisor with LISTEN/NOTIFY; SQLite supervisors poll.

    .venv/bin/python bench/decision_latency.py [--n 50] [--only sqlite|postgres]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from regctl.db.store import Store
from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.review.decisions import record_decision

ADMIN_URL = os.environ.get("REGCTL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REGCTL = str(Path(sys.executable).with_name("regctl"))
MANIFEST = """\
batch: latency
organisation: bench
target: sandbox
pipeline:
  name: latency
  steps:
    - {key: approve, uses: builtin.wait, with: {schema: {type: object, required: [ok]}}}
    - {key: publish, uses: builtin.noop, needs: [approve]}
execution: {max_parallel_restaurants: 1000}
restaurants:
"""


def _manifest(tmp: Path, n: int) -> Path:
    rows = "".join(f"  - {{name: R{i}, address: {i} Bench Road, city: Auckland}}\n" for i in range(n))
    path = tmp / "latency.yaml"
    path.write_text(MANIFEST + rows)
    return path


def _started_at(store: Store, job_id: int, timeout: float = 60.0) -> float:
    step_id = store.step_id_for(job_id, "publish")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = store.step_row(step_id)["started_at"]
        if started is not None:
            return float(started)
        time.sleep(0.001)
    raise TimeoutError(f"publish of job {job_id} did not start within {timeout} s")


def _wait_for_supervisor(store: Store, timeout: float = 180.0) -> None:
    """Until the supervisor process registered (imports are slow on a busy machine), then idle."""
    deadline = time.monotonic() + timeout
    while not store.live_supervisors():
        if time.monotonic() > deadline:
            raise TimeoutError("the supervisor did not start")
        time.sleep(0.1)
    time.sleep(1.0)


def _time_commits(store: Store) -> list[float]:
    """Record when each ``answer_step`` transaction has committed (the moment it returns)."""
    answer_step, times = store.answer_step, []

    def timed(*args: Any, **kwargs: Any) -> bool:
        ok = answer_step(*args, **kwargs)
        times.append(time.time())
        return ok

    store.answer_step = timed  # type: ignore[method-assign]
    return times


def measure(url: str, n: int, tmp: Path) -> tuple[list[float], list[float]]:
    store = api.open_store(url, upgrade=True)
    ref = api.submit_batch(store, load_manifest(_manifest(tmp, n)), actor="bench")
    api.supervise(store, until_idle=True, batch_id=ref.id)  # every job now waits on approve
    waiting = store.waiting_steps(batch_id=ref.id)
    sup = subprocess.Popen([REGCTL, "--db", url, "supervise", "--concurrency", "4"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_supervisor(store)
        committed = _time_commits(store)
        from_start, from_commit = [], []
        for w in waiting:
            recorded = record_decision(store, w["step_id"], {"ok": True}, actor="bench")
            assert recorded.decision is not None
            started = _started_at(store, w["job_id"])
            from_start.append(started - recorded.decision.at)
            from_commit.append(started - committed[-1])
        return from_start, from_commit
    finally:
        sup.send_signal(signal.SIGTERM)
        sup.wait(30)
        store.close()


def _pg_database() -> tuple[str, str]:
    name = f"regctl_bench_latency_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, ADMIN_URL.rpartition("/")[0] + f"/{name}"


def _pg_drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _report(label: str, figures: tuple[list[float], list[float]]) -> None:
    load = os.getloadavg()[0]
    for since, latencies in zip(("decision txn start", "decision committed"), figures, strict=True):
        ms = sorted(x * 1000 for x in latencies)
        p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
        print(f"{label:9} from {since:19} n={len(ms):3}  median {statistics.median(ms):7.1f} ms   "
              f"p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms   (load average {load:.1f}, {os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="regctl-bench-") as tmp:
        os.environ["REGCTL_DATA_DIR"] = tmp
        if args.only != "sqlite":
            name, url = _pg_database()
            try:
                _report("postgres", measure(url, args.n, Path(tmp)))
            finally:
                _pg_drop(name)
        if args.only != "postgres":
            _report("sqlite", measure(f"sqlite:///{tmp}/latency.db", args.n, Path(tmp)))


if __name__ == "__main__":
    main()
