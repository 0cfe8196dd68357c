"""`regctl validate` and the bad-manifest contract through the command line: exit 2, one located
line naming the field, and nothing written to any database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import NOOP_STEPS, manifest, regctl
from sqlalchemy import func, select
from test_manifest_bad import BAD_FILES, expectation, skip_without_builtins

from regctl.db.schema import batches, jobs, restaurants, steps
from regctl.db.store import Store

ROOT = Path(__file__).resolve().parent.parent


def counts(store: Store) -> tuple[int, ...]:
    with store.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (batches, jobs, steps, restaurants))


def test_validate_a_good_manifest(tmp_path: Path) -> None:
    path = manifest(tmp_path, NOOP_STEPS)
    result = regctl("validate", str(path))
    assert result.code == 0, result.output
    assert "valid" in result.out and "cli-test" in result.out
    data = json.loads(regctl("validate", "--json", str(path)).out)
    assert data["valid"] is True and data["restaurants"] == 3
    assert [s["key"] for s in data["steps"]] == ["first", "second", "third"]


def test_validate_touches_no_database(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    assert regctl("validate", str(manifest(tmp_path, NOOP_STEPS)), db=f"sqlite:///{db}").code == 0
    assert not db.exists()


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_manifest_exits_2_with_a_located_line(path: Path, tmp_path: Path) -> None:
    skip_without_builtins(path)
    line, field, file = expectation(path)
    db = tmp_path / "untouched.db"
    for command in ("validate", "run"):
        result = regctl(command, str(path), db=f"sqlite:///{db}")
        assert result.code == 2, result.output
        assert result.out == ""
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
        assert f"{file}:{line}: {field}:" in result.err
    assert not db.exists(), "a bad manifest created the database"


def test_validate_json_reports_the_location() -> None:
    result = regctl("validate", "--json", str(ROOT / "tests/manifests/bad/bad_email.yaml"))
    assert result.code == 2
    error = json.loads(result.out)["error"]
    assert (error["line"], error["field"]) == (6, "restaurants[0].email")


def test_bad_manifests_leave_an_existing_database_untouched(store: Store, database_url: str,
                                                            tmp_path: Path) -> None:
    assert regctl("run", "--no-progress", str(manifest(tmp_path, NOOP_STEPS)), db=database_url).code == 0
    before = counts(store)
    for name in ("cycle", "unknown_needs", "bad_duration", "duplicate_restaurant", "csv_bad_email",
                 "unknown_top_key", "missing_env"):
        path = ROOT / "tests/manifests/bad" / f"{name}.yaml"
        assert regctl("run", "--no-progress", str(path), db=database_url).code == 2, name
    assert counts(store) == before
    assert before[0] == 1


def test_a_missing_manifest_file_exits_2(tmp_path: Path) -> None:
    result = regctl("validate", str(tmp_path / "nope.yaml"))
    assert result.code == 2 and "no such file" in result.err
