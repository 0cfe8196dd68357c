"""Waiting decisions: which action_required steps wait, for which restaurant, since when.

Read from the store (``store.waiting_steps``); the batch name and the moment each step started
waiting (its last move to ``action_required`` in the event log) are added for `regctl review --list`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from regctl.db.decisions import waiting_since
from regctl.steps.base import DecisionRequest

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["WaitingDecision", "waiting_decisions"]

JSON = dict[str, Any]


@dataclass(frozen=True)
class WaitingDecision:
    """One step waiting for a person (or a policy) to answer its request."""

    step_id: int
    job_id: int
    batch_id: int
    batch: str  # the batch's name
    restaurant: str  # the restaurant's name
    step_key: str
    uses: str  # the step type that asked
    attempt: int
    waiting_since: float | None  # epoch seconds
    request: DecisionRequest

    @property
    def kind(self) -> str:
        return self.request.kind

    def to_json(self) -> JSON:
        return {"step_id": self.step_id, "job_id": self.job_id, "batch_id": self.batch_id,
                "batch": self.batch, "restaurant": self.restaurant, "step": self.step_key,
                "uses": self.uses, "attempt": self.attempt, "waiting_since": self.waiting_since,
                "kind": self.kind, "prompt": self.request.prompt}


def waiting_decisions(store: Store, *, batch_id: int | None = None, job_id: int | None = None,
                      step_key: str | None = None) -> list[WaitingDecision]:
    """Every waiting decision, in batch → job → pipeline order, optionally narrowed."""
    rows = [r for r in store.waiting_steps(batch_id=batch_id, job_id=job_id, key=step_key) if r["request"]]
    with store.engine.connect() as conn:
        since = waiting_since(conn, [r["step_id"] for r in rows])
    names: dict[int, str] = {}
    for r in rows:
        if r["batch_id"] not in names:
            names[r["batch_id"]] = str(store.batch_row(r["batch_id"])["name"])
    return [WaitingDecision(step_id=r["step_id"], job_id=r["job_id"], batch_id=r["batch_id"],
                            batch=names[r["batch_id"]], restaurant=str(r["restaurant"]), step_key=r["key"],
                            uses=r["uses"], attempt=int(r["attempt"]), waiting_since=since.get(r["step_id"]),
                            request=DecisionRequest.from_json(r["request"]))
            for r in rows]
