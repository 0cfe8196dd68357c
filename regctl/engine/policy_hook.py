"""Manifest ``policies:`` for action steps: let a policy answer before a person is asked.

When an action_required step starts waiting and the batch's manifest names a policy for its key,
``regctl.review.policies.evaluate(policy, request, ctx)`` may answer; the answer is applied with the
step type's ``apply(ctx, answer)`` and recorded as a decision by ``policy:NAME``. Any failure leaves
the step waiting for a person (and is logged), never failing the step.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
from typing import TYPE_CHECKING, Any

from regctl.db.records import StepOutcome
from regctl.engine.context import EngineContext
from regctl.engine.states import StepStatus
from regctl.steps.base import DecisionRequest
from regctl.steps.registry import lookup

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["apply_policy", "policy_for", "policy_label"]

log = logging.getLogger(__name__)


def policy_for(ctx: EngineContext, outcome: StepOutcome) -> Any | None:
    """The policy the batch names for this newly waiting step, or None."""
    if outcome.status != StepStatus.ACTION_REQUIRED or outcome.request is None:
        return None
    return ctx.batch.policies.get(ctx.step_key)


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


def _apply(ctx: EngineContext, answer: dict[str, Any]) -> dict[str, Any] | None:
    st = lookup(ctx._step.uses)
    if st.apply is None:
        return answer
    result = st.apply(ctx, answer)
    if inspect.isawaitable(result):
        result = asyncio.run(_awaited(result))
    return result if isinstance(result, dict) or result is None else {"value": result}


async def _awaited(value: Any) -> Any:
    return await value


def apply_policy(store: Store, ctx: EngineContext, outcome: StepOutcome, policy: Any) -> bool:
    """Runs in a worker thread; True when the policy answered and its decision was recorded."""
    try:
        answer = _evaluate(policy, DecisionRequest.from_json(outcome.request or {}), ctx)
        if answer is None:
            return False
        result = _apply(ctx, answer)
        label = policy_label(policy)
        return store.answer_step(
            ctx.step_id,
            ctx.attempt,
            result,
            {"kind": "answer", "answer": answer, "actor": f"policy:{label}", "via": "policy"},
        )
    except Exception:
        log.exception(
            "policy %s for step %s of job %s failed; a person must decide",
            policy_label(policy),
            ctx.step_key,
            ctx.job_id,
        )
        return False
