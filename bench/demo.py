"""The demo batch's wall time at browser slots 1, 2 and 4 against its lower bounds, and peak memory.

For each slot count: a fresh sandbox (its own process), a fresh SQLite database, manifests/demo.yaml
with ``limits.browser`` set, ``regctl run`` until it waits on decisions, every waiting select_company
answered "none" with ``regctl decide``, ``regctl run`` again until done. Printed per run:

- wall: the two ``regctl run`` calls (decisions are instant and not counted);
- critical path: the slowest job's longest needs/after chain of measured step durations — what
  infinite parallelism could not beat;
- browser bound: all browser-step time divided by the slots — what the slots could not beat;
- ratio: wall / max(both bounds) (1.0 is perfect; the rest is engine, Chromium start-up, waits);
- peak RSS of the supervisor process (``regctl run``) and of its Chromium processes together.

    .venv/bin/python bench/demo.py [--slots 1 2 4] [--restaurants N]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MANIFEST = ROOT / "manifests" / "demo.yaml"
BROWSER_STEPS = {"generate_code", "create_onboarding_user", "register_restaurant", "configure_website",
                 "configure_services", "configure_payment", "import_menu", "add_option_sets", "add_item_tags"}


# ---------------------------------------------------------------- processes and memory ---------

def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        for task in tasks:
            text = (task / "children").read_text().split()
            found.extend(int(c) for c in text)
    except OSError:
        return []
    return found


def _descendants(pid: int) -> list[int]:
    out, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(_children(child))
    return out


def _is_browser(pid: int) -> bool:
    try:
        return "chrom" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").lower()
    except OSError:
        return False


@dataclass
class Peaks:
    supervisor_kb: int = 0
    browser_kb: int = 0


def _sample(proc: subprocess.Popen[bytes], peaks: Peaks) -> None:
    while proc.poll() is None:
        peaks.supervisor_kb = max(peaks.supervisor_kb, _rss_kb(proc.pid))
        browsers = sum(_rss_kb(p) for p in _descendants(proc.pid) if _is_browser(p))
        peaks.browser_kb = max(peaks.browser_kb, browsers)
        time.sleep(0.25)


def _run(args: list[str], env: dict[str, str], peaks: Peaks, log: Path) -> float:
    started = time.monotonic()
    with log.open("ab") as out:
        proc = subprocess.Popen([str(BIN / "regctl"), *args], env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = threading.Thread(target=_sample, args=(proc, peaks), daemon=True)
        sampler.start()
        proc.wait()
        sampler.join()
    return time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _sandbox(log: Path) -> Iterator[str]:
    port = _free_port()
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "regctl.sandbox", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_up(url: str) -> None:
    import httpx

    for _ in range(100):
        try:
            httpx.get(f"{url}/_sandbox/health", timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"the sandbox at {url} did not start")


# ---------------------------------------------------------------- bounds from the database -----

def _steps(db_url: str) -> list[dict[str, Any]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        query = sa.text('SELECT job_id, key, kind, status, needs, "after", started_at, finished_at '
                        "FROM registration_job_steps")
        rows = conn.execute(query).mappings().all()
    engine.dispose()
    return [dict(r) for r in rows]


def _duration(step: dict[str, Any]) -> float:
    if step["started_at"] is None or step["finished_at"] is None or step["status"] == "skipped":
        return 0.0
    if step["kind"] == "action_required":  # waiting for a person is not work the slots could speed up
        return 0.0
    return max(0.0, float(step["finished_at"]) - float(step["started_at"]))


def _keys(value: Any) -> list[str]:
    return list(json.loads(value) if isinstance(value, str) else value or [])


def _longest_chain(job_steps: list[dict[str, Any]]) -> float:
    by_key = {s["key"]: s for s in job_steps}
    memo: dict[str, float] = {}

    def finish(key: str) -> float:
        if key not in memo:
            step = by_key[key]
            before = [*_keys(step["needs"]), *_keys(step["after"])]
            memo[key] = _duration(step) + max((finish(k) for k in before if k in by_key), default=0.0)
        return memo[key]

    return max((finish(k) for k in by_key), default=0.0)


def bounds(db_url: str, slots: int) -> tuple[float, float]:
    """(critical path over all jobs, browser work / slots), in seconds."""
    steps = _steps(db_url)
    jobs: dict[int, list[dict[str, Any]]] = {}
    for step in steps:
        jobs.setdefault(step["job_id"], []).append(step)
    critical = max((_longest_chain(s) for s in jobs.values()), default=0.0)
    browser = sum(_duration(s) for s in steps if s["key"] in BROWSER_STEPS)
    return critical, browser / slots


# ---------------------------------------------------------------- one run ----------------------

def _manifest(folder: Path, slots: int, restaurants: int | None) -> Path:
    doc = yaml.safe_load(MANIFEST.read_text())
    doc["batch"] = f"demo-bench-{slots}"
    doc["execution"]["limits"] = {"browser": slots}
    if restaurants:
        doc["restaurants"] = doc["restaurants"][:restaurants]
    path = folder / f"demo-{slots}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return path


def _answer_waiting(db: str, batch: str, env: dict[str, str], folder: Path) -> int:
    status = subprocess.run([str(BIN / "regctl"), "--db", db, "status", batch, "--json"], env=env,
                            capture_output=True, text=True, check=True)
    answer = folder / "none.json"
    answer.write_text('{"choice": "none"}')
    waiting = [job["id"] for job in json.loads(status.stdout)["jobs"] for step in job["steps"]
               if step["key"] == "select_company" and step["status"] == "action_required"]
    for job_id in waiting:
        subprocess.run([str(BIN / "regctl"), "--db", db, "decide", str(job_id), "select_company", "--json",
                        str(answer)], env=env, check=True, capture_output=True)
    return len(waiting)


def one_run(slots: int, restaurants: int | None) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"regctl-demo-bench-{slots}-"))
    db = f"sqlite:///{folder / 'demo.db'}"
    log = folder / "run.log"
    manifest = _manifest(folder, slots, restaurants)
    with _sandbox(log) as url:
        env = {**os.environ, "REGCTL_SANDBOX_URL": url}
        env.setdefault("REGCTL_SECRET_KEY", _fernet_key())
        peaks = Peaks()
        wall = _run(["--db", db, "run", str(manifest), "--no-progress"], env, peaks, log)
        answered = _answer_waiting(db, f"demo-bench-{slots}", env, folder)
        wall += _run(["--db", db, "run", str(manifest), "--no-progress"], env, peaks, log)
    critical, browser = bounds(db, slots)
    return {"slots": slots, "wall_s": wall, "critical_path_s": critical, "browser_bound_s": browser,
            "ratio": wall / max(critical, browser, 1e-9), "decisions": answered,
            "supervisor_peak_mb": peaks.supervisor_kb / 1024, "browser_peak_mb": peaks.browser_kb / 1024,
            "log": str(log)}


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--restaurants", type=int, default=None, help="only the first N of the demo")
    args = parser.parse_args()
    print(f"{'slots':>5} {'wall s':>8} {'crit. path s':>13} {'browser/slots s':>16} {'ratio':>6} "
          f"{'supervisor MB':>14} {'browsers MB':>12}")
    for slots in args.slots:
        r = one_run(slots, args.restaurants)
        print(f"{r['slots']:>5} {r['wall_s']:>8.1f} {r['critical_path_s']:>13.1f} "
              f"{r['browser_bound_s']:>16.1f} {r['ratio']:>6.2f} {r['supervisor_peak_mb']:>14.0f} "
              f"{r['browser_peak_mb']:>12.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
