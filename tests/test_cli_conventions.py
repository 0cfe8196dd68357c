"""The CLI conventions of issue 15 (item 2): global options anywhere, hints that carry the batch name
and --db, plain tab-separated output when piped, ISO timestamps in JSON, suggestions for typos,
shell completion, examples in --help, `status --watch` that ends, an 80-column layout, show's step
column, --events all and its pager. Terminal behaviour runs in a real pty (pexpect)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from cli_support import NOOP_STEPS, manifest, regctl
from rich.console import Console
from test_cli_run import WAIT

from regctl.cli import hoist_global_options
from regctl.engine import api
from regctl.errors import NotFound
from regctl.manifest import load_manifest
from regctl.render import batch_detail, batch_table, progress_view

REGCTL = str(Path(sys.executable).parent / "regctl")
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
BOX = re.compile("[┃│━─┏┗╇╭╰]")
FAILS = """    - {key: fetch, uses: builtin.noop}
    - {key: broken, uses: builtin.fail, with: {times: 9, retryable: false}, needs: [fetch], retries: 1}"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'conv.db'}"


@pytest.fixture
def done(db: str, tmp_path: Path) -> str:
    """A completed batch `cli-test` of three restaurants."""
    assert regctl("run", "--no-progress", str(manifest(tmp_path, NOOP_STEPS)), db=db).code == 0
    return db


def run_process(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REGCTL, *args], capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **env})


def spawn(tmp_path: Path, *args: str, rows: int = 24, cols: int = 80, **env: str) -> pexpect.spawn:
    return pexpect.spawn(REGCTL, list(args), cwd=str(tmp_path), dimensions=(rows, cols), encoding="utf-8",
                         timeout=120, env={"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", **env})


def screen_of(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-B]|\r", "", text)


# ---------------------------------------------------------------- global options, hints ----------

def test_db_and_verbose_are_accepted_after_the_command(done: str) -> None:
    result = regctl("status", "cli-test", "--db", done)
    assert result.code == 0 and "cli-test" in result.out
    assert regctl("status", f"--db={done}", "--json").code == 0
    with pytest.raises(NotFound):  # -v after the command still means: show me the traceback
        regctl("status", "no-such-batch", "-v", "--db", done)
    missing = regctl("status", "--db")
    assert missing.code == 2 and "Option '--db' requires an argument." in missing.err
    assert hoist_global_options(["run", "m.yaml", "--", "--db", "x"]) == ["run", "m.yaml", "--", "--db", "x"]


def test_retry_hint_names_the_batch_and_carries_the_db(db: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, FAILS)), db=db).code == 1
    result = regctl("retry", "1", db=db)
    assert result.code == 0, result.output
    assert f"run: regctl resume cli-test --db {db}" in result.out


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = regctl("stauts")
    assert result.code == 2
    assert "No such command 'stauts' (did you mean 'status'?)" in result.err


def test_every_command_has_examples_in_its_help() -> None:
    from regctl.commands import COMMAND_MODULES

    for command in ((), *((name,) for name in COMMAND_MODULES)):
        result = regctl(*command, "--help")
        assert result.code == 0 and re.search(r"\n *Examples:\n +regctl ", result.out), command


# ---------------------------------------------------------------- piped output, JSON -------------

def test_status_piped_is_tab_separated_without_boxes(done: str) -> None:
    every = regctl("status", db=done).out.splitlines()
    assert every[0].split("\t") == ["id", "name", "organisation", "target", "status", "jobs", "by_status",
                                    "decisions", "created"]
    assert every[1].split("\t")[:5] == ["1", "cli-test", "test-org", "sandbox", "completed"]
    one = regctl("status", "cli-test", db=done).out
    assert one.splitlines()[1] == "job\trestaurant\tsteps\tstatus\tcurrent\tlast_error"
    assert not BOX.search(one + "\n".join(every))


def test_json_timestamps_are_iso_8601_utc(done: str) -> None:
    (batch,) = json.loads(regctl("status", "--json", db=done).out)
    assert ISO_UTC.match(batch["created_at"]) and ISO_UTC.match(batch["finished_at"])
    job = json.loads(regctl("show", "1", "--json", db=done).out)
    assert all(ISO_UTC.match(e["at"]) for e in job["events"])
    assert all(ISO_UTC.match(s["started_at"]) for s in job["steps"] if s["started_at"])


