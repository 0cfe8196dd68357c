"""A step type for the chaos suite that leaves a trace of every execution outside the database.

Used as ``uses: chaos_steps:record`` with ``bench/`` on PYTHONPATH. Each execution appends one
line ``job_id step_key attempt pid recoveries time`` to the file named by ``with.log`` (O_APPEND
writes of one short line are atomic, so concurrent supervisors never interleave), then optionally
sleeps ``with.seconds`` in small slices, honouring cancellation — so a kill lands mid-step as often
as between steps. Comparing this file with the event log tells a step that ran twice apart from one
recorded twice; the start times tell whether a step started after `regctl cancel` returned.
"""

from __future__ import annotations

import os
import time
from typing import Any

__all__ = ["read_effects", "read_runs", "record"]


def record(ctx: Any) -> dict[str, Any]:
    """Append this execution to ``with.log``, then work for ``with.seconds``."""
    recoveries = getattr(ctx, "recoveries", 0)  # a run lost with its supervisor reruns the same attempt
    line = f"{ctx.job_id} {ctx.step_key} {ctx.attempt} {os.getpid()} {recoveries} {time.time()!r}\n".encode()
    fd = os.open(str(ctx.params["log"]), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    _work(ctx, float(ctx.params.get("seconds", 0.0)))
    return {"pid": os.getpid(), "attempt": ctx.attempt}


def _work(ctx: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ctx.check_cancelled()
        time.sleep(min(left, 0.02))


def read_effects(path: str | os.PathLike[str]) -> list[tuple[int, str, int, int]]:
    """The executions recorded in ``path``: (job_id, step_key, attempt, pid), in order."""
    if not os.path.isfile(path):
        return []
    rows = []
    with open(path) as fh:
        for line in fh:
            job, key, attempt, pid = line.split()[:4]
            rows.append((int(job), key, int(attempt), int(pid)))
    return rows


def read_runs(path: str | os.PathLike[str]) -> list[tuple[int, str, int, int, float]]:
    """Each execution as ``(job_id, step_key, attempt, recoveries, started)``: one run of one attempt
    (a run lost with its supervisor is re-run with the same attempt and one more recovery)."""
    if not os.path.isfile(path):
        return []
    rows = []
    with open(path) as fh:
        for line in fh:
            job, key, attempt, _pid, *rest = line.split()
            recoveries, at = (int(rest[0]), float(rest[1])) if len(rest) == 2 else (0, 0.0)
            rows.append((int(job), key, int(attempt), recoveries, at))
    return rows
