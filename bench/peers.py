"""regctl's engine beside PgQueuer and Procrastinate: one run, one machine, one PostgreSQL (issue 13).

    python3 -m venv /tmp/peers-venv
    /tmp/peers-venv/bin/pip install pgqueuer asyncpg procrastinate 'psycopg[binary]'
    .venv/bin/python bench/peers.py --peers-python /tmp/peers-venv/bin/python
    .venv/bin/python bench/peers.py --peers-python ... --only pgqueuer     # one case (and raw)

The peers are not regctl's dependencies: they live in their own virtualenv, whose interpreter
``--peers-python`` names; their side of the benchmark is bench/peers_worker.py, run under it (its
docstring says which API of each library is used and why the next job cannot share the finishing
transaction in either). This script runs in .venv and drives everything from outside.

Cases, each on a fresh PostgreSQL database (127.0.0.1:5432, user postgres; ``REGCTL_BENCH_PG``
as for bench/engine.py) dropped at the end:

- raw: bench/engine.py's ``raw_commits_per_s`` (32 one-row INSERT+COMMIT loops, 2 s), measured
  before the cases and again after them; the ratios use the mean of the two.
- regctl: bench/engine.py's ``measure`` of the 500 × 10 chain of ``builtin.noop`` steps
  (``_manifest``), 2 supervisor processes × 16; wall from the first claim to the batch's
  ``finished_at``, both from the database.
- pgqueuer, procrastinate: 500 independent chains of 10 jobs, each job a no-op that enqueues the
  next job of its chain; 2 worker processes × 16 concurrency, started and ready (and, for
  Procrastinate, registered in ``procrastinate_workers``) before the 500 first jobs are enqueued.
  Wall from the first job's start to the last job's success, both from the library's own
  database records (``pgqueuer_log`` 'picked' → 'successful'; ``procrastinate_events``
  'started' → 'succeeded'), so all three walls are timed by the same PostgreSQL clock.

Every case is checked: all chains × length jobs succeeded, each exactly once by the handlers'
own count. "cpu ms" is the worker/supervisor processes' own CPU per step, not PostgreSQL's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import engine  # bench/engine.py: the same raw baseline, databases and regctl measurement
import psycopg

WORKER = Path(__file__).resolve().parent / "peers_worker.py"

# Per peer: how many jobs succeeded so far, the wall (first start → last success, in seconds), and
# how many jobs are still in the queue unfinished.
QUERIES: dict[str, dict[str, str]] = {
    "pgqueuer": {
        "done": "SELECT count(*) FROM pgqueuer_log WHERE status = 'successful'",
        "wall": "SELECT extract(epoch FROM max(created) FILTER (WHERE status = 'successful')"
        " - min(created) FILTER (WHERE status = 'picked')) FROM pgqueuer_log",
        "left": "SELECT count(*) FROM pgqueuer",
    },
    "procrastinate": {
        "done": "SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'",
        "wall": "SELECT extract(epoch FROM max(at) FILTER (WHERE type = 'succeeded')"
        " - min(at) FILTER (WHERE type = 'started')) FROM procrastinate_events",
        "left": "SELECT count(*) FROM procrastinate_jobs WHERE status <> 'succeeded'",
    },
}


def _peer(py: str, peer: str, cmd: str, url: str, *extra: str) -> list[str]:
    return [py, str(WORKER), peer, cmd, url, *extra]


def _scalar(url: str, sql: str) -> Any:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(sql).fetchone()
    return row[0] if row else None


def measure_peer(
    py: str, peer: str, url: str, *, chains: int, length: int, processes: int, concurrency: int
) -> dict[str, Any]:
    size = ["--chains", str(chains), "--length", str(length), "--concurrency", str(concurrency)]
    subprocess.run(_peer(py, peer, "install", url, *size), check=True)
    workers = [
        subprocess.Popen(
            _peer(py, peer, "work", url, *size), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(processes)
    ]
    try:
        for w in workers:
            assert w.stdout is not None
            while (line := w.stdout.readline()) and line.strip() != "ready":
                pass
            if not line:
                raise RuntimeError(f"{peer} worker exited before it was ready")
        if peer == "procrastinate":
            while _scalar(url, "SELECT count(*) FROM procrastinate_workers") < processes:
                time.sleep(0.05)
        time.sleep(1.0)  # let both workers reach their LISTEN and first (empty) fetch
        subprocess.run(_peer(py, peer, "seed", url, *size), check=True)
        total, deadline = chains * length, time.monotonic() + 600
        q = QUERIES[peer]
        with psycopg.connect(url, autocommit=True) as conn:
            while (done := conn.execute(q["done"]).fetchone()[0]) < total:  # type: ignore[index]
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{peer}: {done} of {total} jobs after 600 s")
                time.sleep(0.05)
            time.sleep(0.3)  # a late duplicate would show in the counts below
            done = conn.execute(q["done"]).fetchone()[0]  # type: ignore[index]
            left = conn.execute(q["left"]).fetchone()[0]  # type: ignore[index]
            wall = float(conn.execute(q["wall"]).fetchone()[0])  # type: ignore[index]
    finally:
        reports = []
        for w in workers:
            out, _ = w.communicate(input="", timeout=120)
            reports.append(json.loads(out.strip().splitlines()[-1]))
    ran = sum(r["jobs"] for r in reports)
    assert done == total and left == 0 and ran == total, (peer, done, left, ran)
    cpu = sum(r["cpu"] for r in reports)
    return {
        "steps": total,
        "wall_s": wall,
        "steps_per_s": total / wall,
        "ms_per_step": 1000 * wall / total,
        "cpu_ms_per_step": 1000 * cpu / total,
        "version": reports[0]["version"],
    }


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "--peers-python",
        required=True,
        help="interpreter of a virtualenv with pgqueuer, asyncpg, procrastinate, psycopg[binary]",
    )
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    parser.add_argument("--chains", type=int, default=500)
    parser.add_argument("--length", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    dbs = engine.Databases()
    try:
        run(dbs, args)
    finally:
        dbs.drop_all()


def run(dbs: engine.Databases, args: argparse.Namespace) -> None:
    shape = f"{args.chains}x{args.length} chain, {args.processes} procs x{args.concurrency}"
    print(f"load average at start: {_load()}   ({shape})", flush=True)
    before = engine.raw_commits_per_s(dbs.postgres())
    results: list[tuple[str, dict[str, Any]]] = []
    if args.only in "regctl":
        m = engine._manifest("chain", args.chains, args.length, "builtin.noop", {})
        r = engine.measure(dbs.postgres(), m, processes=args.processes, concurrency=args.concurrency)
        results.append(("regctl", r))
    for peer in ("pgqueuer", "procrastinate"):
        if args.only in peer:
            r = measure_peer(
                args.peers_python,
                peer,
                dbs.postgres(),
                chains=args.chains,
                length=args.length,
                processes=args.processes,
                concurrency=args.concurrency,
            )
            results.append((f"{peer} {r['version']}", r))
    after = engine.raw_commits_per_s(dbs.postgres())
    raw = (before + after) / 2
    print(f"raw PostgreSQL commits/s (32 clients): {before:.0f} before, {after:.0f} after, mean {raw:.0f}")
    print(f"load average at end: {_load()}")
    head = f"{'case':<22} {'steps':>6} {'wall s':>8} {'steps/s':>9} {'ms/step':>8} {'cpu ms':>8} {'÷ raw':>6}"
    print(head + f" {'regctl ÷':>9}")
    ours = next((r["steps_per_s"] for name, r in results if name == "regctl"), None)
    for name, r in results:
        versus = f"{ours / r['steps_per_s']:9.2f}" if ours else f"{'-':>9}"
        print(
            f"{name:<22} {r['steps']:>6} {r['wall_s']:8.2f} {r['steps_per_s']:9.0f} {r['ms_per_step']:8.3f}"
            f" {r['cpu_ms_per_step']:8.3f} {r['steps_per_s'] / raw:6.3f} {versus}",
            flush=True,
        )


if __name__ == "__main__":
    main()
