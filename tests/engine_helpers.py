"""Helpers for engine tests: build manifests from step dicts without YAML."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from regctl.engine.listen import Listener
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


@contextmanager
def listening(store: Any) -> Iterator[tuple[list[str], threading.Event]]:
    """A running LISTEN on the store (PostgreSQL): the payloads heard, and an event set on each."""
    heard: list[str] = []
    got = threading.Event()

    def on_notify(payload: str) -> None:
        heard.append(payload)
        got.set()

    listener = Listener.start(store, on_notify)
    assert listener is not None
    try:
        yield heard, got
    finally:
        listener.stop()


def wait_for(predicate: object, timeout: float = 60) -> None:
    """Poll ``predicate()`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)
