"""Reads outside the supervisor's loop (its closing summary) survive a database that is restarting.

The chaos suite's pgrestart scenario found a `regctl supervise --until-idle` that had finished its
work exit 1 because PostgreSQL restarted while it read the summary. Here the refusal is real: a
PostgreSQL URL on a port where nothing listens, as during a restart.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from regctl.db.store import until_answered

NOBODY = "postgresql+psycopg://postgres@127.0.0.1:1/regctl"  # connection refused


def test_a_refused_connection_is_tried_again_until_it_answers() -> None:
    engine = sa.create_engine(NOBODY, poolclass=sa.pool.NullPool)
    calls: list[int] = []

    def summary() -> str:
        calls.append(1)
        if len(calls) < 3:
            with engine.connect():
                pass
        return "answered"

    assert until_answered(summary) == "answered"
    assert len(calls) == 3


def test_it_gives_up_after_the_limit_with_the_database_error() -> None:
    engine = sa.create_engine(NOBODY, poolclass=sa.pool.NullPool)
    with pytest.raises(sa.exc.OperationalError):
        until_answered(lambda: engine.connect().close(), give_up_after=1.0)


def test_other_errors_are_raised_at_once() -> None:
    calls: list[int] = []

    def broken() -> None:
        calls.append(1)
        raise sa.exc.ArgumentError("not a database outage")

    with pytest.raises(sa.exc.ArgumentError):
        until_answered(broken)
    assert calls == [1]