def test_a_waiting_batch_has_no_finished_at(db: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, WAIT, count=1)), db=db).code == 3
    (listed,) = json.loads(regctl("status", "--json", db=db).out)
    one = json.loads(regctl("status", "cli-test", "--json", db=db).out)
    assert listed["status"] == one["status"] == "waiting"
    assert listed["finished_at"] is None and one["finished_at"] is None


def test_show_piped_has_a_step_column_and_every_event_on_request(done: str) -> None:
    every = json.loads(regctl("show", "1", "--json", db=done).out)["events"]
    out = regctl("show", "1", "--events", "all", db=done).out.split("\n\n")
    (events,) = [section for section in out if section.startswith("events")]
    lines = events.splitlines()
    assert lines[0] == f"events (all {len(every)})"
    assert lines[1] == "at\tstep\tby\ttransition\tattempt\tmessage"
    assert len(lines) == 2 + len(every)
    assert {line.split("\t")[1] for line in lines[2:]} == {"first", "second", "third"}
    few = regctl("show", "1", "--events", "2", db=done).out
    assert f"events (last 2 of {len(every)}; --events all)" in few
    assert regctl("show", "1", "--events", "lots", db=done).code == 2


# ---------------------------------------------------------------- status --watch -----------------

def test_watch_of_a_waiting_batch_ends_with_runs_exit_code(db: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, WAIT, count=1)), db=db).code == 3
    done = run_process("status", "cli-test", "--watch", "--interval", "0.05", "--db", db, timeout=60)
    assert done.returncode == 3, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("batch cli-test (#1): waiting")
    assert f"regctl review cli-test --db {db}" in last


def test_watch_of_a_failed_batch_exits_1(db: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, FAILS, count=1)), db=db).code == 1
    assert regctl("status", "cli-test", "--watch", "--interval", "0.05", db=db).code == 1


def test_watch_timeout_stops_following_a_batch_that_does_not_move(db: str, tmp_path: Path) -> None:
    store = api.open_store(db, upgrade=True)
    try:
        api.submit_batch(store, load_manifest(manifest(tmp_path, NOOP_STEPS)), actor="test")
    finally:
        store.close()
    result = regctl("status", "cli-test", "--watch", "--interval", "0.05", "--timeout", "0.2", db=db)
    assert result.code == 3  # not done: as `run` says of a batch it leaves unfinished
    assert "batch cli-test is still pending after 0.2s" in result.err


# ---------------------------------------------------------------- terminal layouts ---------------

def fits(renderable: object, width: int) -> list[str]:
    console = Console(width=width, no_color=True, record=True)
    console.print(renderable)
    return console.export_text().splitlines()


def test_status_at_80_columns_keeps_every_column_readable() -> None:
    jobs = [{"id": i, "position": i, "restaurant": f"Long Restaurant Name Number {i} of Ponsonby",
             "status": "failed", "error": None,
             "steps": [{"key": f"step_{k}", "status": "completed" if k < 5 else "failed", "attempts": 1,
                        "error": "portal said no" if k == 5 else None} for k in range(14)]}
            for i in range(3)]
    view = {"id": 4, "name": "week-48", "status": "failed", "jobs": jobs}
    lines = fits(batch_detail(view, width=80), 80)
    assert max(len(line) for line in lines) <= 80
    row = next(line for line in lines if line.lstrip().startswith("0 "))
    assert "Long Restaurant Name" in row and "✔✔✔✔✔✖" in row and "failed" in row
    batches = [{"id": 1, "name": "week-48", "status": "failed", "jobs_by_status": {"failed": 3}}]
    assert all(len(line) <= 80 for line in fits(batch_table(batches, width=80), 80))


