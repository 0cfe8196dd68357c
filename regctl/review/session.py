"""A review session: walk every waiting decision with a Prompter, recording each answer at once.

Each decision is recorded the moment its flow finishes, so a session stopped by Ctrl-C keeps what
was answered and leaves the rest waiting, untouched. "Apply to all" copies a configure_registration
answer to the batch's later waiting ones (their own per-restaurant fields kept); one that the copied
answer does not fit (e.g. the menu gate) stays in the queue and is asked like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from regctl.db.decisions import Via
from regctl.errors import DecisionError
from regctl.review.config_flow import carry_choices
from regctl.review.decisions import record_decision
from regctl.review.flows import ask
from regctl.review.protocol import FlowContext, LeaveWaiting, Outcome, Prompter
from regctl.review.requests import WaitingDecision, waiting_decisions
from regctl.steps.base import DecisionRequest

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["ReviewSummary", "run_review"]

JSON = dict[str, Any]


@dataclass
class ReviewSummary:
    """What a session did. ``interrupted``: stopped by Ctrl-C (the rest is still waiting)."""

    total: int = 0
    answered: int = 0
    applied_to_others: int = 0
    left_waiting: int = 0
    interrupted: bool = False
    batch_ids: set[int] = field(default_factory=set)  # batches that got an answer

    def to_json(self) -> JSON:
        return {"total": self.total, "answered": self.answered, "applied_to_others": self.applied_to_others,
                "left_waiting": self.left_waiting, "interrupted": self.interrupted}


def run_review(store: Store, prompter: Prompter, *, actor: str, batch_id: int | None = None,
               job_id: int | None = None, step_key: str | None = None) -> ReviewSummary:
    """Ask every waiting decision (narrowed by batch/job/step) in order, showing "n of m"."""
    queue = waiting_decisions(store, batch_id=batch_id, job_id=job_id, step_key=step_key)
    summary = ReviewSummary(total=len(queue))
    done: set[int] = set()
    for n, item in enumerate(queue, 1):
        if item.step_id in done:
            continue
        try:
            _review_one(store, prompter, item, queue, n, done, summary, actor)
        except KeyboardInterrupt:
            summary.interrupted = True
            summary.left_waiting += sum(1 for w in queue[n - 1:] if w.step_id not in done)
            return summary
    return summary


def _review_one(store: Store, p: Prompter, item: WaitingDecision, queue: list[WaitingDecision], n: int,
                done: set[int], summary: ReviewSummary, actor: str) -> None:
    request = _current_request(store, item, p)
    if request is None:
        done.add(item.step_id)
        return
    alike = [w for w in queue[n:] if _alike(w, item) and w.step_id not in done]
    flow = FlowContext(header=f"Decision {n} of {len(queue)} · {item.batch} · {item.restaurant} · "
                              f"{item.step_key}",
                       research=lambda answer: _research(store, item, answer, actor),
                       remaining_alike=len(alike))
    try:
        outcome = ask(p, request, flow)
    except LeaveWaiting:
        summary.left_waiting += 1
        return
    if _record(store, p, item, outcome.answer, actor, Via.REVIEW):
        done.add(item.step_id)
        summary.answered += 1
        summary.batch_ids.add(item.batch_id)
    if outcome.apply_to_all:
        _apply_to_others(store, p, request, outcome, alike, done, summary, actor)


def _current_request(store: Store, item: WaitingDecision, p: Prompter) -> DecisionRequest | None:
    """The step's request as stored now; None (said why) when it no longer waits."""
    row = store.step_row(item.step_id)
    if row["status"] != "action_required" or not row["request"]:
        p.say(f"{item.restaurant} · {item.step_key}: no longer waiting (now {row['status']}); skipped.")
        return None
    return DecisionRequest.from_json(row["request"])


def _alike(other: WaitingDecision, item: WaitingDecision) -> bool:
    return other.batch_id == item.batch_id and other.kind == item.kind == "configure_registration"


def _research(store: Store, item: WaitingDecision, answer: JSON, actor: str) -> DecisionRequest:
    recorded = record_decision(store, item.step_id, answer, actor=actor, via=Via.REVIEW)
    if recorded.asked_again is None:
        raise DecisionError(f"{item.step_key}: the step type did not search again")
    return recorded.asked_again


def _record(store: Store, p: Prompter, item: WaitingDecision, answer: JSON, actor: str, via: Via) -> bool:
    try:
        record_decision(store, item.step_id, answer, actor=actor, via=via)
    except DecisionError as exc:
        p.say(f"{item.restaurant} · {item.step_key}: not recorded: {exc}")
        return False
    p.say(f"{item.restaurant} · {item.step_key}: recorded.")
    return True


def _apply_to_others(store: Store, p: Prompter, request: DecisionRequest, outcome: Outcome,
                     others: list[WaitingDecision], done: set[int], summary: ReviewSummary,
                     actor: str) -> None:
    for other in others:
        current = _current_request(store, other, p)
        if current is None:
            done.add(other.step_id)
            continue
        answer = carry_choices(request.defaults, outcome.answer, current.defaults)
        if _record(store, p, other, answer, actor, Via.APPLY_TO_ALL):
            done.add(other.step_id)
            summary.applied_to_others += 1
            summary.answered += 1
