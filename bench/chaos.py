"""The chaos suite (`make chaos`): crash supervisors and the database, then prove nothing was lost.

Scenarios, each a number of trials with a fixed seed (SPEC §9 "crash safety"):

- ``kill``      kill -9 of a `regctl supervise` at a random moment, then `regctl resume --all`;
- ``race``      three supervisors racing over one PostgreSQL database: every step executed once;
- ``sigterm``   SIGTERM mid-run: graceful stop (leases released), then `regctl resume --all`;
- ``rekill``    the same run killed (kill -9) three times, steps with `retries: 1`, then resumed:
                a lost run is a recovery, not an attempt, so no step may fail (issue 13);
- ``cancel``    `cancel` races a running supervisor: no step may start after `cancel` returned
                (the effects file has each run's start time) (issue 13);
- ``sandbox``   registration steps against the sandbox with its faults on, kill -9, resume: the
                sandbox's state shows no account or upload made twice (bench/chaos_sandbox.py);
- ``pgrestart`` PostgreSQL restarted mid-run: supervisors reconnect and finish (disruptive: it
                restarts the shared server for a second or two, so it runs one trial unless asked);

Each trial runs in its own database ``regctl_chaos_<scenario>_<n>`` (created and dropped here) and
is judged by chaos_harness.check: every batch finished, no step lost, no step recorded completed
twice (event log), no step attempt executed twice (the chaos_steps effects file).

    .venv/bin/python bench/chaos.py                      # the full suite: 50 kills + the rest
    .venv/bin/python bench/chaos.py --scenarios kill --trials 5
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chaos_harness as h
import chaos_sandbox

DEFAULT_TRIALS = {"kill": 50, "race": 5, "sigterm": 5, "rekill": 5, "cancel": 20, "pgrestart": 1,
                  "sandbox": 5}
KILLS = 3  # kills of the same run in a rekill trial
RESUME_TIMEOUT = 180.0


@dataclass
class Outcome:
    trial: h.Trial
    verdict: h.Verdict | None
    recovery: float | None  # seconds from the fault to the batch finished
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict is not None and self.verdict.ok and not self.error and not self.trial.failure


# ------------------------------------------------------------------ setting a trial up ----------


def submit(trial: h.Trial, rng: random.Random, *, restaurants: int, steps: int, seconds: float,
           retries: int | None = None) -> None:
    """Write the trial's manifest and queue its batch through the library (no supervisor yet)."""
    from regctl.engine import api
    from regctl.manifest import load_manifest

    trial.effects = trial.workdir / "effects.log"
    manifest = h.write_manifest(trial.workdir / "manifest.yaml", batch=f"{trial.scenario}-{trial.number}",
                                restaurants=restaurants, steps=steps, effects=trial.effects,
                                seconds=seconds, retries=retries)
    store = api.open_store(trial.db_url)
    try:
        api.submit_batch(store, load_manifest(manifest), actor="chaos")
    finally:
        close = getattr(store, "close", None)
        if close:
            close()


def resume_all(trial: h.Trial) -> subprocess.CompletedProcess[str]:
    done = h.regctl(["resume", "--all"], trial.db_url, timeout=RESUME_TIMEOUT)
    if done.returncode != 0:
        trial.notes.append(f"resume exit {done.returncode}: {done.stderr.strip()[-300:]}")
    return done


def recover(trial: h.Trial) -> None:
    resume_all(trial)
    if h.batch_finished(trial.db_url):
        trial.recovered_at = time.monotonic()


# ------------------------------------------------------------------ the scenarios ---------------


def kill_trial(trial: h.Trial, rng: random.Random) -> None:
    seconds = rng.choice([0.05, 0.1, 0.2])
    submit(trial, rng, restaurants=rng.randint(4, 8), steps=5, seconds=seconds)
    procs = [supervisor(trial) for _ in range(rng.choice([1, 1, 2]))]
    started_work(trial)
    # A random moment once steps run — mid-step or between steps — and before the batch can have
    # finished: its critical path is three steps of `seconds` (s0 → s1 → s2, s0 → s3 → s4).
    time.sleep(rng.uniform(0.0, 0.9 * 3 * seconds))
    trial.mid_run = procs[0].poll() is None
    if not trial.mid_run:
        trial.notes.append("victim had already finished")
    h.stop(procs[0], signal.SIGKILL)
    trial.killed_at = time.monotonic()
    for other in procs[1:]:
        other.wait(timeout=RESUME_TIMEOUT)
    recover(trial)


