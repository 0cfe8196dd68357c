"""Step types used by engine tests in subprocesses (named ``engine_steps:NAME`` in manifests)."""

from __future__ import annotations

import os
import time
from typing import Any

from regctl.errors import PermanentStepError
from regctl.steps.base import StepContext


def limited(ctx: StepContext) -> dict[str, Any]:
    """Take one token of the rate limit named in ``with.limit``, then report when and where."""
    ctx.acquire_rate_limit(str(ctx.params["limit"]))
    return {"at": time.time(), "pid": os.getpid()}


def where(ctx: StepContext) -> dict[str, Any]:
    """Sleep ``with.seconds`` (cooperatively) and report which process ran the step."""
    deadline = time.monotonic() + float(ctx.params.get("seconds", 0))
    while time.monotonic() < deadline:
        ctx.check_cancelled()
        time.sleep(min(0.01, max(0.0, deadline - time.monotonic())))
    return {"pid": os.getpid()}


CLOSED: list[str] = []


async def holds_a_resource(ctx: StepContext) -> dict[str, Any]:
    """Register a closer for a shared resource, as the browser steps do with their browser."""
    from regctl.steps.base import SHARED_CLOSERS

    async def close(shared: dict[str, Any]) -> None:
        CLOSED.append(ctx.step_key)

    closers = ctx.shared.setdefault(SHARED_CLOSERS, [])
    if not closers:
        closers.append(close)
    return {}


def holds_params(ctx: StepContext) -> dict[str, Any]:
    """Takes any ``with:`` (a ``module:function`` step declares no parameters) and returns none of it."""
    return {"params": sorted(ctx.params)}


def refused_login(ctx: StepContext) -> dict[str, Any]:
    """A login that the far side refuses: fails for good, whatever its ``with:`` holds."""
    raise PermanentStepError("login refused")
def _stamp(ctx: StepContext, what: str) -> None:
    """Append ``<what> <time.time()> <step key> <job id> <attempt>`` to the file ``with.log``."""
    with open(str(ctx.params["log"]), "a") as log:
        log.write(f"{what} {time.time()!r} {ctx.step_key} {ctx.job_id} {ctx.attempt}\n")


def stamped(ctx: StepContext) -> dict[str, Any]:
    """Log its start and end; sleep ``with.seconds`` cooperatively in between."""
    _stamp(ctx, "start")
    deadline = time.monotonic() + float(ctx.params.get("seconds", 0))
    while time.monotonic() < deadline:
        ctx.check_cancelled()
        time.sleep(0.01)
    _stamp(ctx, "end")
    return {"pid": os.getpid()}


def stubborn(ctx: StepContext) -> dict[str, Any]:
    """Log its start and end; sleep ``with.seconds`` on its first attempt IGNORING cancellation."""
    _stamp(ctx, "start")
    if ctx.attempt == 1:
        time.sleep(float(ctx.params.get("seconds", 0)))
    _stamp(ctx, "end")
    return {"pid": os.getpid()}


def exits(ctx: StepContext) -> dict[str, Any]:
    """What an argparse-based tool does on bad arguments."""
    import sys

    sys.exit(2)


async def kills_its_supervisor(ctx: StepContext) -> dict[str, Any]:
    """Log ``<attempt> <recoveries>`` to ``with.log``, then SIGKILL its own supervisor at once: a step
    that crashes the process (a native library, the OOM killer) the moment its code begins."""
    import signal

    with open(str(ctx.params["log"]), "a") as log:
        log.write(f"{ctx.attempt} {ctx.recoveries}\n")
    os.kill(os.getpid(), signal.SIGKILL)
    return {}


async def blocks_the_loop(ctx: StepContext) -> dict[str, Any]:
    """An async step that blocks its event loop (``time.sleep``, a sync client called from async code)
    for ``with.seconds``; logs its start and end like ``stamped``."""
    _stamp(ctx, "start")
    time.sleep(float(ctx.params.get("seconds", 0)))
    _stamp(ctx, "end")
    return {"pid": os.getpid()}
