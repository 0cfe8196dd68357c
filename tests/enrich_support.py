"""Helpers for the enrichment tests: a real SQLite database with one batch/job/restaurant, and a
small StepContext (no engine involved; the steps only read it and write through regctl.db.domain)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert

from regctl.db.schema import batches, jobs, metadata, restaurants
from regctl.errors import Cancelled, RateLimited

JSON = dict[str, Any]


def make_database(
    path: Path, restaurant: Mapping[str, Any], *, defaults: JSON | None = None
) -> tuple[str, int]:
    """A SQLite file with the schema, one batch, one restaurant and its job; (url, restaurant id)."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    now = time.time()
    with engine.begin() as conn:
        conn.execute(
            insert(batches).values(
                id=1,
                name="b",
                organisation_id="org",
                target="sandbox",
                status="running",
                manifest={"defaults": defaults or {}},
                pipeline=[],
                execution={},
                policies={},
                created_at=now,
                updated_at=now,
            )
        )
        rid = conn.execute(
            insert(restaurants)
            .values(
                organisation_id="org",
                key=str(restaurant.get("name")),
                extra={},
                created_at=now,
                updated_at=now,
                **{k: v for k, v in restaurant.items() if k != "extra"},
            )
            .returning(restaurants.c.id)
        ).scalar_one()
        conn.execute(
            insert(jobs).values(
                id=1,
                batch_id=1,
                restaurant_id=rid,
                organisation_id="org",
                position=0,
                status="running",
                active=True,
                config={},
                created_at=now,
                updated_at=now,
            )
        )
    engine.dispose()
    return url, int(rid)


@dataclass
class EnrichCtx:
    database_url: str
    data_dir: Path
    restaurant: JSON
    params: JSON = field(default_factory=dict)
    config: JSON = field(default_factory=dict)
    results: Mapping[str, JSON] = field(default_factory=dict)
    step_key: str = "step"
    target: str = "sandbox"
    job_id: int = 1
    batch_id: int = 1
    batch_name: str = "b"
    organisation: str = "org"
    attempt: int = 1
    shared: dict[str, Any] = field(default_factory=dict)
    rate_limits_taken: list[str] = field(default_factory=list)
    rate_limit_free: int | None = None  # tokens left before RateLimited; None = unlimited
    heartbeats: list[str | None] = field(default_factory=list)
    cancel_now: bool = False

    @property
    def cancelled(self) -> bool:
        return self.cancel_now

    def check_cancelled(self) -> None:
        if self.cancel_now:
            raise Cancelled("cancelled")

    def heartbeat(self, message: str | None = None) -> None:
        self.heartbeats.append(message)

    def acquire_rate_limit(self, name: str) -> None:
        if self.rate_limit_free is not None:
            if self.rate_limit_free <= 0:
                raise RateLimited(f"rate limit {name} exhausted", retry_after=6.0)
            self.rate_limit_free -= 1
        self.rate_limits_taken.append(name)


def make_batch_database(
    path: Path, restaurants_: list[Mapping[str, Any]]
) -> tuple[str, list[tuple[int, int]]]:
    """A SQLite file with one batch and a job per restaurant; (url, [(restaurant id, job id)])."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    now = time.time()
    ids = []
    with engine.begin() as conn:
        conn.execute(
            insert(batches).values(
                id=1,
                name="b",
                organisation_id="org",
                target="sandbox",
                status="running",
                manifest={"defaults": {}},
                pipeline=[],
                execution={},
                policies={},
                created_at=now,
                updated_at=now,
            )
        )
        for position, restaurant in enumerate(restaurants_):
            rid = conn.execute(
                insert(restaurants)
                .values(
                    organisation_id="org",
                    key=f"{position}:{restaurant.get('name')}",
                    extra={},
                    created_at=now,
                    updated_at=now,
                    **{k: v for k, v in restaurant.items() if k != "extra"},
                )
                .returning(restaurants.c.id)
            ).scalar_one()
            job_id = conn.execute(
                insert(jobs)
                .values(
                    batch_id=1,
                    restaurant_id=rid,
                    organisation_id="org",
                    position=position,
                    status="running",
                    active=True,
                    config={},
                    created_at=now,
                    updated_at=now,
                )
                .returning(jobs.c.id)
            ).scalar_one()
            ids.append((int(rid), int(job_id)))
    engine.dispose()
    return url, ids


class DbRateLimitCtx(EnrichCtx):
    """An EnrichCtx whose rate limit is the database-shared one (regctl.db.limits), as the engine's."""

    limit: tuple[int, float] = (2, 1.0)

    def acquire_rate_limit(self, name: str) -> None:
        from regctl.db.connect import open_engine
        from regctl.db.limits import take_rate_limit_txn

        engine = self.shared.get("engine") or open_engine(self.database_url)
        self.shared["engine"] = engine
        with engine.begin() as conn:
            wait = take_rate_limit_txn(conn, self.organisation, name, now=time.time(), default=self.limit)
        if wait > 0:
            raise RateLimited(f"rate limit {name} exhausted", retry_after=wait)
        self.rate_limits_taken.append(name)


def supervisor_worker(database_url: str, sandbox_url: str, restaurant: JSON, runs: int, data_dir: str) -> int:
    """A stand-in supervisor process: run extract_menu ``runs`` times, waiting out RateLimited as the
    engine would (it reschedules at retry_after; here we sleep). Returns how often it was limited."""
    import os

    os.environ["REGCTL_SANDBOX_URL"] = sandbox_url
    from regctl.steps.onboarding.extract_menu import extract_menu

    ctx = DbRateLimitCtx(database_url=database_url, data_dir=Path(data_dir), restaurant=restaurant)
    limited = 0
    for _ in range(runs):
        while True:
            try:
                extract_menu(ctx)
                break
            except RateLimited as exc:
                limited += 1
                time.sleep(exc.retry_after or 0.1)
    return limited


def seed_batch(
    url: str,
    restaurants_: list[Mapping[str, Any]],
    *,
    defaults: JSON | None = None,
    organisation: str = "org",
) -> tuple[int, list[tuple[int, int]]]:
    """Into a migrated database (SQLite or PostgreSQL): one batch and a job per restaurant;
    (batch id, [(restaurant id, job id)])."""
    from regctl.db.connect import open_engine

    engine = open_engine(url)
    now = time.time()
    ids = []
    with engine.begin() as conn:
        batch_id = conn.execute(
            insert(batches)
            .values(
                name="b",
                organisation_id=organisation,
                target="sandbox",
                status="running",
                manifest={"defaults": defaults or {}},
                pipeline=[],
                execution={},
                policies={},
                created_at=now,
                updated_at=now,
            )
            .returning(batches.c.id)
        ).scalar_one()
        for position, restaurant in enumerate(restaurants_):
            rid = conn.execute(
                insert(restaurants)
                .values(
                    organisation_id=organisation,
                    key=f"{position}:{restaurant.get('name')}",
                    extra={},
                    created_at=now,
                    updated_at=now,
                    **{k: v for k, v in restaurant.items() if k != "extra"},
                )
                .returning(restaurants.c.id)
            ).scalar_one()
            job_id = conn.execute(
                insert(jobs)
                .values(
                    batch_id=batch_id,
                    restaurant_id=rid,
                    organisation_id=organisation,
                    position=position,
                    status="running",
                    active=True,
                    config={},
                    created_at=now,
                    updated_at=now,
                )
                .returning(jobs.c.id)
            ).scalar_one()
            ids.append((int(rid), int(job_id)))
    engine.dispose()
    return int(batch_id), ids
