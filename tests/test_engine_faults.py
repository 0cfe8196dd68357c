"""The engine under faults (issue 13): crashes, timeouts, SystemExit, cancels, admission, policies.

Multi-process where the finding is (real `regctl supervise` processes, real SIGKILL / SIGTERM), on
SQLite and PostgreSQL. Step types come from tests/engine_steps.py; ``stamped``/``stubborn`` steps
append ``start``/``end`` lines with ``time.time()`` to a log file, so the tests compare the ORDER of
moments (a step's start against the moment `cancel` returned, attempt 2 against attempt 1), never
how long something took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engine_helpers import manifest, spec
from engine_helpers import wait_for as _wait_for

from regctl.db.store import Store
from regctl.engine import api
from regctl.engine.policy import Leases, RetryPolicy
from regctl.errors import UsageError

REGCTL = str(Path(sys.executable).parent / "regctl")
TESTS = str(Path(__file__).parent)
FAST = RetryPolicy(base=0.01, jitter=0.0)


def _supervise(url: str, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([TESTS, os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [REGCTL, "--db", url, "supervise", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _stamps(log: Path) -> list[tuple[str, float, str, int, int]]:
    """``(what, at, key, job id, attempt)`` per line of a stamped step's log."""
    if not log.exists():
        return []
    out = []
    for line in log.read_text().splitlines():
        what, at, key, job, attempt = line.split()
        out.append((what, float(at), key, int(job), int(attempt)))
    return out


def _steps(store: Store, batch_id: int) -> list[dict[str, object]]:
    return [s for j in store.batch_view(batch_id)["jobs"] for s in store.job_view(j["id"])["steps"]]


def _held(store: Store, batch_id: int, pid: int) -> list[dict[str, object]]:
    return [
        s for s in _steps(store, batch_id)
        if s["status"] == "running" and f":{pid}:" in str(s["lease_owner"])
    ]


# ------------------------------------------------------------------ finding 2: attempts ------------


