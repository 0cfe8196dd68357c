"""``regctl export BATCH [--format csv|json] [--output FILE]``: one row per restaurant.

Each row holds the restaurant, what enrichment found (menu counts, colours, theme, company and
contact), who decided (select_company, configure_registration) and the outcome (job status, failed
steps, the platform's restaurant id). Passwords are never exported.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from regctl.commands._common import batch_names, resolve_batch, store_for
from regctl.db.domain import DomainStore

__all__ = ["COMMANDS", "export", "to_csv"]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """RFC-4180 CSV; the nested ``steps`` mapping becomes ``key=status`` pairs."""
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        flat = dict(row, steps=" ".join(f"{k}={v}" for k, v in row["steps"].items()))
        writer.writerow({k: "" if v is None else v for k, v in flat.items()})
    return out.getvalue()


@click.command("export", epilog="""\b
Examples:
  regctl export demo > demo.csv
  regctl export demo --format json -o demo.json""")
@click.argument("batch", shell_complete=batch_names)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.pass_context
def export(ctx: click.Context, batch: str, fmt: str, output: Path | None) -> None:
    """Write one row per restaurant of BATCH: enrichment, decisions and outcome."""
    with store_for(ctx) as store:
        batch_id = int(resolve_batch(store, batch)["id"])
        rows = DomainStore(store.engine).batch_export(batch_id)
    text = to_csv(rows) if fmt == "csv" else json.dumps(rows, indent=1, ensure_ascii=False, default=str)
    text += "" if fmt == "csv" else "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(rows)} rows to {output}", err=True)


COMMANDS = [export]
