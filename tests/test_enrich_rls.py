"""PostgreSQL row-level security: a role that does not own the tables sees only the restaurants of the
organisations granted to it (``regctl db grant``), whatever organisation the domain store is opened for."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from cli_support import regctl
from enrich_support import seed_batch

from regctl.db.domain import records_for
from regctl.errors import NotFound

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_url(database_url: str, dialect: str) -> Iterator[str]:
    if dialect != "postgres":
        pytest.skip("row-level security is PostgreSQL's")
    role = f"regctl_app_{secrets.token_hex(3)}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    assert regctl("db", "grant", "org", role, db=database_url).code == 0
    host_and_db = database_url.partition("://")[2].partition("@")[2]
    yield f"{database_url.split('://')[0]}://{role}@{host_and_db}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


def test_domain_store_sees_only_its_organisation(database_url: str, app_url: str) -> None:
    _batch, [(rid, _job)] = seed_batch(database_url, [{"name": "Bao Down"}])  # organisation "org"
    assert records_for(app_url, "org").restaurant(rid)["name"] == "Bao Down"
    _other, [(theirs, _job)] = seed_batch(database_url, [{"name": "Not Yours"}], organisation="another-org")
    with pytest.raises(NotFound):
        records_for(app_url, "another-org").restaurant(theirs)  # naming the organisation grants nothing