@pytest.mark.slow
def test_three_kills_with_retries_1_fail_nothing(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """Claimed steps are the running ones (no claim-ahead) and a kill spends no attempt."""
    steps = [spec("work", "engine_steps:stamped", params={"seconds": 0.4, "log": str(tmp_path / "log")},
                  retries=1)]
    ref = api.submit_batch(store, manifest(steps, restaurants=8), actor="t")
    most_held = 0
    for _ in range(3):
        victim = _supervise(database_url, "--until-idle", "--lease", "1", "--concurrency", "2")
        procs.append(victim)
        _wait_for(lambda v=victim: len(_held(store, ref.id, v.pid)) >= 1)
        most_held = max(most_held, len(_held(store, ref.id, victim.pid)))
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
    survivor = _supervise(database_url, "--until-idle", "--lease", "1", "--concurrency", "4")
    procs.append(survivor)
    assert survivor.wait(timeout=120) == 0
    rows = _steps(store, ref.id)
    assert {r["status"] for r in rows} == {"completed"}
    assert all(r["attempts"] == 1 for r in rows)  # every run lost with a supervisor was a recovery
    assert sum(int(r["recoveries"]) for r in rows) >= 3  # type: ignore[call-overload]
    assert most_held <= 2  # a supervisor holds only what its slots run


def test_a_step_lost_more_than_three_times_fails(store: Store) -> None:
    ref = api.submit_batch(store, manifest([spec("a")]), actor="t")
    store.cycle([], supervisor_id="s", claim=0, lease=30, admit=True)
    for _ in range(4):
        claimed = store.cycle([], supervisor_id="lost", claim=1, lease=-1).claimed  # expires at once
        assert len(claimed) == 1 and claimed[0].attempt == 1
        assert store.reclaim_expired(actor="t") == 1
    row = _steps(store, ref.id)[0]
    assert row["status"] == "failed" and row["attempts"] == 0 and row["recoveries"] == 4
    assert "lost its supervisor 4 times" in str(row["error"])


@pytest.mark.slow
def test_a_step_that_kills_its_supervisor_every_time_is_failed_after_four_losses(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    """Every run is on record before its code begins (the start fence, docs/engine.md): a step that
    kills its supervisor the moment it begins is a recovery each time, never an unrecorded rerun with
    the same attempt and recovery numbers — so it ends "lost its supervisor 4 times" instead of
    crashing every later supervisor. (Before the fence the claim committed after the code began, and
    such a step ran forever with attempt 1, recovery 0.)"""
    log = tmp_path / "log"
    steps = [spec("crash", "engine_steps:kills_its_supervisor", params={"log": str(log)}, retries=1)]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    deaths = 0
    while _steps(store, ref.id)[0]["status"] != "failed":
        assert deaths < 6, f"still {_steps(store, ref.id)[0]['status']} after {deaths} supervisors died"
        sup = _supervise(database_url, "--until-idle", "--lease", "0.5", "--batch", str(ref.id))
        code = sup.wait(timeout=60)
        sup.stdout.close()  # type: ignore[union-attr]
        sup.stderr.close()  # type: ignore[union-attr]
        deaths += code == -signal.SIGKILL
    row = _steps(store, ref.id)[0]
    assert "lost its supervisor 4 times" in str(row["error"])
    assert row["attempts"] == 0 and row["recoveries"] == 4
    runs = log.read_text().split("\n")[:-1]
    assert runs == ["1 0", "1 1", "1 2", "1 3"]  # each run once, each lost run counted
    assert deaths == 4


# ------------------------------------------------------------------ finding 3: timeouts ------------


def test_a_timed_out_thread_holds_its_slot_and_the_next_attempt_waits_for_it(
    store: Store, tmp_path: Path
) -> None:
    log = tmp_path / "log"
    steps = [spec("slow", "engine_steps:stubborn", params={"seconds": 0.6, "log": str(log)}, timeout=0.1,
                  retries=3)]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    api.supervise(store, until_idle=True, retry=FAST, leases=Leases(grace=5.0))
    row = _steps(store, ref.id)[0]
    assert row["status"] == "completed" and row["attempts"] == 2
    stamps = _stamps(log)
    first_end = next(at for what, at, _, _, attempt in stamps if what == "end" and attempt == 1)
    second_start = next(at for what, at, _, _, attempt in stamps if what == "start" and attempt == 2)
    assert second_start >= first_end  # attempt 2 never ran beside attempt 1's live thread


def test_a_thread_outliving_its_grace_is_abandoned_and_frees_the_slot(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log"
    steps = [spec("slow", "engine_steps:stubborn", params={"seconds": 30, "log": str(log)}, timeout=0.1,
                  retries=3)]
    ref = api.submit_batch(store, manifest(steps, restaurants=2, max_parallel_restaurants=2), actor="t")
    api.supervise(store, until_idle=True, retry=FAST, leases=Leases(grace=0.2), concurrency=1)
    rows = _steps(store, ref.id)
    assert [r["status"] for r in rows] == ["failed", "failed"]  # each abandoned; no second attempt
    assert all(r["attempts"] == 1 and "abandoned" in str(r["error"]) for r in rows)
    assert len([s for s in _stamps(log) if s[0] == "start"]) == 2  # the second ran in the freed slot


# ------------------------------------------------------------------ finding 8: sys.exit ------------


def test_sys_exit_in_a_step_fails_the_step_not_the_supervisor(store: Store) -> None:
    steps = [spec("tool", "engine_steps:exits", retries=1), spec("then", needs=["tool"], critical=False)]
    other = manifest([spec("a")], batch="other", restaurants=[{"name": "Other", "address": "1 Other St"}])
    ref = api.submit_batch(store, manifest(steps), actor="t")
    other_ref = api.submit_batch(store, other, actor="t")
    api.supervise(store, until_idle=True, retry=FAST)
    tool = _steps(store, ref.id)[0]
    assert tool["status"] == "failed" and "SystemExit(2)" in str(tool["error"])
    assert [s["status"] for s in _steps(store, other_ref.id)] == ["completed"]


# ------------------------------------------------------------------ finding 4: cancel --------------


@pytest.mark.slow
def test_no_step_starts_after_cancel_returns(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    for trial in range(3):
        log = tmp_path / f"log{trial}"
        steps = [spec("work", "engine_steps:stamped", params={"seconds": 0.05, "log": str(log)})]
        ref = api.submit_batch(store, manifest(steps, restaurants=60, batch=f"race{trial}",
                                               organisation=f"org{trial}"), actor="t")
        sup = _supervise(database_url, "--until-idle", "--concurrency", "4", "--batch", str(ref.id))
        procs.append(sup)
        _wait_for(lambda log=log: len(_stamps(log)) >= 8)
        api.cancel(store, batch_id=ref.id, actor="t")
        returned = time.time()
        assert sup.wait(timeout=60) == 4  # the batch it ran was cancelled (SPEC §6)
        late = [s for s in _stamps(log) if s[0] == "start" and s[1] > returned]
        assert late == []
        assert {r["status"] for r in _steps(store, ref.id)} <= {"completed", "cancelled"}


@pytest.mark.slow
def test_a_step_ignoring_cancel_is_recorded_cancelled_after_grace(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    log = tmp_path / "log"
    steps = [spec("slow", "engine_steps:stubborn", params={"seconds": 60, "log": str(log)})]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    sup = _supervise(database_url, "--until-idle", "--grace", "0.5")
    procs.append(sup)
    _wait_for(lambda: len(_stamps(log)) >= 1)
    api.cancel(store, batch_id=ref.id, actor="t")
    assert sup.wait(timeout=30) == 0  # long before the step's 60 s
    row = _steps(store, ref.id)[0]
    assert row["status"] == "cancelled" and row["result"] is None and row["lease_owner"] is None


@pytest.mark.slow
def test_sigterm_honours_grace(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    log = tmp_path / "log"
    steps = [spec("slow", "engine_steps:stubborn", params={"seconds": 60, "log": str(log)})]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    sup = _supervise(database_url, "--grace", "0.5")
    procs.append(sup)
    _wait_for(lambda: len(_stamps(log)) >= 1)
    sup.send_signal(signal.SIGTERM)
    sup.wait(timeout=30)  # long before the step's 60 s
    row = _steps(store, ref.id)[0]
    assert row["status"] == "ready" and row["attempts"] == 0  # handed back, no attempt spent


# ------------------------------------------------------------------ finding 5: admission -----------


def _most_at_once(stamps: list[tuple[str, float, str, int, int]]) -> int:
    moments = sorted((at, 1 if what == "start" else -1) for what, at, *_ in stamps)
    now = most = 0
    for _, change in moments:
        now += change
        most = max(most, now)
    return most


def test_answered_jobs_go_back_through_admission(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log"
    steps = [spec("ask", "builtin.wait"),
             spec("work", "engine_steps:stamped", params={"seconds": 0.2, "log": str(log)}, needs=["ask"])]
    ref = api.submit_batch(store, manifest(steps, restaurants=6, max_parallel_restaurants=2), actor="t")
    api.supervise(store, until_idle=True)
    waiting = store.waiting_steps(batch_id=ref.id)
    assert len(waiting) == 6
    for w in waiting:  # a review session answers them all at once
        assert store.answer_step(w["step_id"], w["attempt"], {}, {"kind": "answer", "actor": "t"})
    api.supervise(store, until_idle=True, concurrency=8)
    assert {r["status"] for r in _steps(store, ref.id)} == {"completed"}
    assert _most_at_once(_stamps(log)) <= 2


def test_retried_jobs_go_back_through_admission(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log"
    steps = [spec("flop", "builtin.fail", params={"times": 1, "retryable": False}),
             spec("work", "engine_steps:stamped", params={"seconds": 0.2, "log": str(log)}, needs=["flop"])]
    ref = api.submit_batch(store, manifest(steps, restaurants=6, max_parallel_restaurants=2), actor="t")
    api.supervise(store, until_idle=True)
    assert api.retry_failed(store, ref.id, actor="t") == 6 * 2
    api.supervise(store, until_idle=True, concurrency=8)
    assert {r["status"] for r in _steps(store, ref.id)} == {"completed"}
    assert _most_at_once(_stamps(log)) <= 2


# ------------------------------------------------------------------ finding 1: the nightly hang ----


def test_a_cancelled_batch_takes_no_new_jobs_and_is_not_runnable(store: Store) -> None:
    ref = api.submit_batch(store, manifest([spec("a")], restaurants=2), actor="t")
    api.cancel(store, batch_id=ref.id, actor="t")
    with pytest.raises(UsageError, match="new `batch:` name"):
        api.submit_batch(store, manifest([spec("a")], restaurants=3), actor="t")
    assert store.runnable() == 0
    assert api.resume(store).steps_run == 0  # returns: nothing is left to wait for
    assert api.resume(store, batch_id=ref.id).exit_code == 4


# ------------------------------------------------------------------ finding 6: durable policies ----


def test_a_policy_lost_with_its_supervisor_is_applied_by_the_next(store: Store) -> None:
    steps = [spec("ask", "builtin.wait", params={"defaults": {"ok": True}}), spec("then", needs=["ask"])]
    ref = api.submit_batch(store, manifest(steps, restaurants=2), actor="t")
    api.supervise(store, until_idle=True)  # no policy yet: both wait
    assert len(store.waiting_steps(batch_id=ref.id)) == 2
    # the state a crash between "waiting" and the policy's answer leaves: a policy, no decision
    from sqlalchemy import update

    from regctl.db.schema import batches

    store.transact(lambda c: c.execute(
        update(batches).where(batches.c.id == ref.id).values(policies={"ask": "accept_defaults"})
    ))
    api.supervise(store, until_idle=True)
    assert {r["status"] for r in _steps(store, ref.id)} == {"completed"}
    decisions = [d for j in store.batch_view(ref.id)["jobs"] for d in store.job_view(j["id"])["decisions"]]
    assert len(decisions) == 2 and {d["actor"] for d in decisions} == {"policy:accept_defaults"}


# ------------------------------------------------------------------ finding 8: the smaller points ----


def test_a_heartbeat_reports_a_lease_another_supervisor_took(store: Store) -> None:
    api.submit_batch(store, manifest([spec("a")]), actor="t")
    store.cycle([], supervisor_id="s", claim=0, lease=30, admit=True)
    mine = store.cycle([], supervisor_id="slow", claim=1, lease=-1).claimed  # slow: its lease ran out
    assert store.reclaim_expired(actor="other") == 1
    store.cycle([], supervisor_id="other", claim=1, lease=30)
    cancelled, lost = store.heartbeat("slow", lease=30, held=[mine[0].id])
    assert (cancelled, lost) == ([], [mine[0].id])


def test_resource_slots_hold_across_batches(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log"
    step = spec("browse", "engine_steps:stamped", params={"seconds": 0.2, "log": str(log)},
                resources={"browser": 1})
    for n in range(2):
        rows = [{"name": f"R{n}-{i}", "address": f"{i} Slot St {n}"} for i in range(2)]
        api.submit_batch(store, manifest([step], batch=f"b{n}", restaurants=rows, limits={"browser": 1}),
                         actor="t")
    api.supervise(store, until_idle=True, concurrency=8)
    assert len(_stamps(log)) == 8 and _most_at_once(_stamps(log)) == 1


def test_a_manifest_rate_limit_bounds_its_batch_only(store: Store) -> None:
    assert store.take_rate_limit("org", "extraction_api", default=(10, 60.0), override=(1, 60.0)) == 0.0
    assert store.take_rate_limit("org", "extraction_api", default=(10, 60.0), override=(1, 60.0)) > 0
    assert store.take_rate_limit("org", "extraction_api", default=(10, 60.0)) == 0.0  # others keep 10/60 s
    # and another organisation's batch never spends this one's tokens
    assert store.take_rate_limit("other", "extraction_api", default=(10, 60.0), override=(1, 60.0)) == 0.0
