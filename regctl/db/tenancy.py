"""Which organisations the connected database role may act for (PostgreSQL row-level security).

The owner of the tables (the role that ran the migrations) acts for every organisation, as does a
superuser: single-tenant use, the sandbox and SQLite work as they always did. Any other role acts
only for the organisations the owner bound to it with ``regctl db grant ORGANISATION ROLE``; the
policies in the migration (regctl.db.migrate.RLS_POLICIES) enforce that on every row, and this module
lets the CLI refuse early and clearly. docs/security.md explains the model.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, delete, select, text

from regctl.db.connect import insert_ignoring_conflicts
from regctl.db.schema import metadata, organisation_roles
from regctl.errors import UsageError

__all__ = [
    "grant_txn",
    "granted_txn",
    "is_owner_txn",
    "refuse_foreign_organisation_txn",
    "revoke_txn",
    "rls_active",
]

# tables a tenant reads but never writes (the bindings themselves, the migration revision)
_READ_ONLY = ("organisation_roles", "alembic_version")


def rls_active(conn: Connection) -> bool:
    """Whether row-level security applies to this connection's role (cached per connection).

    PostgreSQL refuses ``COPY FROM`` into a table whose policies apply, so writers check this first.
    """
    if conn.dialect.name != "postgresql":
        return False
    cached = conn.info.get("regctl_rls_active")
    if cached is None:
        cached = bool(conn.execute(text("SELECT row_security_active('step_events')")).scalar())
        conn.info["regctl_rls_active"] = cached
    return bool(cached)


def is_owner_txn(conn: Connection) -> bool:
    """True on SQLite, and on PostgreSQL for the tables' owner (or a superuser)."""
    return not rls_active(conn)


def refuse_foreign_organisation_txn(conn: Connection, organisation: str) -> None:
    """Raise UsageError (exit 2, nothing written) unless this role may act for ``organisation``."""
    if is_owner_txn(conn):
        return
    bound = conn.execute(
        select(organisation_roles.c.role_name).where(organisation_roles.c.organisation_id == organisation)
    ).first()  # the policy shows a tenant only its own bindings
    if bound is None:
        role = conn.execute(text("SELECT current_user")).scalar()
        raise UsageError(
            f"database role {role!r} may not act for organisation {organisation!r} "
            f"(the owner grants it with `regctl db grant {organisation} {role}`)"
        )


def _role_exists(conn: Connection, role: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def _refuse_unless_owner(conn: Connection, what: str) -> None:
    if conn.dialect.name != "postgresql":
        raise UsageError(f"{what}: roles are PostgreSQL's; a SQLite database has one tenant (its file)")
    if not is_owner_txn(conn):
        raise UsageError(f"{what}: only the owner of the regctl tables may bind roles to organisations")


def _quote(conn: Connection, role: str) -> str:
    return conn.dialect.identifier_preparer.quote(role)


def grant_txn(conn: Connection, organisation: str, role: str) -> bool:
    """Bind ``role`` to ``organisation`` and give it the table privileges it needs; False if bound already."""
    _refuse_unless_owner(conn, "db grant")
    if not 0 < len(organisation) <= 100 or not organisation.isprintable():
        raise UsageError("db grant: an organisation is 1 to 100 printable characters (as in a manifest)")
    if not _role_exists(conn, role):
        raise UsageError(f"db grant: no database role {role!r} (create it first: CREATE ROLE … LOGIN)")
    quoted = _quote(conn, role)
    writable = ", ".join(t for t in metadata.tables if t not in _READ_ONLY)
    conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {writable} TO {quoted}"))
    conn.execute(text(f"GRANT SELECT ON {', '.join(_READ_ONLY)} TO {quoted}"))
    conn.execute(text(_grant_sequences(conn, quoted)))
    row = {"organisation_id": organisation, "role_name": role, "granted_at": time.time()}
    return bool(conn.execute(insert_ignoring_conflicts(conn, organisation_roles, row)).rowcount)


def _grant_sequences(conn: Connection, quoted: str) -> str:
    schema = _quote(conn, str(conn.execute(text("SELECT current_schema()")).scalar()))
    return f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"


def revoke_txn(conn: Connection, organisation: str, role: str) -> bool:
    """Unbind; when the role is left with no organisation, take its table privileges back too."""
    _refuse_unless_owner(conn, "db revoke")
    gone = conn.execute(
        delete(organisation_roles).where(
            organisation_roles.c.organisation_id == organisation, organisation_roles.c.role_name == role
        )
    ).rowcount
    left = conn.execute(select(organisation_roles.c.organisation_id).where(
        organisation_roles.c.role_name == role)).first()
    if left is None and _role_exists(conn, role):
        quoted = _quote(conn, role)
        every = ", ".join(metadata.tables)
        conn.execute(text(f"REVOKE ALL ON {every}, alembic_version FROM {quoted}"))
    return bool(gone)


def granted_txn(conn: Connection) -> list[tuple[str, str]]:
    """The (organisation, role) bindings this role can see (all of them for the owner)."""
    rows = conn.execute(
        select(organisation_roles.c.organisation_id, organisation_roles.c.role_name).order_by(
            organisation_roles.c.organisation_id, organisation_roles.c.role_name
        )
    )
    return [(r.organisation_id, r.role_name) for r in rows]
