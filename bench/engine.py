"""Engine benchmark: steps/s and per-step overhead on SQLite and PostgreSQL (issue 2).

    .venv/bin/python bench/engine.py            # everything (a few minutes)
    .venv/bin/python bench/engine.py --quick    # smaller cases, for a smoke run
    .venv/bin/python bench/engine.py --only postgres   # the cases whose label contains this

Cases: 2,000 independent no-op steps; a 500 x 10 chain of no-ops (SQLite with 1 supervisor,
PostgreSQL with 1 and 2 supervisor processes x 16); 200 x 5 steps of sleep(0.05) at concurrency 32
(one process x 32; on PostgreSQL also two x 16) against the physical bound (200*5*0.05/32 =
1.5625 s). Alongside, the raw PostgreSQL commit rate of the same machine at the same moment (32
concurrent committers), so figures can be read as
ratios on a busy machine. Wall time is measured from the first claim to the batch's completion,
both taken from the database (for the sleep case also from the submission, which adds admitting the
200 jobs); CPU is the supervisor processes' own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from regctl.engine import api  # noqa: E402
from regctl.manifest import Execution, Manifest  # noqa: E402
from regctl.pipeline import Pipeline, StepSpec  # noqa: E402

ADMIN = os.environ.get("REGCTL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _manifest(name: str, jobs: int, length: int, uses: str, params: dict[str, Any]) -> Manifest:
    kind = "automatic"
    steps = tuple(
        StepSpec(key=f"s{i}", uses=uses, kind=kind, params=params, needs=(f"s{i - 1}",) if i else ())
        for i in range(length)
    )
    rows = [{"name": f"Bench {i}", "address": f"{i} Bench Road"} for i in range(jobs)]
    return Manifest(
        batch=name,
        organisation="bench",
        target="sandbox",
        pipeline=Pipeline("custom", steps),
        execution=Execution(max_parallel_restaurants=jobs),
        policies={},
        defaults={},
        notify=None,
        restaurants=rows,
    )


# ---------------------------------------------------------------- worker process ---------------


def worker(url: str, concurrency: int) -> None:
    """Supervise until stdin closes; print our CPU seconds and steps as JSON."""
    store = api.open_store(url)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    cpu = time.process_time()
    summary = api.supervise(store, concurrency=concurrency, stop=stop)
    print(json.dumps({"cpu": time.process_time() - cpu, "steps": summary.steps_run}), flush=True)
    store.close()


def _spawn(url: str, concurrency: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, "--worker", url, "--concurrency", str(concurrency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


# ---------------------------------------------------------------- one measured run -------------


def _wait_settled(store: Any, batch_id: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while store.batch_row(batch_id)["finished_at"] is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"batch {batch_id} did not finish")
        time.sleep(0.05)


def _wall(store: Any, batch_id: int) -> float:
    first = min(e["at"] for e in store.events(batch_id=batch_id) if e["to_status"] == "running")
    return float(store.batch_row(batch_id)["finished_at"] - first)


def _wall_from_submit(store: Any, batch_id: int) -> float:
    """Submission (the batch row's created_at) to finished_at: includes admitting the jobs."""
    row = store.batch_row(batch_id)
    return float(row["finished_at"] - row["created_at"])


def measure(url: str, m: Manifest, *, processes: int, concurrency: int) -> dict[str, Any]:
    store = api.open_store(url, upgrade=True)
    workers = [_spawn(url, concurrency) for _ in range(processes)]
    while len(store.live_supervisors()) < processes:
        time.sleep(0.05)
    ref = api.submit_batch(store, m, actor="bench")
    _wait_settled(store, ref.id)
    reports = [json.loads(w.communicate(input="")[0].strip().splitlines()[-1]) for w in workers]
    wall, steps = _wall(store, ref.id), sum(r["steps"] for r in reports)
    from_submit = _wall_from_submit(store, ref.id)
    status = store.batch_row(ref.id)["status"]
    store.close()
    assert status == "completed", status
    cpu = sum(r["cpu"] for r in reports)
    return {
        "steps": steps,
        "wall_s": wall,
        "submit_s": from_submit,
        "steps_per_s": steps / wall,
        "ms_per_step": 1000 * wall / steps,
        "cpu_ms_per_step": 1000 * cpu / steps,
    }


# ---------------------------------------------------------------- databases and baseline -------


class Databases:
    """A fresh SQLite file or PostgreSQL database per run, removed afterwards."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="regctl-bench-")
        self.count = 0

    def sqlite(self) -> str:
        self.count += 1
        return f"sqlite:///{self.tmp.name}/bench{self.count}.db"

    def postgres(self) -> str:
        self.count += 1
        name = f"regctl_bench_{os.getpid()}_{self.count}"
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return ADMIN.rpartition("/")[0] + f"/{name}"

    def drop_all(self) -> None:
        """Best effort: a fresh connection per database, errors reported, not raised."""
        for i in range(1, self.count + 1):
            try:
                with psycopg.connect(ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "regctl_bench_{os.getpid()}_{i}" WITH (FORCE)')
            except psycopg.Error as exc:
                print(f"cleanup: could not drop bench database {i}: {exc}", file=sys.stderr)
        self.tmp.cleanup()


def raw_commits_per_s(url: str, clients: int = 32, seconds: float = 2.0) -> float:
    """Single-row INSERT+COMMIT loops on ``clients`` connections: the machine's commit rate now."""
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commits (id bigserial primary key, at float8)")
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def loop(i: int) -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            while time.monotonic() < stop:
                conn.execute("INSERT INTO bench_commits (at) VALUES (%s)", (time.time(),))
                counts[i] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds


# ---------------------------------------------------------------- the report -------------------


def _row(label: str, r: dict[str, Any], baseline: float | None = None) -> str:
    ratio = f"{r['steps_per_s'] / baseline:6.3f}" if baseline else "     -"
    return (
        f"{label:<42} {r['steps']:>6} {r['wall_s']:8.2f} {r['steps_per_s']:9.0f} {r['ms_per_step']:8.3f} "
        f"{r['cpu_ms_per_step']:8.3f} {ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="only the cases whose label contains this (chain, sleep…)")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.concurrency)
        return
    scale = 5 if args.quick else 1
    dbs = Databases()
    try:
        run(dbs, scale, args.only)
    finally:
        dbs.drop_all()


def run(dbs: Databases, scale: int, only: str = "") -> None:
    noop = _manifest("noop", 2000 // scale, 1, "builtin.noop", {})
    chain = _manifest("chain", 500 // scale, 10, "builtin.noop", {})
    sleep = _manifest("sleep", 200, 5, "builtin.sleep", {"seconds": 0.05})
    baseline = raw_commits_per_s(dbs.postgres())
    print(f"raw PostgreSQL commits/s (32 clients, same run): {baseline:.0f}")
    print(f"{'case':<42} {'steps':>6} {'wall s':>8} {'steps/s':>9} {'ms/step':>8} {'cpu ms':>8} {'÷ raw':>6}")
    cases = [
        ("noop x2000     sqlite   1 proc x16", dbs.sqlite, noop, 1, 16),
        ("noop x2000     postgres 1 proc x16", dbs.postgres, noop, 1, 16),
        ("noop x2000     postgres 2 procs x16", dbs.postgres, noop, 2, 16),
        ("chain 500x10   sqlite   1 proc x16", dbs.sqlite, chain, 1, 16),
        ("chain 500x10   postgres 1 proc x16", dbs.postgres, chain, 1, 16),
        ("chain 500x10   postgres 2 procs x16", dbs.postgres, chain, 2, 16),
    ]
    for label, db, m, procs, conc in cases:
        if only not in label:
            continue
        print(_row(label, measure(db(), m, processes=procs, concurrency=conc), baseline), flush=True)
    sleeps = [
        ("sqlite", dbs.sqlite, 1, 32),
        ("postgres", dbs.postgres, 1, 32),
        ("postgres", dbs.postgres, 2, 16),
    ]
    for label, db, procs, conc in sleeps:
        name = f"sleep(0.05) 200x5 {label} {procs} proc{'s' if procs > 1 else ''} x{conc}"
        if only not in name:
            continue
        r = measure(db(), sleep, processes=procs, concurrency=conc)
        print(
            _row(name, r)
            + f"   wall / 1.5625 s bound = {r['wall_s'] / 1.5625:.3f}"
            + f" (from submission: {r['submit_s']:.3f} s = {r['submit_s'] / 1.5625:.3f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
