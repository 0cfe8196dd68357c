"""`regctl run`, `retry`, `resume`, `cancel`: exit codes per SPEC §6, asserted through the library on
the same database (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from cli_support import NOOP_STEPS, manifest, regctl

from regctl.db.store import Store
from regctl.engine.api import open_store

FAIL_ONCE = """    - {key: fetch, uses: builtin.noop}
    - {key: flaky, uses: builtin.fail, with: {times: 1, retryable: false}, needs: [fetch], retries: 1}
    - {key: after_flaky, uses: builtin.noop, needs: [flaky]}"""
WAIT = """    - {key: fetch, uses: builtin.noop}
    - key: approve
      uses: builtin.wait
      needs: [fetch]
      with: {schema: {type: object, required: [ok], properties: {ok: {type: boolean}}}}"""


def statuses(store: Store, name: str) -> dict[str, dict[str, str]]:
    view = store.batch_view(store.find_batch(name)["id"])
    return {j["restaurant"]: {s["key"]: s["status"] for s in j["steps"]} for j in view["jobs"]}


def test_run_completes_and_exits_0(store: Store, database_url: str, tmp_path: Path) -> None:
    result = regctl("run", "--no-progress", str(manifest(tmp_path, NOOP_STEPS)), db=database_url)
    assert result.code == 0, result.output
    assert "batch cli-test" in result.out and "3 completed" in result.out
    batch = store.find_batch("cli-test")
    assert batch["status"] == "completed"
    for steps in statuses(store, "cli-test").values():
        assert steps == {"first": "completed", "second": "completed", "third": "skipped"}
    assert "second completed" in result.out  # plain progress lines when piped


def test_running_the_same_manifest_again_resumes_without_duplicates(store: Store, database_url: str,
                                                                    tmp_path: Path) -> None:
    path = manifest(tmp_path, NOOP_STEPS)
    assert regctl("run", str(path), db=database_url).code == 0
    again = regctl("run", str(path), db=database_url)
    assert again.code == 0 and "resumed" in again.err
    assert len(store.list_batches()) == 1
    assert len(store.batch_view(store.find_batch("cli-test")["id"])["jobs"]) == 3


def test_failed_job_exits_1_then_retry_and_resume_complete_it(store: Store, database_url: str,
                                                              tmp_path: Path) -> None:
    path = manifest(tmp_path, FAIL_ONCE, count=1)
    result = regctl("run", str(path), db=database_url)
    assert result.code == 1, result.output
    assert statuses(store, "cli-test")["Restaurant 0"] == {
        "fetch": "completed", "flaky": "failed", "after_flaky": "blocked"}
    job_id = store.batch_view(store.find_batch("cli-test")["id"])["jobs"][0]["id"]
    retried = regctl("retry", f"job:{job_id}", db=database_url)
    assert retried.code == 0, retried.output
    resumed = regctl("resume", "cli-test", db=database_url)
    assert resumed.code == 0, resumed.output
    assert statuses(store, "cli-test")["Restaurant 0"]["after_flaky"] == "completed"


def test_retry_batch_failed(store: Store, database_url: str, tmp_path: Path) -> None:
    assert regctl("run", str(manifest(tmp_path, FAIL_ONCE, count=2)), db=database_url).code == 1
    result = regctl("retry", "cli-test", "--failed", db=database_url)
    assert result.code == 0 and "ready again" in result.out
    assert regctl("resume", "--all", db=database_url).code == 0
    assert store.find_batch("cli-test")["status"] == "completed"


def test_waiting_on_a_decision_exits_3_and_cancel_exits_4(store: Store, database_url: str,
                                                          tmp_path: Path) -> None:
    path = manifest(tmp_path, WAIT, count=2)
    result = regctl("run", str(path), db=database_url)
    assert result.code == 3, result.output
    assert "decision(s) waiting" in result.out
    assert len(store.waiting_steps(batch_id=store.find_batch("cli-test")["id"])) == 2
    cancelled = regctl("cancel", "cli-test", db=database_url)
    assert cancelled.code == 0, cancelled.output
    assert store.find_batch("cli-test")["status"] == "cancelled"
    assert regctl("run", str(path), db=database_url).code == 4


def test_cancel_one_job(store: Store, database_url: str, tmp_path: Path) -> None:
    assert regctl("run", str(manifest(tmp_path, WAIT, count=2)), db=database_url).code == 3
    job_id = store.batch_view(store.find_batch("cli-test")["id"])["jobs"][0]["id"]
    assert regctl("cancel", f"job:{job_id}", db=database_url).code == 0
    assert store.find_job(job_id)["status"] == "cancelled"
    other = store.batch_view(store.find_batch("cli-test")["id"])["jobs"][1]
    assert other["status"] != "cancelled"


def test_bad_references_exit_2(database_url: str, tmp_path: Path) -> None:
    assert regctl("run", str(manifest(tmp_path, NOOP_STEPS, count=1)), db=database_url).code == 0
    for args in (["cancel", "no-such-batch"], ["cancel", "job:999"], ["retry", "job:abc"],
                 ["retry", "999"], ["resume"], ["resume", "nope"], ["retry", "1", "--from", "nope"],
                 ["retry", "cli-test", "--failed", "--from", "x"], ["show", "998"], ["status", "nope"]):
        result = regctl(*args, db=database_url)
        assert result.code == 2, (args, result.output)
        assert result.err.startswith("regctl: ") or "Error" in result.err, (args, result.err)


def test_run_upgrades_a_new_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "new.db"
    db.parent.mkdir()
    assert regctl("run", str(manifest(tmp_path, NOOP_STEPS, count=1)), db=f"sqlite:///{db}").code == 0
    store = open_store(f"sqlite:///{db}")
    try:
        assert store.find_batch("cli-test")["status"] == "completed"
    finally:
        store.close()


def test_detach_returns_at_once_and_a_background_supervisor_finishes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'detached.db'}"
    steps = """    - {key: nap, uses: builtin.sleep, with: {seconds: 0.2}}"""
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path / "data"))
    result = regctl("run", "--detach", str(manifest(tmp_path, steps, count=2)), db=db)
    assert result.code == 0, result.output
    pid = int(re.search(r"background \(pid (\d+)\)", result.out).group(1))  # type: ignore[union-attr]
    logs = list((tmp_path / "data" / "logs").glob("cli-test-*.log"))
    assert len(logs) == 1
    store = open_store(db)
    try:
        deadline = time.monotonic() + 60  # a bound on waiting, not a speed assertion
        while store.find_batch("cli-test")["status"] != "completed" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert store.find_batch("cli-test")["status"] == "completed", logs[0].read_text()
    finally:
        store.close()
        os.waitpid(pid, 0)  # the supervisor exits once idle; reap it