def supervisor(trial: h.Trial, **options: Any) -> subprocess.Popen[bytes]:
    """A supervisor for this trial; run_trial kills any still alive when the trial ends."""
    proc = h.spawn_supervisor(trial.db_url, trial.workdir / "supervise.log", **options)
    trial.procs.append(proc)
    return proc


def started_work(trial: h.Trial) -> None:
    """Wait until a supervisor has run its first step (start-up takes seconds on a busy machine)."""
    if not h.wait_until(lambda: trial.effects.exists() and trial.effects.stat().st_size > 0, timeout=120):
        trial.notes.append("no step ran within 120 s of starting the supervisors")


def race_trial(trial: h.Trial, rng: random.Random) -> None:
    submit(trial, rng, restaurants=rng.randint(15, 30), steps=5, seconds=rng.choice([0.0, 0.01]))
    trial.strict = True
    trial.killed_at = time.monotonic()  # "recovery" here = the whole run of three racing supervisors
    procs = [supervisor(trial, lease=30.0) for _ in range(3)]
    codes = [p.wait(timeout=RESUME_TIMEOUT) for p in procs]
    if any(codes):
        trial.notes.append(f"supervisor exit codes {codes}")
    if h.batch_finished(trial.db_url):
        trial.recovered_at = time.monotonic()


def sigterm_trial(trial: h.Trial, rng: random.Random) -> None:
    submit(trial, rng, restaurants=rng.randint(4, 8), steps=5, seconds=0.1)
    proc = supervisor(trial, until_idle=False)
    started_work(trial)
    time.sleep(rng.uniform(0.0, 1.5))
    trial.killed_at = time.monotonic()
    trial.mid_run = proc.poll() is None
    code = h.stop(proc, signal.SIGTERM, wait=60)
    if code is None:
        trial.notes.append("no graceful stop within 60 s: killed")
    leased = h.count_steps(trial.db_url, "running")
    if leased:
        trial.notes.append(f"{leased} steps still leased after a graceful stop")
    recover(trial)


def rekill_trial(trial: h.Trial, rng: random.Random) -> None:
    """Kill the same run three times with `retries: 1`: no step may fail (recoveries are not attempts)."""
    from chaos_steps import read_runs

    submit(trial, rng, restaurants=rng.randint(4, 8), steps=5, seconds=0.3, retries=1)
    trial.effects.touch()
    for _ in range(KILLS):
        before = len(read_runs(trial.effects))
        proc = supervisor(trial)
        if not h.wait_until(lambda b=before: len(read_runs(trial.effects)) > b, timeout=120):
            trial.notes.append("a supervisor ran nothing within 120 s")
        time.sleep(rng.uniform(0.0, 0.25))  # mid-step: the steps take 0.3 s
        trial.mid_run = proc.poll() is None
        h.stop(proc, signal.SIGKILL)
        trial.killed_at = time.monotonic()
    recover(trial)
    failed = h.count_steps(trial.db_url, "failed")
    if failed:
        trial.failure = f"{failed} step(s) failed after {KILLS} kills with retries: 1"


def cancel_trial(trial: h.Trial, rng: random.Random) -> None:
    """Cancel a running batch: no step may start after `cancel` returned."""
    from chaos_steps import read_runs

    from regctl.engine import api

    submit(trial, rng, restaurants=rng.randint(20, 40), steps=2, seconds=rng.choice([0.01, 0.05]))
    proc = supervisor(trial, concurrency=8)
    started_work(trial)
    time.sleep(rng.uniform(0.0, 0.5))
    store = api.open_store(trial.db_url)
    try:
        api.cancel(store, batch_id=store.list_batches()[0]["id"], actor="chaos")
        returned = time.time()
    finally:
        store.close()
    trial.killed_at = time.monotonic()
    trial.mid_run = proc.poll() is None
    proc.wait(timeout=RESUME_TIMEOUT)
    late = [run for run in read_runs(trial.effects) if run[4] > returned]
    trial.notes.append(f"{len(late)} step(s) started after cancel returned")
    if late:
        trial.failure = f"{len(late)} step(s) started after cancel returned"
    if h.batch_finished(trial.db_url):
        trial.recovered_at = time.monotonic()


