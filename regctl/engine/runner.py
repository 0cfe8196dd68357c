"""Run ONE step: sync steps in a worker thread, async steps on the loop; timeout; cancellation.

The result is a :class:`~regctl.db.records.StepOutcome` the supervisor records in its next batch.
A timeout or a retryable error becomes a persisted retry (``next_attempt_at``); ``Cancelled``
ends the step cancelled — or, when the supervisor itself is stopping, hands it back as ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import threading
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


async def call_step(fn: Callable[..., Any], executor: Executor | None, *args: Any) -> Any:
    """Call a plain function in ``executor`` (None: a daemon thread of its own) or await a coroutine
    function on this loop.

    A step's own thread is a daemon: a step that ignores cancellation can neither fill a shared
    pool (so that unrelated steps "time out" without starting) nor keep the process alive at exit.
    """
    if inspect.iscoroutinefunction(fn):
        return await fn(*args)
    loop = asyncio.get_running_loop()
    if executor is not None:
        value = await loop.run_in_executor(executor, fn, *args)
    else:
        value = await _in_daemon_thread(loop, fn, *args)
    return await value if inspect.isawaitable(value) else value


class StepExited(PermanentStepError):
    """A step's code raised SystemExit or KeyboardInterrupt (argparse-based tools call sys.exit).

    It fails that step; raised as is it would end the supervisor's event loop and process.
    """

    def __init__(self, error: BaseException) -> None:
        super().__init__(f"the step raised {type(error).__name__}({error})")


def _in_daemon_thread(
    loop: asyncio.AbstractEventLoop, fn: Callable[..., Any], *args: Any
) -> asyncio.Future[Any]:
    future: asyncio.Future[Any] = loop.create_future()

    def settle(value: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def body() -> None:
        value: Any = None
        failure: BaseException | None = None
        try:
            value = fn(*args)
        except (SystemExit, KeyboardInterrupt) as error:  # the step's, not the process's
            failure = StepExited(error)
        except BaseException as error:
            failure = error
        with contextlib.suppress(RuntimeError):  # the loop closed: an abandoned step's result is dropped
            loop.call_soon_threadsafe(settle, value, failure)

    threading.Thread(target=body, daemon=True, name="regctl-step").start()
    return future


def _checked_result(value: Any) -> JSON | None:
    if value is not None and not isinstance(value, dict):
        raise PermanentStepError(f"step returned {type(value).__name__}, not a dict or None")
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise PermanentStepError(f"step result is not JSON-able: {exc}") from exc
    return value


async def _call(fn: Callable[..., Any], executor: Executor | None, ctx: EngineContext) -> Any:
    """Call a step's function; its timeout runs from the moment its code starts (``ctx.started_at``)."""
    if inspect.iscoroutinefunction(fn):
        ctx.mark_started()
        try:
            return await fn(ctx)
        except (SystemExit, KeyboardInterrupt) as error:  # asyncio would end the loop with them
            raise StepExited(error) from error
    ctx.threaded = True

    def started(c: EngineContext) -> Any:
        c.mark_started()
        return fn(c)

    return await call_step(started, executor, ctx)


async def _run_body(st: StepType, ctx: EngineContext, executor: Executor | None) -> StepOutcome:
    step = ctx._step  # the claimed row
    if st.kind == StepKind.ACTION_REQUIRED:
        if st.request is None:
            raise PermanentStepError(f"action step type {st.name!r} has no request()")
        request = await _call(st.request, executor, ctx)
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
    result = _checked_result(await _call(st.run, executor, ctx))
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


def _cancelled(step: ClaimedStep, ctx: EngineContext, *, started: bool = True) -> StepOutcome:
    """Cancelled (the job was) — or handed back ready when the supervisor itself is stopping.

    A step that never started spends no attempt.
    """
    if ctx.stopping:
        return StepOutcome(
            step.id,
            step.job_id,
            step.attempt,
            StepStatus.READY,
            next_attempt_at=time.time(),
            give_back_attempt=True,
            message="not begun in time; handed back" if ctx.withdrawn else "supervisor stopping",
        )
    return StepOutcome(
        step.id,
        step.job_id,
        step.attempt,
        StepStatus.CANCELLED,
        give_back_attempt=not started,
        message="cancelled" if started else "cancelled before it started",
    )


