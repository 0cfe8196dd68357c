"""`regctl decide`: non-interactive answers, validated, audited; first answer wins."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from review_helpers import run_cli, waiting_batch

from regctl.db.decisions import decisions_for_job
from regctl.db.store import Store
from regctl.engine import api

GOOD = {"ok": True, "contact": {"email": "owner@example.nz"}}


def _decide(database_url: str, job_id: int, answer: Any, *extra: str) -> Any:
    return run_cli(["--db", database_url, "decide", str(job_id), "approve", "--json", "-", *extra],
                   input=json.dumps(answer))


def _first_job(store: Store, batch_id: int) -> int:
    return int(store.waiting_steps(batch_id=batch_id)[0]["job_id"])


def test_decide_records_the_answer_and_the_job_moves_on(store: Store, database_url: str,
                                                        tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path)
    job_id = _first_job(store, batch_id)
    result = _decide(database_url, job_id, GOOD, "--as", "alice")
    assert result.exit_code == 0, result.output
    assert "answered by alice" in result.output
    [decision] = decisions_for_job(store.engine, job_id)
    assert (decision.actor, decision.via.value, decision.answer) == ("alice", "decide", GOOD)
    api.supervise(store, until_idle=True, batch_id=batch_id)
    steps = {s["key"]: s for s in store.job_view(job_id)["steps"]}
    assert steps["approve"]["status"] == "completed"
    assert steps["approve"]["result"] == GOOD
    assert steps["publish"]["status"] == "completed"


INVALID = [
    ({"ok": "yes", "contact": {"email": "a@b"}}, "ok"),
    ({"ok": True, "contact": {"email": "not-an-email"}}, "contact.email"),
    ({"ok": True, "contact": {}}, "contact.email"),
    ({"ok": True}, "contact"),
    ({"ok": True, "contact": {"email": "a@b"}, "extra": 1}, "(answer)"),
]


def test_invalid_answers_exit_2_naming_the_field_and_change_nothing(
        store: Store, database_url: str, tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path)
    job_id = _first_job(store, batch_id)
    before = store.job_view(job_id)
    for answer, field in INVALID:
        result = _decide(database_url, job_id, answer)
        assert result.exit_code == 2, answer
        assert f"invalid answer: {field}:" in result.output
    after = store.job_view(job_id)
    assert after["steps"] == before["steps"]
    assert after["decisions"] == [] and after["events"] == before["events"]


def test_unreadable_answers_are_usage_errors(store: Store, database_url: str, tmp_path: Path) -> None:
    job_id = _first_job(store, waiting_batch(store, tmp_path))
    broken = run_cli(["--db", database_url, "decide", str(job_id), "approve", "--json", "-"],
                     input='{"ok": true,\n "contact": }')
    assert broken.exit_code == 2 and "stdin:2: not valid JSON" in broken.output
    missing = run_cli(["--db", database_url, "decide", str(job_id), "approve",
                       "--json", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "nope.json" in missing.output
    listed = _decide(database_url, job_id, [1, 2])
    assert listed.exit_code == 2 and "JSON object" in listed.output
    unknown = run_cli(["--db", database_url, "decide", str(job_id), "nosuch", "--json", "-"], input="{}")
    assert unknown.exit_code == 2 and "nosuch" in unknown.output
    assert store.job_view(job_id)["decisions"] == []


def test_a_second_answer_is_told_who_answered(store: Store, database_url: str, tmp_path: Path) -> None:
    job_id = _first_job(store, waiting_batch(store, tmp_path))
    assert _decide(database_url, job_id, GOOD, "--as", "alice").exit_code == 0
    late = _decide(database_url, job_id, GOOD, "--as", "bob")
    assert late.exit_code == 2
    assert "already answered by alice" in late.output and "via decide" in late.output
    assert [d.actor for d in decisions_for_job(store.engine, job_id)] == ["alice"]


def test_secrets_in_answers_are_not_kept_in_the_audit(store: Store, tmp_path: Path) -> None:
    from regctl.review.decisions import redacted

    assert redacted({"account": {"password": "hunter2", "email": "a@b"}, "token": ""}) == {
        "account": {"password": "[redacted]", "email": "a@b"}, "token": ""}
