"""`regctl review` without a terminal, `--list --json`, and answers a step type refuses."""

from __future__ import annotations

import json
from pathlib import Path

from review_helpers import run_cli, waiting_batch

from regctl.db.store import Store


def test_review_needs_a_terminal_and_points_to_decide(store: Store, database_url: str,
                                                      tmp_path: Path) -> None:
    waiting_batch(store, tmp_path)
    result = run_cli(["--db", database_url, "review"])
    assert result.exit_code == 2
    assert "needs a terminal" in result.output and "regctl decide" in result.output


def test_list_as_json(store: Store, database_url: str, tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path)
    result = run_cli(["--db", database_url, "review", "approvals", "--list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [(w["batch"], w["restaurant"], w["step"]) for w in listed] == [
        ("approvals", "Place 1", "approve"), ("approvals", "Place 2", "approve")]
    assert all(w["batch_id"] == batch_id and w["waiting_since"] for w in listed)
    none = run_cli(["--db", database_url, "review", "--list", "--json", "--step", "nope"])
    assert json.loads(none.output) == []
    missing = run_cli(["--db", database_url, "review", "no-such-batch", "--list"])
    assert missing.exit_code == 2 and "no-such-batch" in missing.output
