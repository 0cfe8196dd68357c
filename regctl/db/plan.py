"""What running a manifest would change in the database: restaurants, pipeline, execution, policies.

Read-only: :func:`plan_txn` compares the manifest with the batch of the same organisation and name
(if any) and writes nothing. ``regctl plan`` prints it; ``regctl run`` prints it and refuses
pipeline or execution changes to an existing batch unless ``--accept-changes``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, update

from regctl.db.schema import batches, jobs, restaurants
from regctl.db.submit import RESTAURANT_COLUMNS, restaurant_key

if TYPE_CHECKING:
    from regctl.manifest import Manifest

__all__ = ["Change", "Plan", "accept_changes_txn", "plan_txn"]


@dataclass(frozen=True)
class Change:
    """One difference: ``what`` (a restaurant's name, a step key, a setting) and how it changes."""

    what: str
    old: Any = None
    new: Any = None


@dataclass
class Plan:
    """The differences between a manifest and its stored batch (everything new when there is none)."""

    batch: str
    exists: bool
    cancelled: bool = False
    added: list[str] = field(default_factory=list)  # restaurants that get a new job
    changed: list[Change] = field(default_factory=list)  # restaurant fields the run overwrites
    removed: list[str] = field(default_factory=list)  # restaurants of the batch the manifest no longer lists
    pipeline: list[Change] = field(default_factory=list)  # steps added (+), removed (−) or changed (~)
    execution: list[Change] = field(default_factory=list)
    policies: list[Change] = field(default_factory=list)

    @property
    def refused_changes(self) -> bool:
        """Pipeline or execution changes to an existing batch (need ``--accept-changes``)."""
        return self.exists and bool(self.pipeline or self.execution or self.policies)


def _restaurant_changes(stored: dict[str, Any], listed: dict[str, Any]) -> list[Change]:
    name = str(listed["name"])
    return [
        Change(f"{name}: {column}", stored.get(column), listed[column])
        for column in RESTAURANT_COLUMNS
        if listed.get(column) is not None and listed[column] != stored.get(column)
    ]


def _dict_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    keys = sorted(set(old) | set(new))
    return [Change(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def _pipeline_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    before, after = {s["key"]: s for s in old or []}, {s["key"]: s for s in new}
    out = [Change(key, None, after[key]) for key in after if key not in before]
    out += [Change(key, before[key], None) for key in before if key not in after]
    return out + [
        Change(key, before[key], after[key]) for key in after if key in before and before[key] != after[key]
    ]


def _as_stored(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (tuples become lists)."""
    return json.loads(json.dumps(value, default=str))


def plan_txn(conn: Connection, m: Manifest) -> Plan:
    found = conn.execute(
        select(batches).where(batches.c.organisation_id == m.organisation, batches.c.name == m.batch)
    ).first()
    listed = {restaurant_key(r["name"], r.get("address")): r for r in m.restaurants}
    if found is None:
        return Plan(m.batch, exists=False, added=[str(r["name"]) for r in listed.values()])
    plan = Plan(m.batch, exists=True, cancelled=found.cancelled_at is not None)
    stored = {
        r.key: dict(r._mapping)
        for r in conn.execute(
            select(restaurants)
            .join(jobs, jobs.c.restaurant_id == restaurants.c.id)
            .where(jobs.c.batch_id == found.id)
        )
    }
    for key, row in listed.items():
        if key in stored:
            plan.changed += _restaurant_changes(stored[key], row)
        else:
            plan.added.append(str(row["name"]))
    plan.removed = [str(r["name"]) for key, r in stored.items() if key not in listed]
    plan.pipeline = _pipeline_changes(found.pipeline, _as_stored(m.pipeline.to_json()))
    plan.execution = _dict_changes(dict(found.execution or {}), _as_stored(dataclasses.asdict(m.execution)))
    plan.policies = _dict_changes(dict(found.policies or {}), _as_stored(dict(m.policies or {})))
    return plan


def accept_changes_txn(conn: Connection, m: Manifest, *, now: float) -> None:
    """``--accept-changes``: the batch takes the manifest's execution and policies from now on.

    The pipeline stays the one the batch was created with (every job of a batch has the same
    steps); a new pipeline needs a new batch name.
    """
    conn.execute(
        update(batches)
        .where(batches.c.organisation_id == m.organisation, batches.c.name == m.batch)
        .values(execution=dataclasses.asdict(m.execution), policies=m.policies, updated_at=now)
    )
