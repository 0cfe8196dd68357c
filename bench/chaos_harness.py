"""The chaos suite's machinery: throw-away databases, supervisor processes, and the verdict.

Everything here talks to real things: each trial gets its own PostgreSQL database (``regctl_chaos_…``,
cloned from a template migrated once, dropped afterwards), real ``regctl supervise`` / ``regctl resume``
processes, and reads the outcome straight from the tables and the effects file of chaos_steps.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
import yaml

from regctl.db import schema

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PG_ADMIN = os.environ.get("REGCTL_CHAOS_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PREFIX = "regctl_chaos_"
TEMPLATE = f"{PREFIX}template"
FINISHED_STEPS = ("completed", "skipped", "failed", "cancelled")  # terminal: nothing left to run
LEASE = 3.0  # seconds: supervisors in kill trials hold leases this long (renewed every LEASE/3)
FINISHED_BATCHES = ("completed", "completed_with_warnings", "cancelled")  # cancelled: only `cancel` trials

__all__ = ["Trial", "Verdict", "check", "postgres_database", "regctl", "spawn_supervisor", "write_manifest"]


def sa_url(name: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)  # type: ignore[arg-type]  # names are ours, never user input


def drop_database(name: str) -> None:
    assert name.startswith(PREFIX), name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_template(name: str = TEMPLATE) -> None:
    """(Re)create the migrated template every trial database is cloned from."""
    drop_database(name)
    _admin(f'CREATE DATABASE "{name}"')
    done = regctl(["db", "upgrade"], sa_url(name), timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"regctl db upgrade failed on {name}: {done.stderr.strip()}")


@contextlib.contextmanager
def postgres_database(name: str, template: str = TEMPLATE) -> Iterator[str]:
    """A fresh migrated database for one trial; dropped on the way out whatever happened."""
    full = f"{PREFIX}{name}"
    drop_database(full)
    _admin(f'CREATE DATABASE "{full}" TEMPLATE "{template}"')
    try:
        yield sa_url(full)
    finally:
        with contextlib.suppress(psycopg.Error):
            drop_database(full)


def drop_leftovers(tag: str = "") -> int:
    """Drop the regctl_chaos_<tag>… databases an interrupted earlier run left; returns how many."""
    pattern = f"{PREFIX}{tag}".replace("_", "\\_") + "%"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                            (pattern,))]
    for name in names:
        drop_database(name)
    return len(names)


def child_env(db_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(BENCH), env.get("PYTHONPATH", "")) if p)
    env["REGCTL_DATABASE_URL"] = db_url
    env.update(extra or {})
    return env


def regctl_argv(args: list[str]) -> list[str]:
    return [sys.executable, "-c", "from regctl.cli import main; main()", *args]


def regctl(args: list[str], db_url: str, *, timeout: float = 300,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run one regctl command to completion against ``db_url``."""
    return subprocess.run(regctl_argv(args), env=child_env(db_url, env), capture_output=True,
                          text=True, timeout=timeout, cwd=REPO, check=False)


def spawn_supervisor(db_url: str, log: Path, *, until_idle: bool = True, concurrency: int = 8,
                     lease: float = LEASE, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A `regctl supervise` process in its own process group, output to ``log``.

    The short lease stands in for the 30 s default so a killed supervisor's steps are reclaimable
    within seconds (the recovery time measured is then lease + resume, not 30 s of waiting).
    """
    args = ["supervise", "--concurrency", str(concurrency), "--lease", str(lease)]
    args += ["--until-idle"] if until_idle else []
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(regctl_argv(args), env=child_env(db_url, env), stdout=out,
                                stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL, wait: float = 30) -> int | None:
    """Send ``sig`` and wait up to ``wait`` s; a process that does not exit by then is killed."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, sig)
    try:
        return proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


def write_manifest(path: Path, *, batch: str, restaurants: int, steps: int, effects: Path,
                   seconds: float, retries: int | None = None) -> Path:
    """A chain-and-fan pipeline of chaos_steps:record over ``restaurants`` restaurants."""
    specs: list[dict[str, Any]] = []
    for i in range(steps):
        spec: dict[str, Any] = {"key": f"s{i}", "uses": "chaos_steps:record",
                                "with": {"log": str(effects), "seconds": seconds}}
        if i:  # s1..: each needs the one before; every third one fans out from s0 instead
            spec["needs"] = ["s0"] if i % 3 == 0 else [f"s{i - 1}"]
        if retries is not None:
            spec["retries"] = retries
        specs.append(spec)
    manifest = {
        "batch": batch, "organisation": "chaos", "target": "sandbox",
        "pipeline": {"steps": specs},
        "execution": {"mode": "parallel", "max_parallel_restaurants": restaurants},
        "restaurants": [{"name": f"Chaos Kitchen {batch} {n}", "address": f"{n} Chaos Road, Auckland",
                         "city": "Auckland"} for n in range(restaurants)],
    }
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    return path


@dataclass
class Trial:
    """One trial's identity and what it did; filled in by the scenario, judged by :func:`check`."""

    scenario: str
    number: int
    seed: int
    workdir: Path
    db_url: str = ""
    effects: Path = field(default_factory=Path)
    mid_run: bool | None = None  # did the fault hit a supervisor still working? (None: no fault)
    strict: bool = False  # no fault at all: any second execution of a step is a duplicate
    killed_at: float | None = None  # monotonic time of the fault (kill, SIGTERM, restart)
    recovered_at: float | None = None  # monotonic time the batch was seen finished after it
    notes: list[str] = field(default_factory=list)
    failure: str = ""  # a promise of the scenario broken even though nothing was lost
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)  # supervisors it started
    external_duplicates: int = 0  # effects the sandbox saw twice (accounts, uploads)