def pgrestart_trial(trial: h.Trial, rng: random.Random) -> None:
    submit(trial, rng, restaurants=8, steps=5, seconds=0.1)
    procs = [supervisor(trial) for _ in range(2)]
    started_work(trial)
    time.sleep(rng.uniform(0.2, 1.5))
    print("  !! restarting PostgreSQL (other sessions on this server see a brief disconnect)", flush=True)
    trial.killed_at = time.monotonic()
    trial.mid_run = any(p.poll() is None for p in procs)
    try:
        restart_postgres()
    finally:
        ensure_postgres_running()
    codes = [p.wait(timeout=RESUME_TIMEOUT) for p in procs]
    if any(codes):
        trial.failure = f"supervisors exited {codes} after the restart instead of reconnecting"
        trial.notes.append(last_error(trial.workdir / "supervise.log"))
    if h.batch_finished(trial.db_url):
        trial.recovered_at = time.monotonic()
    else:
        trial.failure = trial.failure or "the supervisors did not finish the batch after the restart"
        resume_all(trial)  # then at least prove nothing was lost


SCENARIOS: dict[str, Callable[[h.Trial, random.Random], None]] = {
    "kill": kill_trial, "race": race_trial, "sigterm": sigterm_trial, "rekill": rekill_trial,
    "cancel": cancel_trial, "pgrestart": pgrestart_trial,
    "sandbox": chaos_sandbox.sandbox_trial,
}


def last_error(log: Path) -> str:
    """The last line of a supervisor log that looks like an exception, for the trial's notes."""
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if "Error" in ln or "error" in ln]
    return lines[-1].strip()[:300] if lines else "(no error in the supervisor log)"


# ------------------------------------------------------------------ PostgreSQL restarts ---------


def restart_postgres() -> None:
    version, cluster = postgres_cluster()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                   check=True, capture_output=True, timeout=120)


def ensure_postgres_running() -> None:
    """Whatever happened, leave the shared server up: start it if it is down, wait until it answers."""
    version, cluster = postgres_cluster()
    status = subprocess.run(["pg_ctlcluster", version, cluster, "status"], capture_output=True, timeout=30)
    if status.returncode != 0:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"],
                       capture_output=True, timeout=120)
    if not h.wait_until(postgres_answers, timeout=60, interval=0.2):
        raise RuntimeError("PostgreSQL is not answering after the restart trial: start it by hand")


def postgres_cluster() -> tuple[str, str]:
    out = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == "5432":
            return fields[0], fields[1]
    raise RuntimeError("no PostgreSQL cluster on port 5432 (pg_lsclusters)")