@pytest.mark.parametrize("width", [80, 120])
def test_the_demo_batch_keeps_job_ids_and_statuses_whole(width: int) -> None:
    """The demo (12 jobs, 18 steps, several steps running at once): rich squeezed the job id and the
    status to nothing at 80 columns and cut them (`…`, `run…`) at 120 — the id is what `show` needs."""
    running = ["generate_code", "create_onboarding_user", "register_restaurant"]
    jobs = [{"id": i, "position": i, "restaurant": f"Bangkok Street Food (Newtown) {i}", "status": "running",
             "error": None,
             "steps": [{"key": f"step_{k}", "status": "completed", "attempts": 1, "error": None}
                       for k in range(15)] + [{"key": key, "status": "running", "attempts": 1,
                                               "error": "ArgumentError: a long first line " * 4}
                                              for key in running]}
            for i in range(1, 13)]
    view = {"id": 1, "name": "demo", "status": "running", "jobs": jobs}
    lines = fits(progress_view(view, width=width), width)
    assert max(len(line) for line in lines) <= width
    rows = [line for line in lines if "Bangkok" in line]
    assert [row.split()[0] for row in rows] == [str(i) for i in range(1, 13)]
    assert all(" running " in row and "✔" * 15 in row for row in rows)


def test_status_on_an_80_column_terminal(done: str, tmp_path: Path) -> None:
    child = spawn(tmp_path, "status", "cli-test", "--db", done)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lines = screen_of(child.before).splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert any("Restaurant 0" in line and "✔✔↷" in line for line in lines)


def test_show_pages_long_output_on_a_terminal(done: str, tmp_path: Path) -> None:
    pager = {"PAGER": "sed s/^/PAGED:/"}
    child = spawn(tmp_path, "show", "1", "--events", "all", "--db", done, rows=12, **pager)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "PAGED:" in child.before
    child = spawn(tmp_path, "show", "1", "--no-pager", "--db", done, rows=12, **pager)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "PAGED:" not in child.before and "events" in child.before


# ---------------------------------------------------------------- completion ---------------------

def test_completion_scripts_for_three_shells() -> None:
    for shell, marker in (("bash", "complete -o nosort -F"), ("zsh", "#compdef regctl"),
                          ("fish", "complete --no-files --command regctl")):
        result = regctl("completion", shell)
        assert result.code == 0 and marker in result.out and "_REGCTL_COMPLETE" in result.out, shell


def test_completion_offers_batch_names_and_commands(done: str, tmp_path: Path) -> None:
    batch = run_process(COMP_WORDS=f"regctl --db {done} status cli", COMP_CWORD="4",
                        _REGCTL_COMPLETE="bash_complete")
    assert batch.stdout.split() == ["plain,cli-test"], batch.stderr
    command = run_process(COMP_WORDS="regctl sta", COMP_CWORD="1", _REGCTL_COMPLETE="bash_complete")
    assert command.stdout.split() == ["plain,status"]


def test_run_summary_names_the_review_command_with_the_db(db: str, tmp_path: Path) -> None:
    result = regctl("run", "--no-progress", str(manifest(tmp_path, WAIT, count=1)), db=db)
    assert result.code == 3
    assert f"1 decision(s) waiting: regctl review cli-test --db {db}" in result.out


def test_every_batch_argument_completes_batch_names(done: str) -> None:
    for command in ("resume", "cancel", "retry", "review", "export"):
        offered = run_process(COMP_WORDS=f"regctl --db {done} {command} cli", COMP_CWORD="4",
                              _REGCTL_COMPLETE="bash_complete")
        assert offered.stdout.split() == ["plain,cli-test"], (command, offered.stderr)


def test_supervisors_piped_is_tab_separated(done: str) -> None:
    assert regctl("status", "--supervisors", db=done).out.splitlines()[0].split("\t") == [
        "id", "host", "pid", "concurrency", "batch", "started", "heartbeat_age_s"]


def test_retry_failed_hint_names_the_batch(db: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, FAILS, count=2)), db=db).code == 1
    result = regctl("retry", "cli-test", "--failed", db=db)
    assert f"run: regctl resume cli-test --db {db}" in result.out


def test_watch_on_a_terminal_ends_when_the_batch_waits(db: str, tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, WAIT, count=2)), db=db).code == 3
    child = spawn(tmp_path, "status", "cli-test", "--watch", "--interval", "0.1", "--db", db)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    screen = screen_of(child.before)
    assert "Restaurant 1" in screen and "batch cli-test (#1): waiting" in screen