@dataclass
class Verdict:
    batches: int
    batches_finished: int
    steps: int
    steps_lost: int  # left non-terminal (pending, ready, running, blocked) and not waiting on a person
    recorded_twice: int  # steps with more than one "completed" event
    # same (job, step, attempt, recovery) executed twice, by one process or two: two owners at once,
    # or a run that left no record (every run is on record before its code begins: the start fence)
    executed_twice: int
    extra_executions: int  # executions beyond one per step (allowed only after a kill)
    strict: bool = False  # from the trial: extra executions count as duplicates
    external_duplicates: int = 0  # from the trial: effects the sandbox recorded twice
    waiting: int = 0  # action_required steps and the pending steps of their jobs: a person's turn

    @property
    def duplicates(self) -> int:
        repeated = self.extra_executions if self.strict else 0
        return self.recorded_twice + self.executed_twice + repeated + self.external_duplicates

    @property
    def ok(self) -> bool:
        return (self.duplicates == 0 and self.steps_lost == 0 and self.steps > 0
                and 0 < self.batches == self.batches_finished)


def check(trial: Trial) -> Verdict:
    """Judge the trial from the database (statuses, event log) and the effects file."""
    from chaos_steps import read_runs

    engine = sa.create_engine(trial.db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            batches = conn.execute(sa.select(schema.batches.c.status)).scalars().all()
            rows = conn.execute(sa.select(schema.steps.c.job_id, schema.steps.c.status)).all()
            completions = conn.execute(
                sa.select(schema.step_events.c.step_id)
                .where(schema.step_events.c.to_status == "completed")).scalars().all()
    finally:
        engine.dispose()
    statuses = [status for _, status in rows]
    asking = {job for job, status in rows if status == "action_required"}
    waiting = [(job, status) for job, status in rows
               if job in asking and status in ("action_required", "pending")]
    effects = read_runs(trial.effects)
    runs = Counter((job, key, attempt, recoveries) for job, key, attempt, recoveries, _ in effects)
    per_step = Counter((job, key) for job, key, *_ in effects)
    return Verdict(
        batches=len(batches), batches_finished=sum(s in FINISHED_BATCHES for s in batches),
        steps=len(statuses), waiting=len(waiting),
        steps_lost=sum(s not in FINISHED_STEPS for s in statuses) - len(waiting),
        recorded_twice=sum(n > 1 for n in Counter(completions).values()),
        executed_twice=sum(n > 1 for n in runs.values()),
        extra_executions=sum(n - 1 for n in per_step.values()), strict=trial.strict,
        external_duplicates=trial.external_duplicates,
    )


def batch_finished(db_url: str) -> bool:
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            open_batches = conn.execute(sa.select(sa.func.count()).select_from(schema.batches)
                                        .where(schema.batches.c.status.not_in(FINISHED_BATCHES)))
            return open_batches.scalar_one() == 0
    finally:
        engine.dispose()


def wait_until(predicate: Any, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def count_steps(db_url: str, status: str) -> int:
    """How many steps of the database at ``db_url`` have this status (a short-lived connection)."""
    import sqlalchemy as sa

    from regctl.db import schema

    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            query = sa.select(sa.func.count()).where(schema.steps.c.status == status)
            return int(conn.execute(query.select_from(schema.steps)).scalar_one())
    finally:
        engine.dispose()
