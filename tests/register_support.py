"""A small StepContext for calling registration steps directly in tests (no engine involved).

The registration steps only read the context; the database they write artifacts to is a real SQLite
file with the schema created from the model.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regctl.errors import Cancelled

TIMINGS: list[tuple[str, float]] = []  # (step key, seconds) of every run_steps step, for diagnosis

JSON = dict[str, Any]


@dataclass
class StepCtx:
    config: JSON
    data_dir: Path
    database_url: str = "sqlite://"
    restaurant: JSON = field(default_factory=dict)
    results: Mapping[str, JSON] = field(default_factory=dict)
    step_key: str = "step"
    target: str = "sandbox"
    job_id: int = 1
    batch_id: int = 1
    batch_name: str = "test"
    organisation: str = "test-org"
    attempt: int = 1
    params: JSON = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
    rate_limits_taken: list[str] = field(default_factory=list)
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
        self.rate_limits_taken.append(name)


async def run_steps(base: StepCtx, keys: list[str],
                    results: dict[str, JSON] | None = None) -> dict[str, JSON]:
    """Run registered step types one after another in this event loop, as one job would.

    Each step sees the results of those before it; sync steps run in a thread (as the engine does);
    every step shares ``base.shared`` (so one browser serves them all).
    """
    import asyncio
    import dataclasses
    import inspect

    from regctl.steps.registry import lookup

    done = dict(results or {})
    for key in keys:
        ctx = dataclasses.replace(base, step_key=key, results=dict(done), shared=base.shared)
        run = lookup(key).run
        assert run is not None
        started = time.monotonic()
        if inspect.iscoroutinefunction(run):
            out = await run(ctx)
        else:
            out = await asyncio.to_thread(run, ctx)
        done[key] = dict(out or {})
        TIMINGS.append((key, time.monotonic() - started))
    return done


def close_browser(base: StepCtx) -> Any:
    from regctl.steps.browser_step import close_shared_browser

    return close_shared_browser(base.shared)
