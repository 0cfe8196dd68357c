"""Plain records passed between the store and the engine (no SQL here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from regctl.engine.states import StepStatus

__all__ = ["ClaimedStep", "Event", "StepOutcome"]


@dataclass(frozen=True)
class ClaimedStep:
    """A step a supervisor has just leased (and starts at once); ``attempt`` already counts this run."""

    id: int
    job_id: int
    batch_id: int
    organisation_id: str
    key: str
    uses: str
    kind: str
    params: dict[str, Any]
    attempt: int
    max_attempts: int
    timeout: float | None
    recoveries: int = 0  # earlier runs of this attempt lost with their supervisor


@dataclass
class StepOutcome:
    """What one run of a step came to; the store writes it (if the lease is still ours)."""

    step_id: int
    job_id: int
    attempt: int
    status: StepStatus
    result: dict[str, Any] | None = None
    error: str | None = None
    message: str | None = None  # for the event log
    next_attempt_at: float | None = None  # when status is READY (a retry)
    give_back_attempt: bool = False  # RateLimited / supervisor stopping: not a failed attempt
    request: dict[str, Any] | None = None  # when status is ACTION_REQUIRED


@dataclass(frozen=True)
class Event:
    """One row of step_events."""

    step_id: int
    job_id: int
    batch_id: int
    organisation_id: str
    actor: str
    from_status: str | None
    to_status: str
    attempt: int
    message: str | None = None
    at: float = field(default=0.0)

    def row(self, now: float) -> dict[str, Any]:
        return {
            "step_id": self.step_id,
            "job_id": self.job_id,
            "batch_id": self.batch_id,
            "organisation_id": self.organisation_id,
            "actor": self.actor,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "attempt": self.attempt,
            "message": self.message,
            "at": self.at or now,
        }
