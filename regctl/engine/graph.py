"""Relations between a job's steps: which pending steps may move, and to what (SPEC §2).

Pure functions over a job's steps; the store loads them, calls :func:`resolve` and writes the
changes in bulk. ``needs`` demands success (completed, or skipped by its condition); ``after`` only
orders; a failed non-critical need skips its dependents, a failed critical need blocks them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from regctl.engine.states import FINAL_STEP, StepStatus

__all__ = ["CONDITION_FALSE", "SKIPPED_BY_PERSON", "Change", "StepNode", "evaluate_condition", "resolve",
           "skipped_by_failure"]

S = StepStatus
CONDITION_FALSE = "when false"  # prefix of the note of a step skipped by its condition
SKIPPED_BY_PERSON = "skipped by hand"  # prefix of the note of a step a person skipped (`regctl skip`)


@dataclass
class StepNode:
    """The parts of a step row that relations look at."""

    id: int
    key: str
    status: StepStatus
    needs: tuple[str, ...]
    after: tuple[str, ...]
    when: str | None
    critical: bool
    note: str | None = None


@dataclass(frozen=True)
class Change:
    step_id: int
    key: str
    old: StepStatus
    new: StepStatus
    note: str | None


def skipped_by_failure(node: StepNode) -> bool:
    """A skipped step counts as a success for ``needs`` only when its own condition or a person skipped it."""
    return node.status == S.SKIPPED and not (node.note or "").startswith((CONDITION_FALSE, SKIPPED_BY_PERSON))


def evaluate_condition(expr: str, data: dict[str, Any]) -> bool:
    """``regctl.conditions.evaluate(expr, data)``; true while that module does not exist yet."""
    try:
        module = importlib.import_module("regctl.conditions")
    except ModuleNotFoundError as exc:
        if exc.name != "regctl.conditions":
            raise
        return True
    return bool(module.evaluate(expr, data))


def _blocked_by_needs(node: StepNode, by_key: dict[str, StepNode]) -> tuple[StepStatus, str] | None:
    for need in node.needs:
        dep = by_key[need]
        if dep.status == S.FAILED:
            return (S.BLOCKED if dep.critical else S.SKIPPED), f"needs {need}, which failed"
        if dep.status == S.BLOCKED:
            return S.BLOCKED, f"needs {need}, which is blocked"
        if skipped_by_failure(dep):
            return S.SKIPPED, f"needs {need}, which was skipped"
    return None


def _relations_met(node: StepNode, by_key: dict[str, StepNode]) -> bool:
    needs_ok = all(by_key[n].status in (S.COMPLETED, S.SKIPPED) for n in node.needs)
    return needs_ok and all(by_key[a].status in FINAL_STEP for a in node.after)


def _next_status(
    node: StepNode, by_key: dict[str, StepNode], condition: Callable[[StepNode], bool]
) -> tuple[StepStatus, str | None] | None:
    stopped = _blocked_by_needs(node, by_key)
    if stopped is not None:
        return stopped
    if not _relations_met(node, by_key):
        return None
    if node.when:
        try:
            if not condition(node):
                return S.SKIPPED, f"{CONDITION_FALSE}: {node.when}"
        except Exception as exc:  # a broken condition fails the step, it does not crash the engine
            return S.FAILED, f"condition {node.when!r} could not be evaluated: {exc}"
    return S.READY, None


def resolve(nodes: Sequence[StepNode], condition: Callable[[StepNode], bool]) -> list[Change]:
    """Move every pending step whose relations are settled; ``nodes`` in topological order.

    One pass suffices because a step's relations come before it; the nodes are updated in place
    so later steps see earlier changes.
    """
    by_key = {n.key: n for n in nodes}
    changes: list[Change] = []
    for node in nodes:
        if node.status != S.PENDING:
            continue
        moved = _next_status(node, by_key, condition)
        if moved is None:
            continue
        changes.append(Change(node.id, node.key, StepStatus(node.status), moved[0], moved[1]))
        node.status, node.note = moved
    return changes
