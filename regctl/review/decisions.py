"""Recording decisions: validate an answer, apply it through the step type, finish the step.

:func:`record_decision` is what `regctl review` and `regctl decide` call. The order matters:
the answer is checked against the request's schema first (nothing written when it is wrong), then
the step type's ``apply(ctx, answer)`` turns it into the step's result, then ``store.answer_step``
finishes the step together with its audit row in one transaction — the first answer wins; a
later one raises :class:`DecisionError` naming who answered and when.

An ``apply`` returning ``{"ask_again": true}`` (select_company's re-search) does not finish the
step: the step type's ``request`` builds the new question, which replaces the stored one.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from regctl.db.decisions import (
    DecisionKind,
    DecisionRecord,
    Via,
    decision_for_step,
    decision_row,
    replace_request_txn,
    step_decision_lock,
)
from regctl.errors import DecisionError, NotFound, StepError
from regctl.review.validation import check_answer
from regctl.steps.base import DecisionRequest
from regctl.steps.registry import lookup

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["Recorded", "already_answered", "record_decision", "redacted"]

JSON = dict[str, Any]
SECRET_WORDS = ("password", "secret", "token")
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Recorded:
    """What recording an answer did: finished the step (``decision``) or asked again (``request``)."""

    step_id: int
    decision: DecisionRecord | None = None
    asked_again: DecisionRequest | None = None


def record_decision(store: Store, step_id: int, answer: JSON, *, actor: str,
                    via: Via = Via.DECIDE) -> Recorded:
    """Answer a waiting step. Raises DecisionError (nothing changed) for a wrong or late answer.

    Runs under the step's decision lock, so a losing racer never runs ``apply`` (whose writes,
    e.g. the job's config, happen outside the step's transaction).
    """
    row = waiting_step(store, step_id)
    check_answer(DecisionRequest.from_json(row["request"]).schema, answer)
    with step_decision_lock(store.engine, step_id):
        row = waiting_step(store, step_id)  # again: someone may have answered while we waited
        request = DecisionRequest.from_json(row["request"])
        check_answer(request.schema, answer)  # the request may have changed (re-search)
        return _apply_and_answer(store, row, request, answer, actor, via)


def _apply_and_answer(store: Store, row: JSON, request: DecisionRequest, answer: JSON, actor: str,
                      via: Via) -> Recorded:
    step_id, attempt = int(row["id"]), int(row["attempts"])
    step_type = lookup(row["uses"])
    if step_type.apply is None:
        raise DecisionError(f"step type {row['uses']!r} cannot apply an answer")
    from regctl.engine.context import context_for  # the engine imports review lazily too

    ctx = context_for(store, step_id, actor=actor)
    try:
        result = _call(step_type.apply, ctx, answer)
    except StepError as exc:  # the step type refused the answer: a usage problem, not a step failure
        raise DecisionError(f"{row['key']}: the answer was refused: {exc}") from exc
    if isinstance(result, dict) and result.get("ask_again"):
        return _ask_again(store, row, _call(step_type.request, ctx) if step_type.request else request)
    decision = decision_row(kind=DecisionKind.ANSWER, actor=actor, via=via, answer=redacted(answer))
    if not store.answer_step(step_id, attempt, result, decision):
        raise already_answered(store, row)
    return Recorded(step_id, decision=decision_for_step(store.engine, step_id, attempt))


def waiting_step(store: Store, step_id: int) -> JSON:
    """The step's row if it waits for a decision; DecisionError saying why not otherwise."""
    row = store.step_row(step_id)
    if row["status"] == "action_required" and row["request"]:
        return row
    if decision_for_step(store.engine, step_id) is not None:
        raise already_answered(store, row)
    raise DecisionError(f"step {row['key']!r} of job {row['job_id']} is {row['status']}, "
                        "not waiting for a decision")


def already_answered(store: Store, row: JSON) -> DecisionError:
    """The error the loser of a race (or a late answer) gets: who answered, when, and how."""
    found = decision_for_step(store.engine, int(row["id"]))
    where = f"step {row['key']!r} of job {row['job_id']}"
    if found is None:
        return DecisionError(f"{where} is no longer waiting for a decision")
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(found.at))
    return DecisionError(f"{where} was already answered by {found.actor} at {when} (via {found.via.value})")


def _ask_again(store: Store, row: JSON, request: DecisionRequest) -> Recorded:
    step_id, attempt = int(row["id"]), int(row["attempts"])
    if not store.transact(lambda conn: replace_request_txn(conn, step_id, attempt, request.to_json())):
        raise already_answered(store, row)
    return Recorded(step_id, asked_again=request)


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a step type's callable, plain or async, from synchronous code."""
    value = fn(*args)
    if inspect.isawaitable(value):
        return asyncio.run(_awaited(value))
    return value


async def _awaited(value: Any) -> Any:
    return await value


def redacted(answer: Any) -> Any:
    """``answer`` with every secret-looking field replaced, for the audit (it is shown and exported)."""
    if isinstance(answer, dict):
        return {k: REDACTED if _is_secret(k) and v not in (None, "") else redacted(v)
                for k, v in answer.items()}
    if isinstance(answer, list):
        return [redacted(v) for v in answer]
    return answer


def _is_secret(key: str) -> bool:
    return any(word in key.lower() for word in SECRET_WORDS)


def ensure_exists(store: Store, job_id: int, step_key: str) -> int:
    """The step id of ``step_key`` in job ``job_id``; NotFound naming both otherwise."""
    try:
        return store.step_id_for(job_id, step_key)
    except NotFound:
        store.find_job(job_id)  # "no job N" if the job itself is missing
        raise
