"""Scale benchmark: 100,000 queued steps (10,000 restaurants × 10) on PostgreSQL.

Reports, for a 1,000-restaurant batch (10k steps) and a 10,000-restaurant batch (100k steps):
- the time to queue the batch (`submit_batch` from a manifest whose restaurants come from a CSV);
- the peak resident memory (VmHWM) of one `regctl supervise --until-idle` process running the whole
  batch of `builtin.noop` steps — SPEC §9 says it stays flat as batches grow — and its steps/s;
- the latency of `regctl status` (every batch) and `regctl status BATCH --json` for the big batch,
  in-process (warm, the median of several calls: what a user waits for beyond Python start-up)
  and as a fresh process (what `time regctl status` shows). SPEC §9 aims at < 300 ms.

Each size gets its own database ``regctl_chaos_scale_<n>`` (created and dropped here).

    .venv/bin/python bench/scale.py                 # 10k and 100k steps
    .venv/bin/python bench/scale.py --sizes 100,1000 --skip-run
    .venv/bin/python bench/scale.py --sizes 10000 --run-seconds 150 --repeat 1   # 100k queued, 150 s of work
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import signal
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import chaos_harness as h
import yaml

from regctl.manifest.models import MAX_PARALLEL

STEPS_PER_JOB = 10
TEMPLATE = f"{h.PREFIX}scale_template"


@dataclass
class Figures:
    restaurants: int
    steps: int
    submit_s: float
    run_s: float | None = None
    peak_rss_mb: float | None = None
    status_all_ms: float | None = None
    status_batch_ms: float | None = None
    status_batch_text_ms: float | None = None
    status_process_ms: float | None = None
    done: int | None = None  # steps completed by the supervisor run


def write_batch(workdir: Path, restaurants: int, parallel: int | None = None) -> Path:
    leads = workdir / "leads.csv"
    with leads.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "address", "city"])
        for n in range(restaurants):
            out.writerow([f"Scale Kitchen {n}", f"{n} Scale Street, Auckland", "Auckland"])
    steps = [{"key": f"s{i}", "uses": "builtin.noop", **({"needs": [f"s{i - 1}"]} if i % 2 else {})}
             for i in range(STEPS_PER_JOB)]
    manifest = {"batch": f"scale-{restaurants}", "organisation": "scale", "target": "sandbox",
                "pipeline": {"steps": steps},
                "execution": {"mode": "parallel",
                              "max_parallel_restaurants": parallel or min(restaurants, MAX_PARALLEL)},
                "restaurants_from": leads.name}
    path = workdir / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def submit(db_url: str, manifest: Path) -> float:
    from regctl.engine import api
    from regctl.manifest import load_manifest

    started = time.perf_counter()
    store = api.open_store(db_url)
    api.submit_batch(store, load_manifest(manifest), actor="scale")
    elapsed = time.perf_counter() - started
    if hasattr(store, "close"):
        store.close()
    return elapsed


def run_supervisor(db_url: str, workdir: Path, seconds: float | None) -> tuple[float, float, int]:
    """Run one supervisor to the end of the batch (or for ``seconds``, then SIGTERM it);
    (seconds, peak RSS in MB, steps completed)."""
    started = time.perf_counter()
    proc = h.spawn_supervisor(db_url, workdir / "supervise.log", concurrency=16, lease=30.0)
    peak_kb = 0
    while proc.poll() is None:
        peak_kb = max(peak_kb, vm_hwm_kb(proc.pid))
        if seconds is not None and time.perf_counter() - started > seconds:
            h.stop(proc, signal.SIGTERM, wait=60)
            break
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, -signal.SIGTERM) and seconds is None:
        log = (workdir / "supervise.log").read_text()[-2000:]
        raise RuntimeError(f"supervise exited {proc.returncode}: {log}")
    return elapsed, peak_kb / 1024, h.count_steps(db_url, "completed")


def vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def status_in_process_ms(db_url: str, args: list[str], repeat: int) -> float:
    """Median wall time of `regctl --db URL status …` through the CLI, imports already warm."""
    from regctl.cli import main

    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            try:
                main(["--db", db_url, "status", *args])
            except SystemExit as exc:
                if exc.code not in (0, 1, 3, None):
                    raise RuntimeError(f"regctl status {args} exited {exc.code}") from None
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:]) * 1000  # the first call warms the connection pool


def status_process_ms(db_url: str, batch: str) -> float:
    started = time.perf_counter()
    done = h.regctl(["status", batch, "--json"], db_url, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode not in (0, 1, 3):
        raise RuntimeError(f"regctl status exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed


def measure(restaurants: int, *, run: bool, seconds: float | None, repeat: int,
            parallel: int | None = None) -> Figures:
    with tempfile.TemporaryDirectory(prefix="regctl-scale-") as tmp, \
            h.postgres_database(f"scale_{restaurants}", template=TEMPLATE) as db_url:
        workdir = Path(tmp)
        figures = Figures(restaurants, restaurants * STEPS_PER_JOB,
                          submit(db_url, write_batch(workdir, restaurants, parallel)))
        batch = f"scale-{restaurants}"
        figures.status_all_ms = status_in_process_ms(db_url, [], repeat)
        figures.status_batch_ms = status_in_process_ms(db_url, [batch, "--json"], repeat)
        figures.status_batch_text_ms = status_in_process_ms(db_url, [batch], repeat)
        figures.status_process_ms = status_process_ms(db_url, batch)
        if run:
            figures.run_s, figures.peak_rss_mb, figures.done = run_supervisor(db_url, workdir, seconds)
        return figures


def render(rows: list[Figures]) -> str:
    def fmt(value: float | None, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    lines = ["| steps | restaurants | queue (s) | run (s) | steps run | steps/s | supervisor peak RSS (MB) "
             "| status all (ms) | status BATCH (ms) | status BATCH --json (ms) "
             "| status BATCH --json, fresh process (ms) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for f in rows:
        rate = f.done / f.run_s if f.run_s and f.done is not None else None
        lines.append(f"| {f.steps:,} | {f.restaurants:,} | {f.submit_s:.1f} | {fmt(f.run_s, '.1f')} "
                     f"| {fmt(f.done, ',')} "
                     f"| {fmt(rate, ',.0f')} | {fmt(f.peak_rss_mb, '.0f')} | {fmt(f.status_all_ms, '.0f')} "
                     f"| {fmt(f.status_batch_text_ms, '.0f')} | {fmt(f.status_batch_ms, '.0f')} "
                     f"| {fmt(f.status_process_ms, '.0f')} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="restaurants per batch, comma-separated")
    parser.add_argument("--skip-run", action="store_true", help="queue and time status only")
    parser.add_argument("--run-seconds", type=float, default=None,
                        help="stop the supervisor (SIGTERM) after this long instead of at the end of the "
                             "batch: its peak memory with the whole queue waiting is what SPEC §9 is about")
    parser.add_argument("--repeat", type=int, default=3, help="timed status calls per figure (median)")
    parser.add_argument("--parallel", type=int, default=None,
                        help="max_parallel_restaurants (default: all the batch's restaurants at once, "
                             f"up to the manifest's limit of {MAX_PARALLEL})")
    args = parser.parse_args(argv)
    h.make_template(TEMPLATE)
    try:
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, run=not args.skip_run, seconds=args.run_seconds, repeat=args.repeat,
                                parallel=args.parallel))
            print(render(rows[-1:]).splitlines()[-1], flush=True)
    finally:
        h.drop_database(TEMPLATE)
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print(render(rows))
    if len(rows) >= 2 and rows[0].peak_rss_mb and rows[-1].peak_rss_mb:
        print(f"\npeak RSS ratio {rows[-1].steps:,} vs {rows[0].steps:,} steps: "
              f"{rows[-1].peak_rss_mb / rows[0].peak_rss_mb:.2f}× (flat = 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
