"""Helpers for engine tests: build manifests from step dicts without YAML."""

from __future__ import annotations

from typing import Any

from regctl.manifest import Execution, Manifest
from regctl.pipeline import Pipeline, StepSpec
from regctl.steps.registry import lookup


def spec(key: str, uses: str = "builtin.noop", **kw: Any) -> StepSpec:
    kind = lookup(uses).kind.value
    resources = kw.pop("resources", None) or dict(lookup(uses).resources)
    for rel in ("needs", "after"):
        if rel in kw:
            kw[rel] = tuple(kw[rel])
    return StepSpec(key=key, uses=uses, kind=kind, resources=resources, **kw)


def manifest(
    steps: list[StepSpec],
    *,
    restaurants: int | list[dict[str, Any]] = 1,
    batch: str = "b1",
    organisation: str = "org-a",
    policies: dict[str, Any] | None = None,
    **execution: Any,
) -> Manifest:
    rows = (
        restaurants
        if isinstance(restaurants, list)
        else [
            {"name": f"Restaurant {i}", "address": f"{i} Great North Road", "city": "Auckland"}
            for i in range(restaurants)
        ]
    )
    execution.setdefault("max_parallel_restaurants", 1000)
    return Manifest(
        batch=batch,
        organisation=organisation,
        target="sandbox",
        pipeline=Pipeline("custom", tuple(steps)),
        execution=Execution(**execution),
        policies=policies or {},
        defaults={},
        notify=None,
        restaurants=rows,
    )


def chain(n: int, uses: str = "builtin.noop", **params: Any) -> list[StepSpec]:
    return [spec(f"s{i}", uses, params=dict(params), needs=[f"s{i - 1}"] if i else []) for i in range(n)]


def statuses(store: Any, batch_id: int) -> dict[str, str]:
    """``{"<job position>.<step key>": status}`` for a whole batch."""
    view = store.batch_view(batch_id)
    return {f"{j['position']}.{s['key']}": s["status"] for j in view["jobs"] for s in j["steps"]}