def _abandoned(step: ClaimedStep, ctx: EngineContext, timeout: float | None, grace: float) -> StepOutcome:
    """The step's code outlived its grace period after a timeout or a cancel: its result is discarded.

    After a timeout it fails for good (a next attempt would run beside the live thread); after a
    cancel it ends cancelled; when the supervisor stops it is handed back.
    """
    if ctx.stopping or ctx.lost:
        return _cancelled(step, ctx)
    if ctx.timed_out:
        why = f"abandoned: timed out after {timeout or 0:g}s and still ran {grace:g}s later"
        return StepOutcome(step.id, step.job_id, step.attempt, StepStatus.FAILED, error=why)
    why = f"cancelled: ignored the cancellation for {grace:g}s (result discarded)"
    return StepOutcome(step.id, step.job_id, step.attempt, StepStatus.CANCELLED, message=why)


POLL = 0.1  # how often a long step's watch looks at its timeout and its cancellation


async def _watch(
    work: asyncio.Future[StepOutcome], ctx: EngineContext, timeout: float | None, grace: float
) -> bool:
    """Wait for ``work``; time it out from the moment its code started; True if it finished.

    A timed-out or cancelled step keeps its slot until its code returns, at most ``grace`` seconds
    more; then the caller records it abandoned.
    """
    while True:
        done, _ = await asyncio.wait({work}, timeout=_next_look(ctx, timeout))
        if done:
            return True
        now = time.monotonic()
        began = ctx.started_at
        if timeout is not None and began is not None and now - began >= timeout and not ctx.timed_out:
            ctx.timed_out = True
            ctx.cancel()
            if not ctx.threaded:
                work.cancel()  # an async step stops here; a thread only sees ctx.cancelled
        if ctx.cancelled_at is not None and now - ctx.cancelled_at >= grace:
            work.cancel()
            return False


def _next_look(ctx: EngineContext, timeout: float | None) -> float:
    if timeout is None or ctx.started_at is None or ctx.timed_out:
        return POLL
    return max(0.001, min(POLL, ctx.started_at + timeout - time.monotonic()))


async def run_step(
    ctx: EngineContext, executor: Executor | None, policy: RetryPolicy, *, grace: float = 10.0
) -> StepOutcome:
    """Run the claimed step behind ``ctx`` to an outcome; never raises (except on loop shutdown).

    Anything the step's code raises — ``SystemExit`` and ``KeyboardInterrupt`` too — is the step's
    failure; only the cancellation of this task (the supervisor's own shutdown) propagates.
    """
    try:
        return await _run(ctx, executor, policy, grace)
    finally:
        ctx.begun.set()  # whatever happened, nothing more will start here


async def _run(
    ctx: EngineContext, executor: Executor | None, policy: RetryPolicy, grace: float
) -> StepOutcome:
    step = ctx._step
    if ctx.cancelled:  # cancelled before it started
        return _cancelled(step, ctx, started=False)
    timeout: float | None = None
    try:
        st = lookup(step.uses)
        timeout = step.timeout or st.timeout
        work = asyncio.ensure_future(_run_body(st, ctx, executor))
        if not await _watch(work, ctx, timeout, grace):
            ctx.abandoned = work
            return _abandoned(step, ctx, timeout, grace)
        outcome = work.result()
        if ctx.timed_out:  # its code returned after the timeout, within grace: still a timed-out attempt
            return _failure(step, RetryableStepError(f"timed out after {timeout or 0:g}s"), policy)
        return outcome
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise  # the supervisor itself is being cancelled
        if ctx.timed_out:
            return _failure(step, RetryableStepError(f"timed out after {timeout or 0:g}s"), policy)
        return _cancelled(step, ctx)
    except Cancelled:
        if ctx.timed_out:
            return _failure(step, RetryableStepError(f"timed out after {timeout or 0:g}s"), policy)
        return _cancelled(step, ctx)
    except BaseException as exc:
        if ctx.timed_out:
            return _failure(step, RetryableStepError(f"timed out after {timeout or 0:g}s"), policy)
        return _failure(step, exc, policy)
