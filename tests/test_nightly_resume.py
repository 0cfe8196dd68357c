"""`regctl resume --all` — the nightly job — finishes a batch left with expired leases and due retries.

The state is made for real: a `regctl supervise` process (1 s leases, 2 s retry backoff) claims every
job's `hang` step and fails every `flaky` step once, then is killed with SIGKILL. Once its leases have
expired and the retries are due, `regctl resume --all` (a fresh process, as cron or the workflow runs
it) must reclaim the steps ("lease expired" in the event log), run the retries, finish the batch,
print its summary and exit with the SPEC §6 code: 0 done, 3 waiting on a decision, 1 a job failed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from regctl.db import schema
from regctl.db.connect import normalise_url
from regctl.engine import api
from regctl.manifest import load_manifest

TESTS = Path(__file__).resolve().parent
SUMMARY = re.compile(r"resumed: (\d+) step\(s\) run, (\d+) completed, (\d+) failed, "
                     r"(\d+) decision\(s\) waiting")
RESTAURANTS = 3
TAILS: dict[str, dict[str, Any] | None] = {
    "done": None,  # exit 0
    "waiting": {"key": "approve", "uses": "builtin.wait", "needs": ["after"]},  # exit 3
    "failed": {"key": "broken", "uses": "builtin.fail", "with": {"times": 99, "retryable": False},
               "needs": ["after"]},  # exit 1
}
EXIT = {"done": 0, "waiting": 3, "failed": 1}


def regctl_argv(*args: str) -> list[str]:
    return [sys.executable, "-c", "from regctl.cli import main; main()", *args]


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ, REGCTL_DATABASE_URL=database_url, **extra)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS), env.get("PYTHONPATH", "")) if p)
    return env


def write_manifest(path: Path, tail: dict[str, Any] | None) -> Path:
    steps: list[dict[str, Any]] = [
        {"key": "hang", "uses": "nightly_steps:hang_first_attempt", "retries": 3},
        {"key": "flaky", "uses": "builtin.fail", "with": {"times": 1, "retryable": True}, "retries": 3},
        {"key": "after", "uses": "builtin.noop", "needs": ["hang", "flaky"]},
    ]
    manifest = {"batch": "nightly", "organisation": "nightly-org", "target": "sandbox",
                "pipeline": {"steps": [*steps, *([tail] if tail else [])]},
                "restaurants": [{"name": f"Night Owl {n}", "address": f"{n} Late Street, Auckland"}
                                for n in range(RESTAURANTS)]}
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


def step_rows(database_url: str) -> list[dict[str, Any]]:
    engine = _engine(database_url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(schema.steps))]
    finally:
        engine.dispose()


def _engine(database_url: str) -> sa.Engine:
    return sa.create_engine(normalise_url(database_url), poolclass=sa.pool.NullPool)


def events(database_url: str) -> list[dict[str, Any]]:
    engine = _engine(database_url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(schema.step_events))]
    finally:
        engine.dispose()


def wait_for(predicate: Any, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def crashed_mid_run(database_url: str) -> bool:
    rows = step_rows(database_url)
    hung = [r for r in rows if r["key"] == "hang" and r["status"] == "running"]
    retrying = [r for r in rows if r["key"] == "flaky" and r["status"] == "ready" and r["attempts"] == 1]
    return len(hung) == RESTAURANTS and len(retrying) == RESTAURANTS


def leave_expired_leases_and_due_retries(database_url: str, tmp_path: Path) -> None:
    """Run a supervisor until every hang step is leased and every flaky step awaits its retry; kill it."""
    with (tmp_path / "supervise.log").open("wb") as log:
        victim = subprocess.Popen(regctl_argv("supervise", "--lease", "1", "--concurrency", "8"),
                                  env=child_env(database_url, REGCTL_RETRY_BASE="2"), stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: crashed_mid_run(database_url), "the supervisor to lease and fail its steps")
        finally:
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait()

    def expired_and_due() -> bool:
        rows = step_rows(database_url)
        return all((r["lease_expires_at"] or 0) < time.time() and (r["next_attempt_at"] or 0) < time.time()
                   for r in rows if r["key"] in ("hang", "flaky"))

    wait_for(expired_and_due, "the leases to expire and the retries to fall due", timeout=30)
    assert crashed_mid_run(database_url), "nothing else touched the batch after the kill"


@pytest.mark.parametrize("outcome", list(TAILS))
def test_resume_all_finishes_what_a_crash_left(outcome: str, dialect: str, request: pytest.FixtureRequest,
                                               tmp_path: Path) -> None:
    if (outcome, dialect) in {("waiting", "postgres"), ("failed", "postgres")}:
        pytest.skip("exit-code variants run on SQLite only (the crash path runs on both)")
    database_url = request.getfixturevalue("database_url")
    store = api.open_store(database_url)
    try:
        api.submit_batch(store, load_manifest(write_manifest(tmp_path / "m.yaml", TAILS[outcome])),
                         actor="test")
    finally:
        store.close()
    leave_expired_leases_and_due_retries(database_url, tmp_path)

    done = subprocess.run(regctl_argv("resume", "--all"), env=child_env(database_url), capture_output=True,
                          text=True, timeout=300, check=False)

    assert done.returncode == EXIT[outcome], done.stdout + done.stderr
    summary = SUMMARY.search(done.stdout)
    assert summary, f"no summary line in {done.stdout!r}"
    run, completed, failed, waiting = map(int, summary.groups())
    assert completed >= 3 * RESTAURANTS  # hang (its second run), flaky (attempt 2) and after, per job
    assert waiting == (RESTAURANTS if outcome == "waiting" else 0)
    assert failed == (RESTAURANTS if outcome == "failed" else 0)
    assert run >= completed
    assert_nothing_lost_or_doubled(database_url, outcome)


def assert_nothing_lost_or_doubled(database_url: str, outcome: str) -> None:
    rows = step_rows(database_url)
    by_key = Counter((r["key"], r["status"]) for r in rows)
    for key in ("hang", "flaky", "after"):
        assert by_key[(key, "completed")] == RESTAURANTS, by_key
    # the kill cost `hang` a recovery, not an attempt; `flaky` failed once (issue 13, finding 2)
    assert all((r["attempts"], r["recoveries"]) == (1, 1) for r in rows if r["key"] == "hang")
    assert all((r["attempts"], r["recoveries"]) == (2, 0) for r in rows if r["key"] == "flaky")
    log = events(database_url)
    completions = Counter(e["step_id"] for e in log if e["to_status"] == "completed")
    assert max(completions.values()) == 1, "a step recorded completed twice"
    hang_ids = {r["id"] for r in rows if r["key"] == "hang"}
    reclaimed = {e["step_id"] for e in log if "lease expired" in (e["message"] or "")}
    assert reclaimed == hang_ids, "each killed step was reclaimed, with the event to show it"
    if outcome == "waiting":
        assert by_key[("approve", "action_required")] == RESTAURANTS
    if outcome == "failed":
        assert by_key[("broken", "failed")] == RESTAURANTS
