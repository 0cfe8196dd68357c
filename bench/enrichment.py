"""Benchmark: the enrichment steps over every sandbox fixture, per step, wall and CPU time.

    .venv/bin/python bench/enrichment.py [--count N]

Runs extract_menu, extract_branding (native), search_companies, select_company (the policy's choice or
"none") and extract_company_details for each fixture against an in-process sandbox, on a SQLite file,
one restaurant after another, and prints per step: runs, median and p95 wall milliseconds, and the
process CPU milliseconds per run (load-independent on a shared machine). The sandbox serves from the
same process, so CPU figures include its side of each request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from enrich_support import EnrichCtx, make_batch_database

from regctl.review.policies import evaluate
from regctl.sandbox.manifest import manifest_dict
from regctl.sandbox.server import running_sandbox
from regctl.steps.onboarding import select_company
from regctl.steps.onboarding.extract_branding import extract_branding
from regctl.steps.onboarding.extract_company_details import extract_company_details
from regctl.steps.onboarding.extract_menu import extract_menu
from regctl.steps.onboarding.search_companies import search_companies

FIELDS = ("name", "address", "city", "phone", "email", "website", "ubereats_url")


def _select(ctx: Any) -> Any:
    answer = evaluate("auto_single_strong_match", select_company.request(ctx), ctx) or {"choice": "none"}
    return select_company.apply(ctx, answer)


STEPS: list[tuple[str, Callable[[Any], Any], str | None]] = [
    ("extract_menu", extract_menu, "ubereats_url"), ("extract_branding", extract_branding, "website"),
    ("search_companies", search_companies, None), ("select_company", _select, None),
    ("extract_company_details", extract_company_details, None),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=None)
    args = parser.parse_args()
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in STEPS}
    with running_sandbox(seed=0) as sandbox, tempfile.TemporaryDirectory() as tmp:
        os.environ["REGCTL_SANDBOX_URL"] = sandbox.url
        rows = [{k: v for k, v in e.items() if k in FIELDS}
                for e in manifest_dict(count=args.count, base_url=sandbox.url)["restaurants"]]
        url, ids = make_batch_database(Path(tmp) / "bench.db", rows)
        for row, (rid, job_id) in zip(rows, ids, strict=True):
            ctx = EnrichCtx(database_url=url, data_dir=Path(tmp) / str(job_id), restaurant=row | {"id": rid},
                            job_id=job_id)
            for name, step, needs in STEPS:
                if needs and not row.get(needs):
                    continue
                wall, cpu = time.perf_counter(), time.process_time()
                step(ctx)
                timings[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    print(f"{'step':<26}{'runs':>5}{'median ms':>11}{'p95 ms':>9}{'cpu ms/run':>12}")
    for name, values in timings.items():
        walls = sorted(w * 1000 for w, _ in values)
        cpu = statistics.mean(c * 1000 for _, c in values)
        p95 = walls[min(len(walls) - 1, int(len(walls) * 0.95))]
        print(f"{name:<26}{len(values):>5}{statistics.median(walls):>11.1f}{p95:>9.1f}{cpu:>12.1f}")
    total = sum(w for values in timings.values() for w, _ in values)
    per = total / len(ids) * 1000
    print(f"all steps, {len(ids)} restaurants: {total:.1f} s wall, {per:.0f} ms per restaurant")


if __name__ == "__main__":
    main()
