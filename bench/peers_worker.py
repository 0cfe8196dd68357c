"""The peer libraries' side of bench/peers.py: runs under the peers' interpreter, never under .venv.

    PEERS_PY bench/peers_worker.py {pgqueuer|procrastinate} install URL
    PEERS_PY bench/peers_worker.py {pgqueuer|procrastinate} seed URL --chains 500 --length 10
    PEERS_PY bench/peers_worker.py {pgqueuer|procrastinate} work URL --concurrency 16 --length 10

This file imports only the standard library and the peer under test (plus its driver), so it runs in
a virtualenv that has PgQueuer or Procrastinate and not regctl; regctl's .venv never imports it.
``work`` prints ``ready`` once its library is set up, works until its standard input closes, then
prints one JSON line: the process's CPU seconds, the jobs its handler ran, the library's version.

The workload, the same for both: job (chain, i) is a no-op that enqueues (chain, i + 1) while
i + 1 < length. The APIs used, from each library's README/docs and its installed source:

- PgQueuer (asyncpg driver, its documented first choice): ``PgQueuer.from_asyncpg_pool(pool)``,
  ``@pgq.entrypoint("step")``, ``pgq.run(batch_size=..., max_concurrent_tasks=concurrency)``
  (the dequeue query caps the picked jobs at ``max_concurrent_tasks``, which must be ≥ 2 ×
  ``batch_size``); the handler enqueues with ``pgq.qm.queries.enqueue(entrypoint, payload)``;
  schema with ``Queries(driver).install()`` (what ``pgq install`` runs). PgQueuer records a job's
  outcome later, in a buffered batch (``JobStatusLogBuffer``: every ``batch_size`` outcomes or
  0.1 s) on its own connection, so the next job's INSERT cannot share the finishing transaction:
  it commits before the job is marked done (at-least-once; a crash in between repeats the job).
- Procrastinate: ``App(connector=PsycopgConnector(conninfo=..., min_size, max_size))``,
  ``@app.task(name="step")``, ``step.defer_async(chain=..., i=...)`` inside the task,
  ``app.run_worker_async(concurrency=..., install_signal_handlers=False)`` cancelled to stop (its
  documented graceful stop), schema with ``app.schema_manager.apply_schema_async()``, seeding with
  ``step.batch_defer_async``. Procrastinate too finishes a job in its own statement
  (``procrastinate_finish_job``) after the task returns, so the defer commits first, as above.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import threading
import time
from importlib import metadata
from typing import Any


def _stdin_closed(loop: asyncio.AbstractEventLoop) -> asyncio.Event:
    """An event set once our standard input reaches EOF (the parent's stop signal)."""
    done = asyncio.Event()

    def wait() -> None:
        sys.stdin.read()
        loop.call_soon_threadsafe(done.set)

    threading.Thread(target=wait, daemon=True).start()
    return done


# ---------------------------------------------------------------- PgQueuer ---------------------


async def pgqueuer_main(cmd: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    import asyncpg  # type: ignore[import-not-found]
    from pgqueuer import PgQueuer  # type: ignore[import-not-found]
    from pgqueuer.db import AsyncpgDriver  # type: ignore[import-not-found]
    from pgqueuer.models import Job  # type: ignore[import-not-found]
    from pgqueuer.queries import Queries  # type: ignore[import-not-found]

    if cmd in ("install", "seed"):
        conn = await asyncpg.connect(url)
        try:
            queries = Queries(AsyncpgDriver(conn))
            if cmd == "install":
                await queries.install()
            else:
                n = args.chains
                await queries.enqueue(["step"] * n, [f"{c}:0".encode() for c in range(n)], [0] * n)
        finally:
            await conn.close()
        return {}

    # A pool, so the queue manager's dequeues/logs and the 16 handlers' enqueues do not queue behind
    # one connection (PgQueuer's pool driver does not lock around queries; its listener takes one).
    pool = await asyncpg.create_pool(url, min_size=args.concurrency + 4, max_size=args.concurrency + 4)
    pgq = PgQueuer.from_asyncpg_pool(pool)
    ran = 0

    @pgq.entrypoint("step")
    async def step(job: Job) -> None:
        nonlocal ran
        chain, i = (int(x) for x in job.payload.decode().split(":"))
        if i + 1 < args.length:
            await pgq.qm.queries.enqueue("step", f"{chain}:{i + 1}".encode())
        ran += 1

    stop = _stdin_closed(asyncio.get_running_loop())
    cpu = time.process_time()
    runner = asyncio.create_task(
        pgq.run(batch_size=args.concurrency // 2, max_concurrent_tasks=args.concurrency)
    )
    print("ready", flush=True)
    await stop.wait()
    pgq.shutdown.set()
    await runner
    await pool.close()
    return {"cpu": time.process_time() - cpu, "jobs": ran, "version": metadata.version("pgqueuer")}


# ---------------------------------------------------------------- Procrastinate ----------------


async def procrastinate_main(cmd: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    import procrastinate  # type: ignore[import-not-found]

    # Pool sized like PgQueuer's: every slot can defer at once, plus the fetcher and the listener.
    size = args.concurrency + 4
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=url, min_size=size, max_size=size)
    )
    ran = 0

    @app.task(name="step")
    async def step(chain: int, i: int) -> None:
        nonlocal ran
        if i + 1 < args.length:
            await step.defer_async(chain=chain, i=i + 1)
        ran += 1

    async with app.open_async():
        if cmd == "install":
            await app.schema_manager.apply_schema_async()
            return {}
        if cmd == "seed":
            await step.batch_defer_async(*({"chain": c, "i": 0} for c in range(args.chains)))
            return {}
        stop = _stdin_closed(asyncio.get_running_loop())
        cpu = time.process_time()
        runner = asyncio.create_task(
            app.run_worker_async(concurrency=args.concurrency, install_signal_handlers=False, wait=True)
        )
        print("ready", flush=True)
        await stop.wait()
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
    return {"cpu": time.process_time() - cpu, "jobs": ran, "version": metadata.version("procrastinate")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("peer", choices=["pgqueuer", "procrastinate"])
    parser.add_argument("cmd", choices=["install", "seed", "work"])
    parser.add_argument("url")
    parser.add_argument("--chains", type=int, default=500)
    parser.add_argument("--length", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    peer_main = pgqueuer_main if args.peer == "pgqueuer" else procrastinate_main
    report = asyncio.run(peer_main(args.cmd, args.url, args))
    if args.cmd == "work":
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
