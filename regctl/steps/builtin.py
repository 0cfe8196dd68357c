"""Built-in step types for tests, demos and benchmarks (SPEC §5, issue 2).

- ``builtin.noop``: does nothing.
- ``builtin.sleep`` (``seconds``): sleeps on the event loop, stopping early when cancelled.
- ``builtin.fail`` (``times``, ``retryable``): fails its first ``times`` attempts, then succeeds.
- ``builtin.wait`` (action_required; ``schema``, ``prompt``): waits for a decision whose answer
  fits ``with.schema``; the answer becomes the step's result.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from regctl.errors import Cancelled, PermanentStepError, RetryableStepError
from regctl.steps.base import DecisionRequest, StepContext
from regctl.steps.params import params_schema
from regctl.steps.registry import action_step_type, step_type

__all__: list[str] = []

JSON = dict[str, Any]
_SLICE = 0.1  # how often a sleeping step looks for cancellation


@step_type("builtin.noop", description="Do nothing (engine tests and benchmarks).")
async def noop(ctx: StepContext) -> JSON | None:
    return None  # async: runs on the supervisor's loop, no worker thread needed


@step_type("builtin.sleep", description="Sleep `seconds` (default 0.1), stopping early if cancelled.",
           params=params_schema(seconds={"type": "number", "minimum": 0, "default": 0.1,
                                         "description": "how long to sleep"}))
async def sleep(ctx: StepContext) -> JSON | None:
    seconds = float(ctx.params.get("seconds", 0.1))
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if ctx.cancelled:
            raise Cancelled(f"{ctx.step_key} cancelled while sleeping")
        await asyncio.sleep(min(left, _SLICE))
    return {"slept": seconds}


@step_type(
    "builtin.fail", description="Fail the first `times` attempts (retryable unless `retryable: false`).",
    params=params_schema(
        times={"type": "integer", "minimum": 0, "default": 1, "description": "attempts that fail"},
        retryable={"type": "boolean", "default": True, "description": "whether those failures are retried"},
    ),
)
def fail(ctx: StepContext) -> JSON | None:
    times = int(ctx.params.get("times", 1))
    if ctx.attempt <= times:
        message = f"{ctx.step_key}: planned failure {ctx.attempt} of {times}"
        if ctx.params.get("retryable", True):
            raise RetryableStepError(message)
        raise PermanentStepError(message)
    return {"attempt": ctx.attempt}


def _wait_request(ctx: StepContext) -> DecisionRequest:
    schema = ctx.params.get("schema") or {"type": "object"}
    prompt = str(ctx.params.get("prompt") or f"Decide {ctx.step_key}")
    return DecisionRequest(
        kind="generic", prompt=prompt, schema=dict(schema), defaults=dict(ctx.params.get("defaults") or {})
    )


def _wait_apply(ctx: StepContext, answer: JSON) -> JSON | None:
    if not isinstance(answer, dict):
        raise PermanentStepError("builtin.wait: the answer must be an object")
    return dict(answer)


action_step_type(
    "builtin.wait",
    request=_wait_request,
    apply=_wait_apply,
    description="Wait for a decision matching `with.schema`; its answer is the result.",
    params=params_schema(
        schema={"type": "object", "default": {"type": "object"},
                "description": "JSON Schema of a valid answer"},
        prompt={"type": "string", "description": "the question (default: Decide STEP_KEY)"},
        defaults={"type": "object", "default": {}, "description": "the pre-filled answer"},
    ),
)
