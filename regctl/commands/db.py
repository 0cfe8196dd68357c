"""``regctl db``: bring the schema to the current migration; bind roles to organisations (tenancy)."""

from __future__ import annotations

from typing import Any

import click

from regctl.db import migrate
from regctl.engine import api


@click.group("db")
def db() -> None:
    """Database maintenance and tenancy (which database roles act for which organisation)."""


@db.command("upgrade")
@click.pass_obj
def upgrade(obj: Any) -> None:
    """Run the migrations (SQLite or PostgreSQL, chosen by --db / REGCTL_DATABASE_URL)."""
    store = api.open_store(obj.db_url, upgrade=True)
    try:
        click.echo(f"database at revision {migrate.current_revision(store.engine)}")
    finally:
        store.close()


@db.command("grant")
@click.argument("organisation")
@click.argument("role")
@click.pass_obj
def grant(obj: Any, organisation: str, role: str) -> None:
    """Let database ROLE act for ORGANISATION (PostgreSQL; run as the owner of the tables).

    The role must exist (CREATE ROLE … LOGIN). It then sees and changes only the rows of the
    organisations granted to it, whatever it runs (docs/security.md).
    """
    from regctl.db.tenancy import grant_txn

    store = api.open_store(obj.db_url)
    try:
        made = store.transact(lambda c: grant_txn(c, organisation, role))
    finally:
        store.close()
    click.echo(f"role {role} {'may now act' if made else 'already acts'} for organisation {organisation}")


@db.command("revoke")
@click.argument("organisation")
@click.argument("role")
@click.pass_obj
def revoke(obj: Any, organisation: str, role: str) -> None:
    """Stop database ROLE acting for ORGANISATION (its table privileges go with its last one)."""
    from regctl.db.tenancy import revoke_txn

    store = api.open_store(obj.db_url)
    try:
        gone = store.transact(lambda c: revoke_txn(c, organisation, role))
    finally:
        store.close()
    click.echo(f"role {role} {'no longer acts' if gone else 'did not act'} for organisation {organisation}")


COMMANDS = [db]
