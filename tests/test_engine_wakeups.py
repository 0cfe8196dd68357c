"""Wake-ups and the small commands of the engine area (`regctl db upgrade`)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from engine_helpers import listening, manifest, spec

from regctl.db import migrate
from regctl.db.connect import open_engine
from regctl.db.store import Store
from regctl.engine import api


def test_a_new_batch_and_an_answer_notify_listening_supervisors(store: Store, dialect: str) -> None:
    if dialect != "postgres":
        pytest.skip("SQLite supervisors poll")
    with listening(store) as (heard, got):
        for _ in range(100):  # LISTEN is issued on the listener's own thread
            api.submit_batch(store, manifest([spec("a")], batch="nudge"), actor="t")
            if got.wait(0.1):
                break
        assert "batch" in heard


def test_db_upgrade_migrates_an_empty_database(empty_database_url: str) -> None:
    from regctl.cli import cli

    result = CliRunner().invoke(cli, ["--db", empty_database_url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "revision 0001" in result.output
    engine = open_engine(empty_database_url)
    assert migrate.is_current(engine)
    engine.dispose()


def test_an_unreachable_database_is_a_config_error_without_the_password() -> None:
    from regctl.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        api.open_store("postgresql://someone:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(caught.value) and "127.0.0.1:1" in str(caught.value)
