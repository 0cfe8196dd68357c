"""`regctl status`, `show`, `doctor`: what they print (JSON contract, plain text), on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import NOOP_STEPS, manifest, regctl
from test_cli_run import FAIL_ONCE, WAIT

from regctl.db.store import Store


@pytest.fixture
def finished(store: Store, database_url: str, tmp_path: Path) -> int:
    """A finished batch `cli-test` of 3 restaurants; returns its id."""
    assert regctl("run", str(manifest(tmp_path, NOOP_STEPS)), db=database_url).code == 0
    return int(store.find_batch("cli-test")["id"])


def test_status_json_of_a_batch_has_the_contract_fields(finished: int, database_url: str) -> None:
    for ref in ("cli-test", str(finished)):
        result = regctl("status", ref, "--json", db=database_url)
        assert result.code == 0, result.output
        data = json.loads(result.out)
        assert (data["id"], data["name"], data["status"]) == (finished, "cli-test", "completed")
        assert [j["restaurant"] for j in data["jobs"]] == ["Restaurant 0", "Restaurant 1", "Restaurant 2"]
        for job in data["jobs"]:
            assert {"id", "restaurant", "status", "steps"} <= set(job)
            assert [(s["key"], s["status"], s["attempts"]) for s in job["steps"]] == [
                ("first", "completed", 1), ("second", "completed", 1), ("third", "skipped", 0)]


def test_status_of_all_batches_counts_jobs_and_decisions(store: Store, database_url: str,
                                                         tmp_path: Path) -> None:
    assert regctl("run", str(manifest(tmp_path, NOOP_STEPS, batch="done-one")), db=database_url).code == 0
    assert regctl("run", str(manifest(tmp_path, WAIT, batch="waits", count=2)), db=database_url).code == 3
    data = {b["name"]: b for b in json.loads(regctl("status", "--json", db=database_url).out)}
    assert data["done-one"]["jobs_by_status"] == {"completed": 3}
    assert data["done-one"]["decisions_waiting"] == 0
    assert data["waits"]["decisions_waiting"] == 2
    table = regctl("status", db=database_url)
    assert table.code == 0 and "done-one" in table.out and "waits" in table.out


def test_status_table_of_one_batch(finished: int, database_url: str) -> None:
    result = regctl("status", "cli-test", db=database_url)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("batch cli-test") and "9/9 steps finished" in lines[0]
    assert len(lines) == 2 + 3  # the header, the column names, a line per job
    assert all("✔✔↷" in line and "completed" in line for line in lines[2:])


def test_status_watch_when_piped_prints_until_the_batch_is_final(finished: int, database_url: str) -> None:
    result = regctl("status", "cli-test", "--watch", "--interval", "0.05", db=database_url)
    assert result.code == 0
    assert "first completed" in result.out
    assert result.out.rstrip().splitlines()[-1].startswith("batch cli-test")


def test_status_supervisors_json(finished: int, database_url: str) -> None:
    result = regctl("status", "--supervisors", "--json", db=database_url)
    assert result.code == 0 and isinstance(json.loads(result.out), list)


def test_show_job(store: Store, database_url: str, tmp_path: Path) -> None:
    assert regctl("run", str(manifest(tmp_path, FAIL_ONCE, count=1)), db=database_url).code == 1
    job_id = store.batch_view(store.find_batch("cli-test")["id"])["jobs"][0]["id"]
    data = json.loads(regctl("show", f"job:{job_id}", "--json", db=database_url).out)
    assert data["id"] == job_id and data["status"] == "failed"
    steps = {s["key"]: s for s in data["steps"]}
    assert steps["flaky"]["status"] == "failed" and "planned failure" in steps["flaky"]["error"]
    assert steps["flaky"]["attempts"] == 1
    assert any(e["to_status"] == "failed" for e in data["events"])
    assert data["artifacts"] == [] and data["decisions"] == []
    text = regctl("show", str(job_id), db=database_url)
    assert text.code == 0 and "planned failure" in text.out and "events" in text.out


def test_show_masks_secrets(store: Store, database_url: str, tmp_path: Path) -> None:
    assert regctl("run", str(manifest(tmp_path, NOOP_STEPS, count=1)), db=database_url).code == 0
    job_id = store.batch_view(store.find_batch("cli-test")["id"])["jobs"][0]["id"]
    from sqlalchemy import update

    from regctl.db.schema import jobs
    with store.engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(
            config={"account": {"email": "a@b.co", "password": "hunter2-very-secret"}}))
    for args in (["show", str(job_id), "--json"], ["show", str(job_id)]):
        assert "hunter2" not in regctl(*args, db=database_url).out
    revealed = json.loads(regctl("show", str(job_id), "--json", "--reveal", db=database_url).out)
    assert revealed["revealed_secrets"] == {"account.password": "hunter2-very-secret"}
    assert "hunter2" not in json.dumps(revealed["config"])
    assert "account.password: hunter2-very-secret" in regctl("show", str(job_id), "--reveal",
                                                             db=database_url).out


def test_doctor_json(database_url: str) -> None:
    result = regctl("doctor", "--json", "--target", "sandbox", db=database_url)
    data = json.loads(result.out)
    checks = {c["name"]: c for c in data["checks"]}
    assert checks["database"]["ok"] is True and "migrated" in checks["database"]["detail"]
    assert checks["target sandbox"]["ok"] is True
    assert result.code == (0 if data["ok"] else 2)


def test_doctor_finds_an_unmigrated_database_and_missing_credentials(
        empty_database_url: str, dialect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if dialect == "sqlite":  # a file that does not exist yet is fine: `run` creates it
        Path(empty_database_url.removeprefix("sqlite:///")).write_bytes(b"")
    monkeypatch.delenv("REGCTL_TARGET_NOWHERE_PLATFORM_API_URL", raising=False)
    result = regctl("doctor", "--json", "--target", "nowhere", db=empty_database_url)
    assert result.code == 2
    checks = {c["name"]: c for c in json.loads(result.out)["checks"]}
    assert checks["database"]["ok"] is False and "regctl db upgrade" in checks["database"]["detail"]
    assert checks["target nowhere"]["ok"] is False


def test_read_commands_do_not_create_a_database(tmp_path: Path) -> None:
    db = tmp_path / "absent.db"
    for args in (["status"], ["status", "x"], ["show", "1"], ["cancel", "x"], ["resume", "--all"]):
        result = regctl(*args, db=f"sqlite:///{db}")
        assert result.code == 2 and "no database at" in result.err, (args, result.output)
    assert not db.exists()


def test_doctor_names_the_secret_key_source_never_the_key(
        database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGCTL_SECRET_KEY", raising=False)
    monkeypatch.setenv("REGCTL_SECRET_KEY_FILE", str(tmp_path / "k.key"))
    checks = {c["name"]: c for c in json.loads(regctl("doctor", "--json", db=database_url).out)["checks"]}
    assert checks["secret key"]["ok"] is True and "k.key" in checks["secret key"]["detail"]
    monkeypatch.setenv("REGCTL_SECRET_KEY", "not-a-fernet-key")
    result = regctl("doctor", "--json", db=database_url)
    checks = {c["name"]: c for c in json.loads(result.out)["checks"]}
    assert result.code == 2 and checks["secret key"]["ok"] is False
    assert "not-a-fernet-key" not in result.out
