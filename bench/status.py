"""`regctl status` speed: a 10,000-restaurant batch in-process, and a fresh process on a small database.

Figures, not assertions (issue 15, item 5: < 300 ms in-process for the big batch, < 250 ms for a fresh
process on a small database). The machine is shared, so every figure is measured ``--repeat`` times
and reported as min / median / max, and the fresh-process figures beside two baselines measured the
same way in the same minute: a bare ``python -c pass`` and ``python -c "import sqlalchemy"`` (the
floor any regctl command that opens a database pays). Ratios to those baselines travel better between
machines than milliseconds do.

    .venv/bin/python bench/status.py                        # SQLite; 10,000 restaurants × 10 steps
    .venv/bin/python bench/status.py --postgres             # the same on PostgreSQL (127.0.0.1)
    .venv/bin/python bench/status.py --restaurants 1000 --repeat 5
    .venv/bin/python bench/status.py --fresh-only --repeat 30 --before /tmp/main   # start-up only

What is timed in-process: ``regctl status BATCH`` as a terminal shows it (``batch_overview``: counts in
the database plus the 40 busiest rows — what a 48-row terminal shows — rendered by rich into a
120-column console), piped (every job,
tab-separated), ``--json`` (every job and step), and ``status`` of every batch.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout, suppress
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STEPS_PER_JOB = 10


def write_manifest(workdir: Path, name: str, restaurants: int) -> Path:
    leads = workdir / f"{name}.csv"
    with leads.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "address", "city"])
        out.writerows([f"Status Kitchen {n}", f"{n} Status Street", "Auckland"] for n in range(restaurants))
    steps = [{"key": f"s{i}", "uses": "builtin.noop", **({"needs": [f"s{i - 1}"]} if i % 2 else {})}
             for i in range(STEPS_PER_JOB)]
    path = workdir / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"batch": name, "organisation": "bench", "target": "sandbox",
                                    "pipeline": {"steps": steps}, "restaurants_from": leads.name}))
    return path


def submit(url: str, manifest: Path) -> None:
    from regctl.engine import api
    from regctl.manifest import load_manifest

    store = api.open_store(url, upgrade=True)
    try:
        api.submit_batch(store, load_manifest(manifest), actor="bench")
    finally:
        store.close()


Samples = dict[str, tuple[list[float], list[float]]]  # name → (wall ms, CPU ms)


def spread(samples: list[float]) -> str:
    return f"{min(samples):6.0f} {statistics.median(samples):6.0f} {max(samples):6.0f}"


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``repeat`` calls. On a loaded machine the CPU time is the better
    estimate of what a quiet machine's wall clock would show (the wall clock also counts waiting)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, cpu


def in_process(url: str, batch: str, repeat: int) -> Samples:
    from rich.console import Console

    from regctl.cli import main
    from regctl.commands.status import batch_overview, batch_status
    from regctl.engine import api
    from regctl.render import batch_detail

    def cli(*args: str) -> None:
        with redirect_stdout(io.StringIO()), suppress(SystemExit):
            main(["--db", url, *args])

    def terminal() -> None:
        store = api.open_store(url)
        try:
            view = batch_overview(store, batch, rows=40)  # what a 48-row terminal shows
            Console(file=io.StringIO(), width=120).print(batch_detail(view, width=120))
        finally:
            store.close()

    def terminal_before() -> None:  # what `status BATCH` did before issue 15: every step, 200 rows
        store = api.open_store(url)
        try:
            view = batch_status(store, batch)
            Console(file=io.StringIO(), width=120).print(batch_detail(view, max_rows=200, width=120))
        finally:
            store.close()

    cli("status", batch)  # warm: imports and the SQLite page cache
    return {"status BATCH (terminal: summary + 40 rows)": timed(terminal, repeat),
            "  the same, the old way (every step read, 200 rows)": timed(terminal_before,
                                                                         max(3, repeat // 3)),
            "status BATCH (piped: every job)": timed(lambda: cli("status", batch), repeat),
            "status BATCH --json (every step)": timed(lambda: cli("status", batch, "--json"),
                                                      max(3, repeat // 3)),
            "status (every batch)": timed(lambda: cli("status"), repeat)}


CLI = "import sys; from regctl.cli import main; main(sys.argv[1:])"


def fresh_process(url: str, batch: str, repeat: int, before: Path | None) -> Samples:
    env = {**os.environ, "REGCTL_DATABASE_URL": url}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass (baseline)": ([sys.executable, "-c", "pass"], env),
        "python -c 'import sqlalchemy' (baseline)": ([sys.executable, "-c", "import sqlalchemy"], env),
        "regctl status": ([str(BIN / "regctl"), "status"], env),
        f"regctl status {batch}": ([str(BIN / "regctl"), "status", batch], env),
        f"regctl status {batch} --json": ([str(BIN / "regctl"), "status", batch, "--json"], env)}
    if before is not None:  # the same command from another source tree (e.g. `git archive` of main)
        commands["regctl status, --before source"] = ([sys.executable, "-c", CLI, "status"],
                                                      {**env, "PYTHONPATH": str(before)})
    # Every row from .pyc files, as any run after the first on a user's machine: with
    # PYTHONDONTWRITEBYTECODE set (CI, some shells) each run would otherwise compile regctl again.
    for tree in (ROOT, before):
        if tree is not None:
            compileall.compile_dir(tree / "regctl", quiet=1)
    samples: Samples = {name: ([], []) for name in commands}
    for _ in range(repeat):  # interleaved, so a burst of load hits every command alike
        for name, (argv, child_env) in commands.items():
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(argv, env=child_env, stdout=subprocess.DEVNULL, check=True,
                           cwd=tempfile.gettempdir())
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            samples[name][0].append((time.perf_counter() - started) * 1000)
            samples[name][1].append(1000 * (cpu_after.ru_utime - cpu_before.ru_utime
                                            + cpu_after.ru_stime - cpu_before.ru_stime))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--restaurants", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at 127.0.0.1 instead of SQLite")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also time `regctl status` from this source tree (a checkout's root)")
    parser.add_argument("--fresh-only", action="store_true",
                        help="only the fresh-process figures (no big batch, nothing in-process)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="regctl-bench-status-") as tmp:
        work = Path(tmp)
        big_url, small_url, drop = databases(work, args.postgres)
        try:
            if not args.fresh_only:
                started = time.perf_counter()
                submit(big_url, write_manifest(work, "big", args.restaurants))
                print(f"queued {args.restaurants:,} restaurants × {STEPS_PER_JOB} steps in "
                      f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f}")
            submit(small_url, write_manifest(work, "small", 12))
            if not args.fresh_only:
                report("in-process, big batch", in_process(big_url, "big", args.repeat))
            print(f"load average before the fresh processes {os.getloadavg()[0]:.1f}")
            report("fresh process, small database (12 restaurants)",
                   fresh_process(small_url, "small", args.repeat, args.before))
            print(f"load average at the end {os.getloadavg()[0]:.1f}")
        finally:
            drop()


def report(title: str, samples: Samples) -> None:
    print(f"\n{title} — min / median / max ms over n runs")
    print(f"  {'':<52} {'wall':^20}   {'CPU':^20}")
    for name, (wall, cpu) in samples.items():
        print(f"  {name:<52} {spread(wall)}   {spread(cpu)}   n={len(wall)}")
    floor = samples.get("python -c 'import sqlalchemy' (baseline)")
    if floor:
        for name, (wall, cpu) in samples.items():
            if name.startswith("regctl"):
                wall_ratio = statistics.median(wall) / statistics.median(floor[0])
                cpu_ratio = statistics.median(cpu) / statistics.median(floor[1])
                print(f"  {name:<52} {wall_ratio:.2f}× wall, {cpu_ratio:.2f}× CPU of the sqlalchemy import")


def databases(work: Path, postgres: bool) -> tuple[str, str, Callable[[], None]]:
    if not postgres:
        return f"sqlite:///{work / 'big.db'}", f"sqlite:///{work / 'small.db'}", lambda: None
    import psycopg

    names = [f"regctl_bench_status_{os.getpid()}_{n}" for n in ("big", "small")]
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return (*(f"postgresql://postgres@127.0.0.1:5432/{n}" for n in names), drop)  # type: ignore[return-value]


if __name__ == "__main__":
    main()