def postgres_answers() -> bool:
    try:
        with h.psycopg.connect(h.PG_ADMIN, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except h.psycopg.Error:
        return False


# ------------------------------------------------------------------ running and reporting -------


def run_trial(scenario: str, number: int, seed: int, root: Path, tag: str = "run") -> Outcome:
    rng = random.Random(f"{seed}:{scenario}:{number}")
    workdir = root / f"{scenario}-{number}"
    workdir.mkdir()
    trial = h.Trial(scenario=scenario, number=number, seed=seed, workdir=workdir)
    with h.postgres_database(f"{tag}_{scenario}_{number}", template=template_for(tag)) as url:
        trial.db_url = url
        try:
            SCENARIOS[scenario](trial, rng)
            verdict = h.check(trial)
        except Exception as exc:  # a trial that blows up is a failed trial, reported, not a crash
            return Outcome(trial, None, None, error=f"{type(exc).__name__}: {exc}")
        finally:
            for proc in trial.procs:
                h.stop(proc, signal.SIGKILL, wait=10)
    recovery = None
    if trial.killed_at is not None and trial.recovered_at is not None:
        recovery = trial.recovered_at - trial.killed_at
    return Outcome(trial, verdict, recovery)


def template_for(tag: str) -> str:
    return f"{h.PREFIX}{tag}_template"


def table(outcomes: list[Outcome]) -> str:
    header = ("scenario", "trials", "passed", "fault mid-run", "batches finished", "steps lost",
              "duplicates", "median recovery")
    rows = [header]
    for scenario in dict.fromkeys(o.trial.scenario for o in outcomes):
        mine = [o for o in outcomes if o.trial.scenario == scenario]
        verdicts = [o.verdict for o in mine if o.verdict]
        recoveries = [o.recovery for o in mine if o.recovery is not None]
        dupes = sum(v.duplicates for v in verdicts)
        landed = [o.trial.mid_run for o in mine if o.trial.mid_run is not None]
        rows.append((scenario, str(len(mine)), str(sum(o.ok for o in mine)),
                     f"{sum(landed)}/{len(landed)}" if landed else "-",
                     f"{sum(v.batches_finished for v in verdicts)}/{len(mine)}",
                     str(sum(v.steps_lost for v in verdicts) + sum(o.verdict is None for o in mine)),
                     str(dupes),
                     f"{statistics.median(recoveries):.2f} s" if recoveries else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7, help="fixed seed: the same trials every run")
    parser.add_argument("--scenarios", default="kill,race,sigterm,rekill,cancel,sandbox,pgrestart",
                        help=f"comma-separated subset of {','.join(SCENARIOS)}")
    parser.add_argument("--tag", default="run", type=lambda t: t if re.fullmatch(r"[a-z0-9]{1,12}", t)
                        else parser.error(f"--tag {t!r}: 1-12 lower-case letters or digits"),
                        help="database names regctl_chaos_<tag>_…: two runs with different tags "
                             "can share one server")
    parser.add_argument("--trials", type=int, default=None,
                        help=f"trials per scenario (default {DEFAULT_TRIALS})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        print(f"chaos: unknown scenario(s) {unknown}; known: {list(SCENARIOS)}", file=sys.stderr)
        return 2
    if h.drop_leftovers(f"{args.tag}_"):
        print(f"chaos: dropped {h.PREFIX}{args.tag}_ databases left by an interrupted run")
    h.make_template(template_for(args.tag))
    outcomes: list[Outcome] = []
    try:
        with tempfile.TemporaryDirectory(prefix="regctl-chaos-") as tmp:
            for scenario in scenarios:
                with scenario_setup(scenario, Path(tmp)):
                    for n in range(args.trials or DEFAULT_TRIALS[scenario]):
                        outcome = run_trial(scenario, n, args.seed, Path(tmp), args.tag)
                        report_trial(outcome)
                        outcomes.append(outcome)
    finally:
        h.drop_database(template_for(args.tag))
        if "pgrestart" in scenarios:
            ensure_postgres_running()
    print(f"\nchaos suite, seed {args.seed}\n")
    print(table(outcomes))
    failed = [o for o in outcomes if not o.ok]
    print(f"\n{len(outcomes) - len(failed)}/{len(outcomes)} trials passed")
    return 1 if failed else 0


def scenario_setup(scenario: str, workdir: Path) -> contextlib.AbstractContextManager[object]:
    """What a scenario needs around all its trials (the sandbox scenario: one sandbox server)."""
    if scenario == "sandbox":
        return chaos_sandbox.sandbox_running(workdir)
    return contextlib.nullcontext()


def report_trial(o: Outcome) -> None:
    status = "ok  " if o.ok else "FAIL"
    recovery = f"{o.recovery:.2f}s" if o.recovery is not None else "-"
    detail = "; ".join(filter(None, [o.error, o.trial.failure, *o.trial.notes]))
    v = o.verdict
    facts = (f"steps {v.steps} lost {v.steps_lost} waiting {v.waiting} twice-recorded {v.recorded_twice} "
             f"twice-executed {v.executed_twice} re-executed {v.extra_executions}") if v else ""
    print(f"{status} {o.trial.scenario:9} #{o.trial.number:<3} recovery {recovery:>7}  {facts}  {detail}",
          flush=True)


if __name__ == "__main__":
    sys.exit(main())
