"""regctl export: rows built from the records (pure), CSV flattening, and the command's errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from regctl.cli import cli
from regctl.commands.export import to_csv
from regctl.db.domain import export_row
from regctl.engine import api


def _row() -> dict[str, object]:
    restaurant = {
        "name": "Bao Down",
        "address": "3 Ponsonby Road",
        "city": "Auckland",
        "branding": {"primary_color": "#C0392B", "theme": "dark", "logo_standard": "/d/logo_standard.png"},
        "company": {"company_name": "BAO DOWN LIMITED", "contact_name": "Mei Lin"},
        "menus": [{"id": 3, "items": 12, "option_sets": 2}],
    }
    job = {
        "id": 7,
        "status": "completed",
        "error": None,
        "config": {
            "account": {"password": "enc:abc"},
            "restaurant": {"subdomain": "baodown", "registration_mode": "x"},
        },
    }
    steps = {
        "select_company": {"status": "completed", "result": {"choice": "company"}},
        "register_restaurant": {"status": "completed", "result": {"restaurant_id": "RES123"}},
        "add_item_tags": {"status": "failed", "result": None},
    }
    return export_row(
        restaurant,
        job,
        steps,
        {"select_company": "policy:auto via policy"},
        {"status": "selected", "candidates": [{}, {}]},
    )


def test_export_row_flattens_enrichment_decisions_and_outcome() -> None:
    row = _row()
    assert (row["menu_items"], row["option_sets"], row["primary_color"], row["theme"]) == (
        12,
        2,
        "#C0392B",
        "dark",
    )
    assert (row["candidates"], row["company_choice"], row["contact_name"]) == (2, "selected", "Mei Lin")
    assert row["select_company_by"] == "policy:auto via policy"
    assert (row["subdomain"], row["platform_restaurant_id"], row["failed_steps"]) == (
        "baodown",
        "RES123",
        "add_item_tags",
    )
    assert "enc:abc" not in str(row)


def test_csv_has_one_row_per_restaurant() -> None:
    text = to_csv([_row(), _row()])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 and rows[0]["restaurant"] == "Bao Down"
    assert rows[0]["steps"] == "add_item_tags=failed register_restaurant=completed select_company=completed"
    assert to_csv([]) == ""


def test_unknown_batch_exits_2_naming_it(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    api.open_store(db, upgrade=True).close()
    result = CliRunner().invoke(cli, ["--db", db, "export", "no-such-batch"])
    assert result.exit_code != 0 and "no-such-batch" in (result.output + str(result.exception))
