"""Statuses of steps, jobs and batches (SPEC §2), and the ONE table of allowed step transitions.

Job and batch statuses are *derived* (from their steps / jobs) and stored for fast queries;
:func:`derive_job_status` and :func:`derive_batch_status` are the only places that decide them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = [
    "ACTIVE_STEP",
    "FINAL_STEP",
    "TRANSITIONS",
    "BatchStatus",
    "IllegalTransition",
    "JobStatus",
    "StepStatus",
    "check_transition",
    "derive_batch_status",
    "derive_job_status",
]


class StepStatus(enum.StrEnum):
    PENDING = "pending"  # waiting on its relations (needs/after) or on its job's admission
    READY = "ready"  # claimable now, or at next_attempt_at
    RUNNING = "running"  # leased by a supervisor
    ACTION_REQUIRED = "action_required"  # waits for a decision (request stored with the step)
    COMPLETED = "completed"  # succeeded; result stored
    FAILED = "failed"  # finally failed (attempts used up, or a permanent error)
    SKIPPED = "skipped"  # condition false, or a non-critical step it needs failed (note says which)
    BLOCKED = "blocked"  # a critical step it needs failed; waits for `regctl retry`
    CANCELLED = "cancelled"  # its job or batch was cancelled


class JobStatus(enum.StrEnum):
    PENDING = "pending"  # not yet admitted (max_parallel_restaurants)
    RUNNING = "running"  # admitted; has ready/running/pending steps
    WAITING = "waiting"  # nothing runnable until someone decides
    COMPLETED = "completed"  # every step completed or skipped by its condition
    COMPLETED_WITH_WARNINGS = "completed_with_warnings"  # a non-critical step failed
    FAILED = "failed"  # a critical step failed; needs attention (`regctl retry`)
    CANCELLED = "cancelled"  # cancelled by a person


class BatchStatus(enum.StrEnum):
    PENDING = "pending"  # no job started yet
    RUNNING = "running"  # some job pending or running
    WAITING = "waiting"  # only decisions hold it up
    COMPLETED = "completed"
    COMPLETED_WITH_WARNINGS = "completed_with_warnings"
    FAILED = "failed"  # at least one job failed and nothing else can run
    CANCELLED = "cancelled"


S = StepStatus
# A step that will never change again unless a person retries it.
FINAL_STEP = frozenset({S.COMPLETED, S.FAILED, S.SKIPPED, S.CANCELLED})
# Statuses in which a step still needs the engine (claims, leases or relations).
ACTIVE_STEP = frozenset({S.PENDING, S.READY, S.RUNNING})

# from → allowed targets. Everything the engine and the store do to a step goes through here.
TRANSITIONS: dict[StepStatus, frozenset[StepStatus]] = {
    S.PENDING: frozenset({S.READY, S.SKIPPED, S.BLOCKED, S.FAILED, S.CANCELLED}),  # failed: bad condition
    S.READY: frozenset({S.RUNNING, S.SKIPPED, S.CANCELLED}),
    S.RUNNING: frozenset({S.COMPLETED, S.FAILED, S.READY, S.ACTION_REQUIRED, S.CANCELLED}),
    S.ACTION_REQUIRED: frozenset({S.COMPLETED, S.SKIPPED, S.READY, S.FAILED, S.CANCELLED}),
    S.COMPLETED: frozenset({S.READY, S.PENDING}),  # `retry --from` re-runs a finished step
    S.FAILED: frozenset({S.READY, S.PENDING}),  # `retry`
    S.SKIPPED: frozenset({S.READY, S.PENDING}),  # `retry --from`
    S.BLOCKED: frozenset({S.PENDING, S.SKIPPED, S.CANCELLED}),
    S.CANCELLED: frozenset({S.PENDING, S.READY}),  # `retry` of a cancelled job
}


class IllegalTransition(ValueError):
    pass


def check_transition(old: StepStatus | str, new: StepStatus | str) -> None:
    """Raise :class:`IllegalTransition` unless ``old → new`` is in :data:`TRANSITIONS`."""
    if StepStatus(new) not in TRANSITIONS[StepStatus(old)]:
        raise IllegalTransition(f"step cannot go from {old} to {new}")


def derive_job_status(
    steps: Iterable[tuple[StepStatus | str, bool, bool]], *, admitted: bool = True, cancelled: bool = False
) -> JobStatus:
    """A job's status from ``(status, critical, skipped_by_failure)`` of each of its steps.

    Order matters: anything runnable → running; a critical failure → failed (needs attention,
    even if a decision is also waiting); a decision → waiting; else finished with/without warnings.
    """
    if cancelled:
        return JobStatus.CANCELLED
    if not admitted:
        return JobStatus.PENDING
    rows = list(steps)  # StrEnum members equal their strings: no conversion needed
    statuses = {s for s, _, _ in rows}
    if statuses & {S.READY, S.RUNNING}:
        return JobStatus.RUNNING
    if any(s in (S.FAILED, S.BLOCKED) and c for s, c, _ in rows) or S.BLOCKED in statuses:
        return JobStatus.FAILED
    if S.ACTION_REQUIRED in statuses:
        return JobStatus.WAITING
    if S.PENDING in statuses:  # pending behind something that cannot move by itself
        return JobStatus.WAITING
    if S.CANCELLED in statuses:
        return JobStatus.CANCELLED
    if S.FAILED in statuses or any(f for _, _, f in rows):
        return JobStatus.COMPLETED_WITH_WARNINGS
    return JobStatus.COMPLETED


def derive_batch_status(job_statuses: Iterable[JobStatus | str], *, cancelled: bool = False) -> BatchStatus:
    """A batch's status from its jobs' statuses (the same precedence as a job's)."""
    if cancelled:
        return BatchStatus.CANCELLED
    seen = {JobStatus(s) for s in job_statuses}
    J = JobStatus
    if not seen or seen == {J.PENDING}:
        return BatchStatus.PENDING
    if seen & {J.PENDING, J.RUNNING}:
        return BatchStatus.RUNNING
    for job, batch in (
        (J.FAILED, BatchStatus.FAILED),
        (J.WAITING, BatchStatus.WAITING),
        (J.CANCELLED, BatchStatus.CANCELLED),
        (J.COMPLETED_WITH_WARNINGS, BatchStatus.COMPLETED_WITH_WARNINGS),
    ):
        if job in seen:
            return batch
    return BatchStatus.COMPLETED
