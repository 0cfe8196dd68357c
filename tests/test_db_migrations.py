"""Migrations: an empty database upgrades to exactly the model; row-level security on PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from cli_support import regctl
from engine_helpers import manifest, spec
from fixtures_db import ADMIN_URL

from regctl.db import migrate
from regctl.db.connect import open_engine
from regctl.db.schema import metadata
from regctl.engine import api
from regctl.errors import ConfigError


def test_an_empty_database_upgrades_to_exactly_the_model(empty_database_url: str) -> None:
    engine = open_engine(empty_database_url)
    assert not migrate.is_current(engine)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        revision = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    assert diff == []
    assert revision == migrate.head_revision()


def test_an_unmigrated_database_is_refused_with_the_command_to_fix_it(empty_database_url: str) -> None:
    if empty_database_url.startswith("sqlite"):
        pytest.skip("a new SQLite file is upgraded automatically")
    with pytest.raises(ConfigError, match="regctl db upgrade"):
        api.open_store(empty_database_url)


def test_a_new_sqlite_file_is_upgraded_on_open(tmp_path: object) -> None:
    store = api.open_store(f"sqlite:///{tmp_path}/fresh.db")
    assert migrate.is_current(store.engine)
    store.close()


@pytest.fixture
def reader_role(dialect: str, database_url: str) -> Iterator[str]:
    if dialect != "postgres":
        pytest.skip("row-level security is a PostgreSQL feature")
    role = f"regctl_reader_{secrets.token_hex(3)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
    assert regctl("db", "grant", "org-a", role, db=database_url).code == 0  # the owner binds it to org-a
    yield role
    with psycopg.connect(database_url, autocommit=True) as db:
        db.execute(f"DROP OWNED BY {role}")
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP ROLE {role}")


def test_a_non_owner_of_organisation_a_cannot_read_organisation_b(
    database_url: str, reader_role: str
) -> None:
    owner = api.open_store(database_url)
    for org, name in (("org-a", "batch-a"), ("org-b", "batch-b")):
        api.submit_batch(
            owner,
            manifest(
                [spec("s")],
                organisation=org,
                batch=name,
                restaurants=[{"name": f"{org} cafe", "address": "1 Road"}],
            ),
            actor="t",
        )
    assert {b["name"] for b in owner.list_batches()} == {"batch-a", "batch-b"}  # the owner sees all
    owner.close()
    url = database_url.replace("postgres@", f"{reader_role}@")
    reader = api.open_store(url, organisation="org-b")  # naming another organisation grants nothing
    assert [b["name"] for b in reader.list_batches()] == ["batch-a"]
    assert [j["restaurant"] for j in reader.batch_view(reader.find_batch("batch-a")["id"])["jobs"]] == [
        "org-a cafe"
    ]
    reader.close()
