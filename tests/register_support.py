"""A small StepContext for calling registration steps directly in tests (no engine involved).

The registration steps only read the context; the database they write artifacts to is a real SQLite
file with the schema created from the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regctl.errors import Cancelled

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
