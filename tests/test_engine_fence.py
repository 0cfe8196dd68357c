"""The start fence under attack (issue 13, "cancel is immediate"): what a slow start, another name
for the same database file, or a stopped fence holder do to "no step starts after `regctl cancel`
returns". Real `regctl supervise` processes where the finding is, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from engine_helpers import manifest, spec
from test_engine_faults import _stamps, _steps, _supervise, _wait_for

from regctl.db.connect import open_engine
from regctl.db.fence import StartFence
from regctl.db.store import Store
from regctl.engine import api


@pytest.mark.slow
def test_a_step_whose_code_begins_after_the_start_wait_does_not_start_after_cancel(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """A claimed step whose code has not begun within START_WAIT (its event loop blocked by an async
    step doing blocking work) used to begin whenever the loop came back — after a cancel that the
    released fence had let through: a start after `regctl cancel` returned."""
    log = tmp_path / "log"
    blocker = {"seconds": 4, "log": str(log)}
    steps = [spec("a", "engine_steps:blocks_the_loop", params=blocker),
             spec("b", "engine_steps:blocks_the_loop", params=blocker)]
    ref = api.submit_batch(store, manifest(steps), actor="t")
    sup = _supervise(database_url, "--until-idle", "--concurrency", "2", "--grace", "0.5")
    procs.append(sup)
    _wait_for(lambda: len(_stamps(log)) >= 1)  # one of the two blocks the loop: the other cannot begin
    api.cancel(store, batch_id=ref.id, actor="t")
    returned = time.time()
    sup.wait(timeout=60)
    late = [s for s in _stamps(log) if s[0] == "start" and s[1] > returned]
    assert late == [], (returned, _stamps(log), _steps(store, ref.id))
    rows = {r["key"]: r for r in _steps(store, ref.id)}
    assert {r["status"] for r in rows.values()} <= {"completed", "cancelled"}
    never_ran = [r for r in rows.values() if r["status"] == "cancelled"]
    assert never_ran and all(r["attempts"] == 0 for r in never_ran)  # withdrawn: no attempt spent


@pytest.mark.parametrize("name", ["symlink", "uri"])
def test_one_database_file_has_one_fence_whatever_its_name(tmp_path: Path, name: str) -> None:
    """A supervisor given another name for the database file than the cancel — a symlink (SQLite
    follows it to the one file), or SQLite's URI form ``sqlite:///file:PATH?uri=true`` (the fence
    used to be ``file:PATH-fence``, relative to the working directory: every claim and cancel
    raised FileNotFoundError) — must share the cancel's fence."""
    (tmp_path / "data").mkdir()
    real = tmp_path / "data" / "real.db"
    real.touch()
    (tmp_path / "link.db").symlink_to(real)
    other = f"sqlite:///{tmp_path / 'link.db'}" if name == "symlink" else f"sqlite:///file:{real}?uri=true"
    supervisor = StartFence(open_engine(other))
    cancelling = StartFence(open_engine(f"sqlite:///{real}"))
    try:
        _cancel_waits_for_a_start(supervisor, cancelling)
    finally:
        supervisor.close()
        cancelling.close()


def _cancel_waits_for_a_start(supervisor: StartFence, cancelling: StartFence) -> None:
    """A cancel's exclusive hold waits while ``supervisor`` holds the fence for a start, then gets it."""
    got = threading.Event()

    def cancel() -> None:
        with cancelling.exclusive():
            got.set()

    with supervisor.starting():
        threading.Thread(target=cancel, daemon=True).start()
        assert not got.wait(0.5), "the cancel did not wait for the start holding the fence"
    assert got.wait(5)


