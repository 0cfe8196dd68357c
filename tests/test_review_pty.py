"""`regctl review` as a real process on a pseudo-terminal (pexpect): prompts, resumption, Ctrl-C."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
from review_helpers import waiting_batch

from regctl.db.store import Store

REGCTL = str(Path(sys.executable).with_name("regctl"))
_children: list[pexpect.spawn] = []


@pytest.fixture(autouse=True)
def _no_stray_children() -> Iterator[None]:
    yield
    while _children:
        child = _children.pop()
        if child.isalive():
            child.terminate(force=True)
        child.close()


def _spawn(database_url: str, tmp_path: Path, *args: str, command: str = "review") -> pexpect.spawn:
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "REGCTL_DATA_DIR": str(tmp_path),
           "REGCTL_ACTOR": "pty-user"}
    child = pexpect.spawn(REGCTL, ["--db", database_url, command, *args], env=env, encoding="utf-8",
                          timeout=60, dimensions=(45, 120))
    _children.append(child)
    return child


def _answer(child: pexpect.spawn, ok: str, email: str) -> None:
    child.expect(r"ok \(required\)")
    child.send(ok + "\r")  # yes/no: the key, then Enter
    child.expect("email")
    child.send(email + "\r")


def test_review_answers_then_continues_the_batch(store: Store, database_url: str, tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path)
    child = _spawn(database_url, tmp_path, "approvals", "--as", "dana")
    child.expect("Decision 1 of 2")
    _answer(child, "y", "first@example.nz")
    child.expect("Decision 2 of 2")
    _answer(child, "n", "second@example.nz")
    child.expect("No supervisor is running")
    child.send("y")
    child.send("\r")
    # the live view of `regctl run` while the batch continues, then the batch's name and outcome
    child.expect("%")
    child.expect(r"batch approvals \(#\d+\): completed — 2 job\(s\): 2 completed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    jobs = store.batch_view(batch_id)["jobs"]
    assert {s["key"]: s["status"] for j in jobs for s in j["steps"]} == {"approve": "completed",
                                                                         "publish": "completed"}
    assert all(store.job_view(j["id"])["decisions"][0]["actor"] == "dana" for j in jobs)


def test_ctrl_c_leaves_the_decisions_waiting(store: Store, database_url: str, tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path)
    child = _spawn(database_url, tmp_path)
    child.expect("Decision 1 of 2")
    child.expect(r"ok \(required\)")
    child.send("y\r")
    child.expect("email")
    child.send("half@exa")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    assert "Stopped" in (child.before or "")
    assert len(store.waiting_steps(batch_id=batch_id)) == 2
    assert all(store.job_view(j["id"])["decisions"] == [] for j in store.batch_view(batch_id)["jobs"])


def test_list_shows_what_waits(store: Store, database_url: str, tmp_path: Path) -> None:
    waiting_batch(store, tmp_path)
    child = _spawn(database_url, tmp_path, "--list")
    child.expect(pexpect.EOF)
    child.close()
    out = child.before or ""
    assert child.exitstatus == 0
    assert "Place 1" in out and "Place 2" in out and "approve" in out and "ago" in out


def test_resume_shows_the_live_view_and_names_the_outcome(store: Store, database_url: str,
                                                          tmp_path: Path) -> None:
    from regctl.review.decisions import record_decision

    batch_id = waiting_batch(store, tmp_path, count=1)
    [waiting] = store.waiting_steps(batch_id=batch_id)
    record_decision(store, waiting["step_id"], {"ok": True, "contact": {"email": "a@b.nz"}}, actor="test")
    child = _spawn(database_url, tmp_path, "approvals", command="resume")
    child.expect("%")  # the progress bar of the live view
    child.expect(r"batch approvals \(#\d+\): completed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before


def test_the_end_of_review_and_resume_carries_the_db_in_its_hint(store: Store, database_url: str,
                                                                  tmp_path: Path) -> None:
    """`regctl review X --db URL` continued the batch and ended `…: regctl review X`: the next
    command, pasted, looked in ./regctl.db (the `--db` given after the command, as an operator types)."""
    batch_id = waiting_batch(store, tmp_path)
    first = store.batch_view(batch_id)["jobs"][0]["id"]
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "REGCTL_DATA_DIR": str(tmp_path)}
    args = ["review", "approvals", "--job", str(first), "--continue", "--db", database_url]
    child = pexpect.spawn(REGCTL, args, env=env, encoding="utf-8", timeout=60, dimensions=(45, 400))
    _children.append(child)
    _answer(child, "y", "first@example.nz")
    child.expect(r"1 decision\(s\) waiting: regctl review approvals --db (\S+)")
    assert child.match.group(1).strip("'") == database_url
    child.expect(pexpect.EOF)
    child = _spawn(database_url, tmp_path, "approvals", command="resume")
    child.expect(r"1 decision\(s\) waiting: regctl review approvals --db (\S+)")
    assert child.match.group(1).strip("'") == database_url
    child.expect(pexpect.EOF)
