"""``regctl db upgrade``: bring the database schema to the current migration."""

from __future__ import annotations

from typing import Any

import click

from regctl.db import migrate
from regctl.engine import api


@click.group("db")
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@click.pass_obj
def upgrade(obj: Any) -> None:
    """Run the migrations (SQLite or PostgreSQL, chosen by --db / REGCTL_DATABASE_URL)."""
    store = api.open_store(obj.db_url, upgrade=True)
    try:
        click.echo(f"database at revision {migrate.current_revision(store.engine)}")
    finally:
        store.close()


COMMANDS = [db]
