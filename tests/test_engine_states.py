"""States, the transition table, derived statuses and relations (pure: no database)."""

from __future__ import annotations

import pytest

from regctl.engine.graph import StepNode, resolve
from regctl.engine.policy import RetryPolicy
from regctl.engine.states import (
    BatchStatus,
    IllegalTransition,
    JobStatus,
    StepStatus,
    check_transition,
    derive_batch_status,
    derive_job_status,
)
from regctl.errors import PermanentStepError, RateLimited, RetryableStepError

S = StepStatus


def test_step_statuses_are_exactly_the_specs() -> None:
    assert [s.value for s in StepStatus] == [
        "pending",
        "ready",
        "running",
        "action_required",
        "completed",
        "failed",
        "skipped",
        "blocked",
        "cancelled",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [(S.PENDING, S.RUNNING), (S.COMPLETED, S.FAILED), (S.READY, S.COMPLETED), (S.BLOCKED, S.RUNNING)],
)
def test_illegal_transitions_are_refused(old: StepStatus, new: StepStatus) -> None:
    with pytest.raises(IllegalTransition):
        check_transition(old, new)


def _nodes(*specs: tuple[str, str, tuple[str, ...], tuple[str, ...], bool]) -> list[StepNode]:
    return [
        StepNode(i, key, S(status), needs, after, None, critical)
        for i, (key, status, needs, after, critical) in enumerate(specs)
    ]


def test_needs_wait_for_success_and_after_for_any_outcome() -> None:
    nodes = _nodes(
        ("a", "completed", (), (), True),
        ("b", "failed", (), (), False),
        ("c", "pending", ("a",), (), True),
        ("d", "pending", (), ("b",), True),
        ("e", "pending", ("b",), (), True),
    )
    moves = {ch.key: (ch.new, ch.note) for ch in resolve(nodes, lambda n: True)}
    assert moves == {"c": (S.READY, None), "d": (S.READY, None), "e": (S.SKIPPED, "needs b, which failed")}


def test_a_failed_critical_need_blocks_dependents_transitively() -> None:
    nodes = _nodes(
        ("a", "failed", (), (), True), ("b", "pending", ("a",), (), True), ("c", "pending", ("b",), (), True)
    )
    assert [(ch.key, ch.new) for ch in resolve(nodes, lambda n: True)] == [("b", S.BLOCKED), ("c", S.BLOCKED)]


def test_a_false_condition_skips_and_counts_as_success_for_needs() -> None:
    nodes = [
        StepNode(1, "a", S.PENDING, (), (), "restaurant.website", True),
        StepNode(2, "b", S.PENDING, ("a",), (), None, True),
    ]
    moves = [(ch.key, ch.new, ch.note) for ch in resolve(nodes, lambda n: False)]
    assert moves == [("a", S.SKIPPED, "when false: restaurant.website"), ("b", S.READY, None)]


def test_a_skip_caused_by_failure_propagates() -> None:
    nodes = _nodes(
        ("a", "failed", (), (), False),
        ("b", "pending", ("a",), (), False),
        ("c", "pending", ("b",), (), True),
    )
    assert [ch.note for ch in resolve(nodes, lambda n: True)] == [
        "needs a, which failed",
        "needs b, which was skipped",
    ]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([("completed", True, False), ("running", True, False)], JobStatus.RUNNING),
        ([("failed", True, False), ("blocked", True, False)], JobStatus.FAILED),
        ([("completed", True, False), ("action_required", True, False)], JobStatus.WAITING),
        ([("failed", False, False), ("skipped", True, True)], JobStatus.COMPLETED_WITH_WARNINGS),
        ([("completed", True, False), ("skipped", True, False)], JobStatus.COMPLETED),
    ],
)
def test_job_status_is_derived_from_its_steps(
    steps: list[tuple[str, bool, bool]], expected: JobStatus
) -> None:
    assert derive_job_status(steps) == expected


def test_batch_status_is_derived_from_its_jobs() -> None:
    assert derive_batch_status(["completed", "running"]) == BatchStatus.RUNNING
    assert derive_batch_status(["completed", "failed", "waiting"]) == BatchStatus.FAILED
    assert derive_batch_status(["completed", "waiting"]) == BatchStatus.WAITING
    assert (
        derive_batch_status(["completed", "completed_with_warnings"]) == BatchStatus.COMPLETED_WITH_WARNINGS
    )
    assert derive_batch_status(["completed"], cancelled=True) == BatchStatus.CANCELLED


def test_backoff_doubles_from_two_seconds_capped_at_sixty_with_jitter() -> None:
    policy = RetryPolicy()
    for attempt, nominal in [(1, 2), (2, 4), (3, 8), (6, 60), (10, 60)]:
        delay = policy.delay(attempt)
        assert nominal * 0.75 <= delay <= nominal * 1.25
    assert len({round(policy.delay(3), 6) for _ in range(20)}) > 1  # jittered


def test_only_retryable_errors_retry_and_rate_limits_give_the_attempt_back() -> None:
    policy = RetryPolicy()
    assert not policy.after_failure(PermanentStepError("no"), 1, 3).retry
    assert not policy.after_failure(ValueError("bug"), 1, 3).retry
    assert not policy.after_failure(RetryableStepError("5xx"), 3, 3).retry
    assert policy.after_failure(RetryableStepError("429", retry_after=7), 1, 3).delay == 7
    limited = policy.after_failure(RateLimited("slow down", retry_after=12), 3, 3)
    assert (limited.retry, limited.delay, limited.counts_attempt) == (True, 12, False)
