"""Run ONE step: sync steps in a worker thread, async steps on the loop; timeout; cancellation.

The result is a :class:`~regctl.db.records.StepOutcome` the supervisor records in its next batch.
A timeout or a retryable error becomes a persisted retry (``next_attempt_at``); ``Cancelled``
ends the step cancelled — or, when the supervisor itself is stopping, hands it back as ready.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from regctl.db.records import ClaimedStep, StepOutcome
from regctl.engine.context import EngineContext
from regctl.engine.policy import RetryPolicy
from regctl.engine.states import StepStatus
from regctl.errors import Cancelled, PermanentStepError, RetryableStepError
from regctl.steps.base import DecisionRequest, StepKind, StepType
from regctl.steps.registry import lookup

__all__ = ["call_step", "run_step"]

JSON = dict[str, Any]


async def call_step(fn: Callable[..., Any], executor: Executor, *args: Any) -> Any:
    """Call a plain function in ``executor`` or await a coroutine function on this loop."""
    if inspect.iscoroutinefunction(fn):
        return await fn(*args)
    value = await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
    return await value if inspect.isawaitable(value) else value


def _checked_result(value: Any) -> JSON | None:
    if value is not None and not isinstance(value, dict):
        raise PermanentStepError(f"step returned {type(value).__name__}, not a dict or None")
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise PermanentStepError(f"step result is not JSON-able: {exc}") from exc
    return value


async def _run_body(st: StepType, ctx: EngineContext, executor: Executor) -> StepOutcome:
    step = ctx._step  # the claimed row
    if st.kind == StepKind.ACTION_REQUIRED:
        if st.request is None:
            raise PermanentStepError(f"action step type {st.name!r} has no request()")
        request = await call_step(st.request, executor, ctx)
        if not isinstance(request, DecisionRequest):
            raise PermanentStepError(f"{st.name}.request() returned {type(request).__name__}")
        return StepOutcome(
            step.id,
            step.job_id,
            step.attempt,
            StepStatus.ACTION_REQUIRED,
            request=request.to_json(),
            message="waiting for a decision",
        )
    if st.run is None:
        raise PermanentStepError(f"step type {st.name!r} has nothing to run")
    result = _checked_result(await call_step(st.run, executor, ctx))
    return StepOutcome(step.id, step.job_id, step.attempt, StepStatus.COMPLETED, result=result)


def _failure(step: ClaimedStep, exc: BaseException, policy: RetryPolicy) -> StepOutcome:
    error = f"{type(exc).__name__}: {exc}"
    decision = policy.after_failure(exc, step.attempt, step.max_attempts)
    if not decision.retry:
        return StepOutcome(step.id, step.job_id, step.attempt, StepStatus.FAILED, error=error)
    return StepOutcome(
        step.id,
        step.job_id,
        step.attempt,
        StepStatus.READY,
        error=error,
        next_attempt_at=time.time() + decision.delay,
        give_back_attempt=not decision.counts_attempt,
        message=f"retry in {decision.delay:.1f}s: {error}",
    )


def _cancelled(step: ClaimedStep, ctx: EngineContext) -> StepOutcome:
    if ctx.stopping:
        return StepOutcome(
            step.id,
            step.job_id,
            step.attempt,
            StepStatus.READY,
            next_attempt_at=time.time(),
            give_back_attempt=True,
            message="supervisor stopping",
        )
    return StepOutcome(step.id, step.job_id, step.attempt, StepStatus.CANCELLED, message="cancelled")


async def run_step(ctx: EngineContext, executor: Executor, policy: RetryPolicy) -> StepOutcome:
    """Run the claimed step behind ``ctx`` to an outcome; never raises (except on loop shutdown)."""
    step = ctx._step
    timeout: float | None = None
    if ctx.cancelled:  # cancelled while it waited in the prefetch queue
        return _cancelled(step, ctx)
    try:
        st = lookup(step.uses)
        timeout = step.timeout or st.timeout
        if timeout is None:
            return await _run_body(st, ctx, executor)
        return await asyncio.wait_for(_run_body(st, ctx, executor), timeout)
    except TimeoutError:
        ctx.cancel()  # a sync step's thread cannot be killed: ask it to stop
        return _failure(step, RetryableStepError(f"timed out after {timeout or 0:g}s"), policy)
    except Cancelled:
        return _cancelled(step, ctx)
    except Exception as exc:
        return _failure(step, exc, policy)
