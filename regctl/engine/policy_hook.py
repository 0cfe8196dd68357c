"""Manifest ``policies:`` for action steps: let a policy answer before a person is asked.

A waiting step whose batch's manifest names a policy for its key, and that has no decision yet, is
handed to ``regctl.review.policies.evaluate(policy, request, ctx)`` — when it starts waiting, and
again by every supervisor when it starts and at each heartbeat, so an answer lost with a crashed
supervisor is given again. A dict answer goes through
:func:`regctl.review.decisions.record_decision` (the decision lock, the schema check, the step
type's ``apply``, the decision row): the same path as a person's, so ``apply`` never runs twice.
Any failure leaves the step waiting for a person (and is logged), never failing the step.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from regctl.db.records import StepOutcome
from regctl.engine.context import EngineContext, context_for
from regctl.engine.states import StepStatus
from regctl.errors import RegctlError
from regctl.steps.base import DecisionRequest

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["PolicyTask", "apply_policy", "policy_for", "policy_label", "unanswered"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PolicyTask:
    """A waiting step and the policy its batch names for it."""

    step_id: int
    attempt: int
    key: str
    job_id: int
    request: dict[str, Any]
    policy: Any


def policy_for(ctx: EngineContext, outcome: StepOutcome) -> PolicyTask | None:
    """The policy task for this newly waiting step, or None."""
    if outcome.status != StepStatus.ACTION_REQUIRED or outcome.request is None:
        return None
    policy = ctx.batch.policies.get(ctx.step_key)
    if policy is None:
        return None
    return PolicyTask(ctx.step_id, ctx.attempt, ctx.step_key, ctx.job_id, outcome.request, policy)


def unanswered(store: Store, batch_id: int | None, policies: dict[int, dict[str, Any]]) -> list[PolicyTask]:
    """Waiting steps whose batch names a policy for them (``policies``: batch id → its policies)."""
    tasks = []
    for row in store.waiting_steps(batch_id=batch_id):
        policy = policies.get(row["batch_id"], {}).get(row["key"])
        if policy is not None and policy_label(policy) != "review" and row["request"]:  # review: a person
            tasks.append(
                PolicyTask(row["step_id"], row["attempt"], row["key"], row["job_id"], row["request"], policy)
            )
    return tasks


def policy_label(policy: Any) -> str:
    if isinstance(policy, dict):
        return str(policy.get("name") or policy.get("policy") or "custom")
    return str(policy)


def _evaluate(policy: Any, request: DecisionRequest, ctx: EngineContext) -> dict[str, Any] | None:
    try:
        module = importlib.import_module("regctl.review.policies")
    except ModuleNotFoundError as exc:
        if exc.name not in ("regctl.review", "regctl.review.policies"):
            raise
        return None
    answer = module.evaluate(policy, request, ctx)
    return dict(answer) if answer is not None else None


def apply_policy(store: Store, task: PolicyTask) -> bool:
    """Runs in a worker thread; True when the policy answered and its decision was recorded."""
    from regctl.db.decisions import Via
    from regctl.review.decisions import record_decision

    label = policy_label(task.policy)
    try:
        ctx = context_for(store, task.step_id, actor=f"policy:{label}")
        answer = _evaluate(task.policy, DecisionRequest.from_json(task.request), ctx)
        if answer is None:
            return False
        record_decision(store, task.step_id, answer, actor=f"policy:{label}", via=Via.POLICY)
        return True
    except RegctlError as exc:  # answered meanwhile (a person, another supervisor), or refused
        log.info("policy %s for step %s of job %s: %s", label, task.key, task.job_id, exc)
        return False
    except Exception:
        log.exception("policy %s for step %s of job %s failed", label, task.key, task.job_id)
        return False
