"""Alembic environment: the target is regctl.db.schema.metadata; run through regctl.db.migrate."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from regctl.db.schema import Json, metadata

config = context.config


def _render_item(kind: str, obj: Any, autogen: Any) -> str | Literal[False]:
    """regctl's Json type as migrations spell it (JSON, JSONB on PostgreSQL), not as an import of regctl."""
    if kind == "type" and isinstance(obj, Json):
        autogen.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')"
    return False


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_item=_render_item,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from regctl.db.connect import open_engine

    engine = open_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)


run_migrations_online()