@pytest.mark.slow
def test_a_stopped_fence_holder_stalls_the_cancel_but_not_the_other_supervisors(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """A supervisor stopped (SIGSTOP, a debugger, a hung import) while it holds the fence shared keeps
    a cancel waiting until it runs again or dies — documented. But PostgreSQL queues new shared
    requests behind the waiting cancel: every other supervisor's next claim used to block on its
    database thread, so its heartbeats stopped and, once a lease ran out, its RUNNING steps were
    reclaimable by anyone (run again beside the live run). The others must keep renewing."""
    log = tmp_path / "log"
    ref = api.submit_batch(store, manifest([spec("slow", "engine_steps:stamped",
                                                 params={"seconds": 30, "log": str(log)})]), actor="t")
    other = api.submit_batch(store, manifest([spec("a")], batch="other", organisation="org-b"), actor="t")
    sup = _supervise(database_url, "--concurrency", "2", "--lease", "3", "--grace", "0.5",
                     "--batch", str(ref.id))
    procs.append(sup)
    _wait_for(lambda: len(_stamps(log)) >= 1)
    fence = StartFence(store.engine)  # the stopped supervisor's
    stopped = fence.starting()
    try:
        assert stopped.__enter__()
        cancel = subprocess.Popen([str(Path(sys.executable).parent / "regctl"), "--db", database_url,
                                   "cancel", str(other.id), "--yes"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append(cancel)
        time.sleep(11.5)  # leases of 3 s, and FENCE_PATIENCE
        assert cancel.poll() is None  # the cancel waits for the stopped holder (it might start a step)
        row = _steps(store, ref.id)[0]
        assert row["status"] == "running"
        assert float(row["lease_expires_at"]) > time.time(), "the healthy supervisor stopped renewing"  # type: ignore[arg-type]
        released = time.time()
    finally:
        fence.close()  # the stopped supervisor dies: its fence goes with it
    assert cancel.wait(timeout=30) == 0
    assert time.time() >= released
    assert [s["status"] for s in _steps(store, other.id)] == ["cancelled"]
    sup.terminate()
    sup.wait(timeout=30)
    assert b"no claim for" in sup.stderr.read()  # type: ignore[union-attr]  # the operator is told why


@pytest.mark.slow
def test_a_supervisor_killed_while_it_holds_the_fence_does_not_leave_a_cancel_waiting(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A supervisor importing a step type's module holds the fence (the import runs in its start hook,
    before START_WAIT's clock): a cancel waits for it — as long as the import hangs — and a kill -9
    of that supervisor lets the cancel through at once."""
    hold, mark = tmp_path / "hold", tmp_path / "importing"
    hold.touch()
    ref = api.submit_batch(store, manifest([spec("a", "engine_slow_import:run")]), actor="t")
    other = api.submit_batch(store, manifest([spec("a")], batch="other", organisation="org-b"), actor="t")
    monkeypatch.setenv("REGCTL_TEST_IMPORT_HOLD", str(hold))
    monkeypatch.setenv("REGCTL_TEST_IMPORT_MARK", str(mark))
    sup = _supervise(database_url, "--batch", str(ref.id))
    procs.append(sup)
    _wait_for(mark.exists)  # inside the fence, its claim committed
    cancel = subprocess.Popen([str(Path(sys.executable).parent / "regctl"), "--db", database_url,
                               "cancel", str(other.id), "--yes"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    procs.append(cancel)
    time.sleep(2)
    assert cancel.poll() is None  # it waits for the holder (which may start a step any moment)
    sup.kill()
    sup.wait(timeout=10)
    assert cancel.wait(timeout=15) == 0  # the holder's death released the fence
    assert [s["status"] for s in _steps(store, other.id)] == ["cancelled"]
    held = _steps(store, ref.id)[0]
    assert held["status"] == "running" and held["attempts"] == 1  # on record: a recovery once reclaimed


@pytest.mark.slow
@pytest.mark.parametrize("dialect", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_supervisor_whose_fence_connection_is_terminated_again_and_again_finishes_its_batch(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """pg_terminate_backend of the fence's own connection (an operator, a pooler, a failover) at any
    moment: the supervisor reconnects it, runs every step once and ends normally."""
    import psycopg

    log = tmp_path / "log"
    steps = [spec("work", "engine_steps:stamped", params={"seconds": 0.2, "log": str(log)})]
    ref = api.submit_batch(store, manifest(steps, restaurants=40), actor="t")
    sup = _supervise(database_url, "--until-idle", "--concurrency", "4", "--batch", str(ref.id))
    procs.append(sup)
    terminated = 0
    with psycopg.connect(database_url, autocommit=True) as admin:
        while sup.poll() is None:
            terminated += sum(bool(r[0]) for r in admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                " AND query LIKE '%advisory_lock_shared%' AND pid <> pg_backend_pid()").fetchall())
            time.sleep(0.05)
    assert sup.wait(timeout=60) == 0, sup.stderr.read()  # type: ignore[union-attr]
    assert terminated >= 2
    starts = [s for s in _stamps(log) if s[0] == "start"]
    assert len(starts) == len({s[3] for s in starts}) == 40  # each step ran once
    assert {r["status"] for r in _steps(store, ref.id)} == {"completed"}


@pytest.mark.slow
def test_cli_cancels_racing_three_supervisors_start_nothing_afterwards(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    """Three `regctl supervise` processes claiming chains of short steps; `regctl cancel job:ID` for
    a few jobs and then `regctl cancel BATCH`, each a CLI process: no step of a cancelled job starts
    after its cancel returned."""
    log = tmp_path / "log"
    stamped = {"seconds": 0.2, "log": str(log)}
    steps = [spec(f"s{i}", "engine_steps:stamped", params=stamped, needs=[f"s{i - 1}"] if i else [])
             for i in range(6)]
    ref = api.submit_batch(store, manifest(steps, restaurants=60, max_parallel_restaurants=8), actor="t")
    for _ in range(3):
        procs.append(_supervise(database_url, "--until-idle", "--concurrency", "4", "--batch", str(ref.id)))
    _wait_for(lambda: len(_stamps(log)) >= 10)
    jobs = [j["id"] for j in store.batch_view(ref.id)["jobs"]]
    returned: dict[int, float] = {}

    def cli_cancel(target: str) -> float | None:
        done = subprocess.run([str(Path(sys.executable).parent / "regctl"), "--db", database_url, "cancel",
                               target, "--yes"], capture_output=True, timeout=60)
        if done.returncode == 2 and b"already" in done.stderr:
            return None
        assert done.returncode == 0, done.stderr
        return time.time()

    for job in jobs[8:14]:  # running or about to: steps still to start
        at = cli_cancel(f"job:{job}")
        if at is not None:
            returned[job] = at
    everything = cli_cancel(str(ref.id))
    assert everything is not None and returned
    for p in procs:
        p.wait(timeout=60)
    late = [s for s in _stamps(log) if s[0] == "start" and s[1] > returned.get(s[3], everything)]
    assert late == []
    assert {r["status"] for r in _steps(store, ref.id)} <= {"completed", "cancelled"}


@pytest.mark.parametrize("dialect", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_turn_is_refused_the_fence_while_a_cancel_waits_for_it(store: Store) -> None:
    """PostgreSQL: a claiming turn neither waits behind a waiting cancel (its database thread renews
    its leases) nor jumps ahead of it (busy supervisors would starve the cancel)."""
    first, second = StartFence(store.engine), StartFence(store.engine)
    returned = threading.Event()

    def cancel() -> None:
        with contextlib.suppress(Exception):  # no such batch: only its fence matters here
            store.cancel(actor="t", batch_id=1)
        returned.set()

    try:
        with first.starting() as held:
            assert held
            threading.Thread(target=cancel, daemon=True).start()
            time.sleep(0.5)
            with second.starting() as queued_behind:
                assert not queued_behind
            assert not returned.is_set()
        assert returned.wait(10)
        with second.starting() as after:  # once the cancel went through
            assert after
    finally:
        first.close()
        second.close()


@pytest.mark.slow
@pytest.mark.parametrize("dialect", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_fence_lost_with_its_connection_during_a_start_lets_no_step_start_after_cancel(
    store: Store, database_url: str, procs: list[subprocess.Popen[bytes]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fence's session ends while it is held (pg_terminate_backend, idle_session_timeout, a
    network cut): PostgreSQL releases the lock, a cancel goes through and returns — and the claimed
    step used to begin right after, once its module was imported."""
    import psycopg

    hold, mark, log = tmp_path / "hold", tmp_path / "importing", tmp_path / "log"
    hold.touch()
    ref = api.submit_batch(store, manifest([spec("a", "engine_slow_import:run", params={"log": str(log)})]),
                           actor="t")
    monkeypatch.setenv("REGCTL_TEST_IMPORT_HOLD", str(hold))
    monkeypatch.setenv("REGCTL_TEST_IMPORT_MARK", str(mark))
    sup = _supervise(database_url, "--until-idle", "--batch", str(ref.id))
    procs.append(sup)
    _wait_for(mark.exists)  # its claim committed, the fence held
    with psycopg.connect(database_url, autocommit=True) as admin:
        killed = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
            " AND query LIKE '%advisory_lock_shared%' AND pid <> pg_backend_pid()").fetchall()
    assert killed == [(True,)]
    api.cancel(store, batch_id=ref.id, actor="t")
    returned = time.time()
    hold.unlink()
    sup.wait(timeout=60)
    assert [s for s in _stamps(log) if s[1] > returned] == []
    row = _steps(store, ref.id)[0]
    assert row["status"] == "cancelled" and row["attempts"] == 0  # withdrawn: never begun


def test_a_deleted_fence_file_is_not_a_private_fence(tmp_path: Path) -> None:
    """SQLite: the fence file deleted while supervisors run (a cleanup of `*-fence`, a tmp reaper):
    a supervisor kept locking the deleted file through its open descriptor, a cancel created and
    locked a new one — no exclusion at all until the supervisor restarted."""
    url = f"sqlite:///{tmp_path / 'regctl.db'}"
    supervisor, cancelling = StartFence(open_engine(url)), StartFence(open_engine(url))
    try:
        with supervisor.starting():
            pass
        assert supervisor.path is not None
        Path(supervisor.path).unlink()
        _cancel_waits_for_a_start(supervisor, cancelling)
    finally:
        supervisor.close()
        cancelling.close()


def test_busy_supervisors_do_not_starve_a_cancel_on_sqlite(tmp_path: Path) -> None:
    """flock grants a new shared lock while an exclusive one waits: four supervisors whose turns
    overlap kept a SQLite cancel waiting as long as they were busy (5-7 s with four real
    `regctl supervise` on chains of 10 ms steps; PostgreSQL queues them behind the cancel)."""
    import random

    url = f"sqlite:///{tmp_path / 'regctl.db'}"
    stop = threading.Event()

    def busy(seed: int) -> None:
        fence, rng = StartFence(open_engine(url)), random.Random(seed)
        try:
            while not stop.is_set():
                with fence.starting():
                    time.sleep(rng.uniform(0.005, 0.03))
                time.sleep(rng.uniform(0, 0.002))
        finally:
            fence.close()

    workers = [threading.Thread(target=busy, args=(n,), daemon=True) for n in range(4)]
    for w in workers:
        w.start()
    time.sleep(0.3)
    try:
        waited = time.monotonic()
        with StartFence(open_engine(url)).exclusive():
            waited = time.monotonic() - waited
        assert waited < 2.0
    finally:
        stop.set()
        for w in workers:
            w.join(10)


def test_a_cancel_kept_waiting_by_the_fence_says_what_it_waits_for(store: Store, database_url: str) -> None:
    """A stopped supervisor holding the fence keeps `regctl cancel` waiting (the price of the rule);
    after a moment the command says on stderr what it waits for instead of looking hung, then
    finishes as soon as the fence is let go."""
    from test_engine_faults import REGCTL

    ref = api.submit_batch(store, manifest([spec("a")], restaurants=2, batch="held"), actor="t")
    holder = StartFence(store.engine)  # as a supervisor between its claim and its steps' start
    try:
        with holder.starting() as held:
            assert held
            cancel = subprocess.Popen(
                [REGCTL, "--db", database_url, "cancel", "held", "--yes"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            time.sleep(4)  # the command speaks up after 2 s
            assert cancel.poll() is None, "the cancel returned while a start held the fence"
        out, err = cancel.communicate(timeout=60)
    finally:
        holder.close()
    assert cancel.returncode == 0, err
    assert "waiting for supervisors that are starting steps" in err and len(err.strip().splitlines()) == 1
    assert f"batch held (#{ref.id}) cancelled" in out
