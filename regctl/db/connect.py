"""Open a SQLAlchemy engine for a database URL, tuned per dialect.

SQLite: WAL, a generous busy timeout, and ``BEGIN IMMEDIATE`` for every transaction so that
concurrent writers queue instead of failing on lock upgrades. PostgreSQL: psycopg 3;
row-level security follows the connected role (regctl.db.tenancy, docs/security.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Insert, Table, create_engine, event

__all__ = ["insert_ignoring_conflicts", "normalise_url", "open_engine"]

SQLITE_BUSY_MS = 30_000


def normalise_url(url: str) -> str:
    """Accept ``postgres://`` / ``postgresql://`` and use psycopg 3; a bare path means SQLite."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(url: str, *, organisation: str | None = None, pool_size: int = 8) -> Engine:
    """``organisation`` is accepted for callers' clarity only: row-level security is keyed on the
    connected database role (regctl.db.tenancy), never on a setting a client could change."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False}
        )
        _tune_sqlite(engine)
        return engine
    # No pre-ping (a round trip per transaction): on a disconnect SQLAlchemy discards the whole pool,
    # so an outage costs one failed transaction, which the supervisor retries (connection_lost).
    return create_engine(url, pool_size=pool_size, max_overflow=32, pool_pre_ping=False)


def insert_ignoring_conflicts(conn: Connection, table: Table, values: dict[str, Any]) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` in this connection's dialect (first writer wins)."""
    from sqlalchemy.dialects import postgresql, sqlite

    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).values(**values).on_conflict_do_nothing()
    return sqlite.insert(table).values(**values).on_conflict_do_nothing()
