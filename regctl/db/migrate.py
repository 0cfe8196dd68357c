"""Run the Alembic migrations in ``migrations/`` (``regctl db upgrade``), and regenerate them.

While the project is young there is ONE initial migration, regenerated from the model by
:func:`regenerate` (``make migration``); a test checks that the migrated schema equals the model.

Alembic is imported only to migrate or regenerate: every command checks :func:`is_current` when it
opens the database, and importing alembic for that cost a read command like ``regctl status`` a
fifth of its start-up. The check reads ``alembic_version`` and the revision files directly.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["current_revision", "head_revision", "is_current", "migrations_dir", "regenerate", "upgrade"]

INITIAL = "0001"

# Row-level security (PostgreSQL; docs/security.md). A role acts for the organisations bound to it in
# organisation_roles (``regctl db grant``); the policies compare with current_user, which a client
# cannot change without being a member of the other role. Tables with an organisation_id check it;
# child tables check that their parent row is visible (the parent's own policy decides). The role
# that runs the migration owns the tables and gets a policy that lets it see everything (single
# tenant use, the sandbox, migrations); FORCE makes the policies apply to that owner too.
MEMBER = "organisation_id IN (SELECT organisation_id FROM organisation_roles WHERE role_name = current_user)"
RLS_POLICIES = {
    "registration_batch_jobs": MEMBER,
    "registration_jobs": MEMBER,
    "registration_job_steps": MEMBER,
    "step_events": MEMBER,
    "decisions": MEMBER,
    "restaurants": MEMBER,
    "rate_limits": MEMBER,
    "menus": "restaurant_id IN (SELECT id FROM restaurants)",
    "menu_categories": "menu_id IN (SELECT id FROM menus)",
    "menu_items": "menu_id IN (SELECT id FROM menus)",
    "item_images": "item_id IN (SELECT id FROM menu_items)",
    "option_sets": "menu_id IN (SELECT id FROM menus)",
    "option_set_options": "option_set_id IN (SELECT id FROM option_sets)",
    "menu_item_option_sets": "item_id IN (SELECT id FROM menu_items) "
    "AND option_set_id IN (SELECT id FROM option_sets)",
    "company_search_candidates": "job_id IN (SELECT id FROM registration_jobs)",
    "artifacts": "job_id IN (SELECT id FROM registration_jobs)",
    "supervisors": "db_role = current_user",
    "organisation_roles": "role_name = current_user",
}

RLS_BLOCK = '''
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


RLS_POLICIES = {policies!r}


def _enable_row_level_security() -> None:
    """Policies keyed on current_user, forced on every table (regctl.db.migrate, docs/security.md)."""
    bind = op.get_bind()
    owner = bind.dialect.identifier_preparer.quote(bind.exec_driver_sql("SELECT current_user").scalar())
    op.execute("ALTER TABLE supervisors ALTER COLUMN db_role SET DEFAULT current_user")
    for table, member in RLS_POLICIES.items():
        op.execute(f"ALTER TABLE {{table}} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {{table}} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {{table}}_owner ON {{table}} TO {{owner}} USING (true) WITH CHECK (true)")
        op.execute(f"CREATE POLICY {{table}}_member ON {{table}} USING ({{member}}) WITH CHECK ({{member}})")
    # any role may see which supervisors are alive (host, pid, heartbeat); only its own it may change
    op.execute("CREATE POLICY supervisors_seen ON supervisors FOR SELECT USING (true)")
'''


def migrations_dir() -> Path:
    """``migrations/`` inside the package (an installed wheel: setup.py copies it there), else next to
    it (a source checkout). Inside first: beside an installed package is site-packages, where another
    distribution's top-level ``migrations/`` could sit."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "migrations", package.parent / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError(f"no migrations/ directory near {package}")


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` in one transaction."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


def head_revision() -> str | None:
    """The newest revision of ``migrations/versions``: the one no other revision names as its
    ``down_revision`` (alembic's answer when the files are not a single chain)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            names = set(re.findall(r"['\"]([^'\"]+)['\"]", value))
            (parents if down else revisions).update(names)
    heads = revisions - parents
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in ``alembic_version`` (None for a database never migrated)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def regenerate() -> Path:
    """Rewrite the single initial migration from :data:`regctl.db.schema.metadata`."""
    from regctl.db.connect import open_engine

    versions = migrations_dir() / "versions"
    for old in versions.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/empty.db")
        from alembic import command

        cfg = _config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id=INITIAL)
        engine.dispose()
    path = next(versions.glob(f"{INITIAL}_*.py"))
    _add_row_level_security(path)
    return path


def _add_row_level_security(path: Path) -> None:
    text = path.read_text()
    text = re.sub(r"    # ### commands auto generated by Alembic - please adjust! ###\n", "", text)
    text = re.sub(r"    # ### end Alembic commands ###\n", "", text)
    # autogenerate renders false() as SQLite's 0, which PostgreSQL refuses for a boolean
    text = text.replace(
        "sa.Boolean(), server_default=sa.text('0')", "sa.Boolean(), server_default=sa.false()"
    )
    text = text.replace("astext_type=Text()", "astext_type=sa.Text()")
    text = text.replace(
        '"""initial schema', '"""initial schema  (generated: regctl.db.migrate.regenerate)', 1
    )
    text = "# ruff: noqa: E501\n" + text
    head, sep, tail = text.partition("\n\ndef downgrade()")
    path.write_text(head.rstrip("\n") + "\n" + RLS_BLOCK.format(policies=RLS_POLICIES) + sep + tail)


if __name__ == "__main__":
    print(regenerate())
