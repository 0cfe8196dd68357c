"""Fixtures: ``database_url`` runs a test on SQLite and on PostgreSQL; ``store`` opens it.

SQLite: a migrated file per test (copied from one migrated once per session). PostgreSQL: a template
database migrated once per session, cloned per test with ``CREATE DATABASE … TEMPLATE`` and dropped
afterwards. ``empty_database_url`` gives an unmigrated database (migration tests).
Set ``REGCTL_TEST_PG`` to another server's admin URL; without a server the postgres cases skip.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from regctl.db import migrate
from regctl.db.connect import open_engine
from regctl.db.store import Store
from regctl.engine.api import open_store

ADMIN_URL = os.environ.get("REGCTL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
_names = itertools.count()
_tag = f"{os.getpid()}_{secrets.token_hex(2)}"


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)


def _pg_url(name: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


def pg_create(name: str, template: str | None = None) -> str:
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return _pg_url(name)


def pg_drop(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    try:
        _admin().close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {exc}")
    name = f"regctl_tpl_{_tag}"
    engine = open_engine(pg_create(name))
    migrate.upgrade(engine)
    engine.dispose()
    yield name
    pg_drop(name)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = open_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(dialect: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of this test's own."""
    if dialect == "sqlite":
        path = tmp_path / "regctl.db"
        shutil.copy(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("_pg_template")
    name = f"regctl_t_{_tag}_{next(_names)}"
    url = pg_create(name, template)
    yield url
    pg_drop(name)


@pytest.fixture
def empty_database_url(dialect: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database that has never been migrated."""
    if dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    request.getfixturevalue("_pg_template")  # skips without a server
    name = f"regctl_e_{_tag}_{next(_names)}"
    url = pg_create(name)
    yield url
    pg_drop(name)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.close()
